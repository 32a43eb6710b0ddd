import { Knex } from 'knex';

/** Callers of this process waiting for each lock name, newest last. */
const localQueues = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` while no other caller holds the lock `name`: in this process,
 * and, on PostgreSQL, in every replica sharing the database (a transaction
 * advisory lock, let go when `fn` ends, also when the replica dies). SQLite
 * serves one process, so the local queue is enough there.
 */
export async function withReplicaLock<T>(
  db: Knex,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  const before = localQueues.get(name) ?? Promise.resolve();
  const run = before
    .catch(() => undefined)
    .then(() =>
      String(db.client.config.client).includes('pg')
        ? db.transaction(async tx => {
            await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
              `workflows:${name}`,
            ]);
            return fn();
          })
        : fn(),
    );
  localQueues.set(name, run);
  try {
    return await run;
  } finally {
    if (localQueues.get(name) === run) localQueues.delete(name);
  }
}
