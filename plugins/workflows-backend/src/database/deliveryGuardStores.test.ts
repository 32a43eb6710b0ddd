import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import { KnexDeliveryTokenStore } from './DeliveryTokenStore';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { KnexStepLeaseStore } from './StepLeaseStore';

const databases = createTestDatabases();

async function migrated(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({
    directory: MIGRATIONS_DIRECTORY,
    tableName: 'workflows_knex_migrations',
  });
  return knex;
}

const MINUTE = 60_000;

describe('the stores behind the delivery guard', () => {
  it.each(databases.eachSupportedId())(
    'remember a token id until it expires, then prune it, on %p',
    async databaseId => {
      const knex = await migrated(databaseId);
      let now = Date.parse('2030-01-01T00:00:00Z');
      const tokens = new KnexDeliveryTokenStore(knex, () => now);

      const expiresAt = new Date(now + 5 * MINUTE);
      expect(await tokens.markUsed('jti-1', expiresAt)).toBe(true);
      expect(await tokens.markUsed('jti-1', expiresAt)).toBe(false);
      expect(
        await Promise.all([
          tokens.markUsed('jti-2', expiresAt),
          tokens.markUsed('jti-2', expiresAt),
          tokens.markUsed('jti-2', expiresAt),
        ]),
      ).toEqual(expect.arrayContaining([true, false, false]));

      now += 10 * MINUTE;
      expect(await tokens.markUsed('jti-3', new Date(now + 5 * MINUTE))).toBe(
        true,
      );
      const left = await knex('workflow_delivery_tokens')
        .orderBy('jti')
        .pluck('jti');
      expect(left).toEqual(['jti-3']);
    },
  );

  it.each(databases.eachSupportedId())(
    'lease a step to one delivery at a time, until released or expired, on %p',
    async databaseId => {
      const knex = await migrated(databaseId);
      let now = Date.parse('2030-01-01T00:00:00Z');
      const leases = new KnexStepLeaseStore(knex, () => now);

      const first = await leases.acquire('wfr_1', 'after-0', MINUTE);
      expect(first).toBeDefined();
      expect(await leases.acquire('wfr_1', 'after-0', MINUTE)).toBeUndefined();
      // Another step of the run, or the same step of another run, is free.
      expect(await leases.acquire('wfr_1', 'after-1', MINUTE)).toBeDefined();
      expect(await leases.acquire('wfr_2', 'after-0', MINUTE)).toBeDefined();

      await leases.release(first!);
      const second = await leases.acquire('wfr_1', 'after-0', 10_000);
      expect(second).toBeDefined();

      // A lease whose holder never came back is taken over after its bound
      // (here sooner than the store prunes).
      now += 20_000;
      const third = await leases.acquire('wfr_1', 'after-0', MINUTE);
      expect(third).toBeDefined();
      // The late holder's release leaves the new lease alone.
      await leases.release(second!);
      expect(await leases.acquire('wfr_1', 'after-0', MINUTE)).toBeUndefined();

      const heldKeys = async () =>
        (await knex('workflow_step_leases').select('run_id', 'step_key'))
          .map(row => `${row.run_id}/${row.step_key}`)
          .sort();
      expect(await heldKeys()).toEqual([
        'wfr_1/after-0',
        'wfr_1/after-1',
        'wfr_2/after-0',
      ]);
      // Now and then the store drops the leases nobody gave back.
      now += 2 * MINUTE;
      expect(await leases.acquire('wfr_3', 'after-0', MINUTE)).toBeDefined();
      expect(await heldKeys()).toEqual(['wfr_3/after-0']);
      await leases.release(third!);
    },
  );
});
