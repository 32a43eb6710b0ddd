import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import { TriageService } from '../service/TriageService';
import { KnexDlqStore, MirroredDlqEntry } from './DlqStore';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { KnexRunStore, SyncedRun } from './RunStore';
import { KnexTriageStore } from './TriageStore';

const databases = createTestDatabases();
const HOUR = 3600_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');

const workflows = [
  {
    id: 'cars',
    title: 'Car registrations',
    description: '',
    owner: 'group:default/platform',
    source: 'runner' as const,
    endpoint: 'http://localhost/cars',
    schedule: null,
    requiredEnv: [],
    updatedAt: new Date(NOW).toISOString(),
  },
];

function failedRun(runId: string, atMs: number, error: string): SyncedRun {
  return {
    runId,
    workflowId: 'cars',
    status: 'failed',
    startedAt: new Date(atMs - 1000),
    finishedAt: new Date(atMs),
    label: null,
    dlqId: `dlq_${runId}`,
    failedStep: 'download',
    error,
    steps: [],
  };
}

function dlqEntry(
  runId: string,
  atMs: number,
  error: string,
): MirroredDlqEntry {
  return {
    dlqId: `dlq_${runId}`,
    source: 'workflow',
    workflowId: 'cars',
    runId,
    messageId: null,
    url: 'http://localhost/cars',
    createdAtMs: atMs,
    responseStatus: 500,
    failedStep: 'download',
    error,
    failureGroup: 'own-group-0000',
  };
}

const lta404 = (day: string) =>
  `HTTP 404: LTA answered 404 Not Found for https://datamall.lta.gov.sg/content/dam/datamall/datasets/Facts_Figures/Vehicle%20Registration/M03-Car_Regsitration_by_Make.zip?t=${day}`;

describe.each(databases.eachSupportedId())(
  'triage stores on %p',
  databaseId => {
    let runs: KnexRunStore;
    let dlq: KnexDlqStore;
    let service: TriageService;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: MIGRATIONS_DIRECTORY,
        tableName: 'workflows_knex_migrations',
      });
      runs = new KnexRunStore(knex);
      dlq = new KnexDlqStore(knex);
      service = new TriageService({
        triage: new KnexTriageStore(knex),
        dlq,
        runs,
        now: () => NOW,
      });
    });

    it('counts a DLQ entry on its own until its run arrives, then through the run', async () => {
      await dlq.upsertListed(
        [dlqEntry('wfr_a', NOW - 2 * HOUR, 'HTTP 500: LTA down')],
        NOW,
      );
      let triage = await service.triage({}, workflows);
      expect(triage.groups).toHaveLength(1);
      expect(triage.groups[0]).toMatchObject({ count: 1, inDlqCount: 1 });

      await runs.upsertSyncedRun(
        failedRun('wfr_a', NOW - 2 * HOUR, lta404('1')),
        'f1',
      );
      triage = await service.triage({}, workflows);
      // One failure, not two: the entry now belongs to the run's group.
      expect(triage.groups.map(g => g.count)).toEqual([1]);
      expect(triage.groups[0]).toMatchObject({
        step: 'download',
        inDlqCount: 1,
        dlqIds: ['dlq_wfr_a'],
        exampleRunIds: ['wfr_a'],
      });
    });

    it('groups the same failure on different days and compares with the previous window', async () => {
      await runs.upsertSyncedRun(
        failedRun('wfr_b', NOW - 3 * HOUR, lta404('2')),
        'f2',
      );
      await runs.upsertSyncedRun(
        failedRun('wfr_old', NOW - 30 * HOUR, lta404('3')),
        'f3',
      );
      const triage = await service.triage({}, workflows);
      expect(triage.groups).toHaveLength(1);
      const [group] = triage.groups;
      expect(group).toMatchObject({
        count: 2,
        previousCount: 1,
        trend: 'rising',
        cause: { kind: 'upstream-4xx', status: 404 },
      });
      expect(group.exampleRunIds).toEqual(['wfr_a', 'wfr_b']);
      expect(group.series).toHaveLength(24);
      expect(group.series.reduce((a, b) => a + b, 0)).toBe(2);
      // The newest failure sits in the last buckets of the window.
      expect(group.series.slice(20).reduce((a, b) => a + b, 0)).toBe(2);
      expect(group.firstSeen).toBe(new Date(NOW - 3 * HOUR).toISOString());
      expect(group.lastSeen).toBe(new Date(NOW - 2 * HOUR).toISOString());

      const week = await service.triage(
        { from: new Date(NOW - 7 * 24 * HOUR).toISOString() },
        workflows,
      );
      expect(week.groups[0].count).toBe(3);
      expect(await service.triage({}, [])).toMatchObject({ groups: [] });
    });

    it('groups failed runs stored before grouping existed', async () => {
      await knex('workflow_runs').insert({
        run_id: 'wfr_legacy',
        workflow_id: 'cars',
        status: 'failed',
        started_at: new Date(NOW - HOUR),
        finished_at: new Date(NOW - HOUR),
        updated_at: new Date(NOW - HOUR),
        failed_step: 'download',
        error: lta404('4'),
      });
      expect(await runs.groupUngroupedFailures(1)).toBe(1);
      expect(await runs.groupUngroupedFailures()).toBe(0);
      const triage = await service.triage({}, workflows);
      expect(triage.groups.map(g => g.count)).toEqual([3]);
    });

    it('prunes DLQ entries with the run retention', async () => {
      await dlq.upsertListed(
        [dlqEntry('wfr_ancient', NOW - 100 * 24 * HOUR, 'x')],
        NOW,
      );
      expect(await dlq.pruneCreatedBefore(new Date(NOW - 90 * 24 * HOUR))).toBe(
        1,
      );
      expect((await dlq.getEntries(['dlq_wfr_ancient'])).size).toBe(0);
      expect((await dlq.getEntries(['dlq_wfr_a'])).size).toBe(1);
    });
  },
);
