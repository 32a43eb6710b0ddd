import { createTestDatabases } from '@internal/plugin-workflows-node/testUtils';
import type { WorkflowSummary } from '@internal/plugin-workflows-common';
import { TriageService } from '../service/TriageService';
import { KnexDlqStore, MirroredDlqEntry } from './DlqStore';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { KnexRunStore, SyncedRun } from './RunStore';
import { KnexTriageStore, splitByHours } from './TriageStore';

const databases = createTestDatabases();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Not on an hour: the default window starts and ends inside hours.
const NOW = Date.parse('2026-12-01T12:37:13Z');

const workflows: WorkflowSummary[] = ['cars', 'coe'].map(id => ({
  id,
  title: id,
  description: '',
  owner: 'group:default/platform',
  source: 'runner',
  endpoint: `http://localhost/${id}`,
  schedule: null,
  requiredEnv: [],
  updatedAt: new Date(NOW).toISOString(),
}));

const ERRORS = [
  'HTTP 500: LTA answered 500 Internal Server Error',
  'Missing environment variable TELEGRAM_BOT_TOKEN',
  'Telegram answered HTTP 429: Too Many Requests: retry after 31',
];

/** The same pseudo-random times on every run. */
function randomTimes(count: number, seed: number, spanMs: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return NOW - 1 - Math.floor((state / 2 ** 31) * spanMs);
  });
}

function failedRun(
  runId: string,
  workflowId: string,
  atMs: number,
  error: string,
): SyncedRun {
  return {
    runId,
    workflowId,
    status: 'failed',
    startedAt: new Date(atMs - 1000),
    finishedAt: new Date(atMs),
    label: null,
    dlqId: null,
    failedStep: 'download',
    error,
    steps: [],
  };
}

function dlqEntry(
  runId: string,
  workflowId: string,
  atMs: number,
  error: string,
): MirroredDlqEntry {
  return {
    dlqId: `dlq_${runId}`,
    source: 'workflow',
    workflowId,
    runId,
    messageId: null,
    url: `http://localhost/${workflowId}`,
    createdAtMs: atMs,
    responseStatus: 500,
    failedStep: 'download',
    error,
    failureGroup: `orphan-${workflowId}`.slice(0, 16),
  };
}

describe('splitByHours', () => {
  it('reads whole hours from the counts and the ends from the rows', () => {
    expect(splitByHours(10 * HOUR + 5, 13 * HOUR + 7)).toEqual({
      hours: [11 * HOUR, 13 * HOUR],
      partial: [
        [10 * HOUR + 5, 11 * HOUR],
        [13 * HOUR, 13 * HOUR + 7],
      ],
    });
    expect(splitByHours(10 * HOUR, 12 * HOUR)).toEqual({
      hours: [10 * HOUR, 12 * HOUR],
      partial: [],
    });
    expect(splitByHours(10 * HOUR + 5, 11 * HOUR + 5)).toEqual({
      hours: null,
      partial: [[10 * HOUR + 5, 11 * HOUR + 5]],
    });
  });
});

describe.each(databases.eachSupportedId())(
  'hourly failure counts on %p',
  databaseId => {
    let knex: Awaited<ReturnType<typeof databases.init>>;
    let runs: KnexRunStore;
    let dlq: KnexDlqStore;
    let service: TriageService;

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

    /** The counts recomputed from the rows, as the triggers should have kept them. */
    async function recount(): Promise<Record<string, [number, number]>> {
      const counts: Record<string, [number, number]> = {};
      const add = (
        group: string,
        atMs: number,
        failures: number,
        inDlq: number,
      ) => {
        const key = `${group}@${atMs - (atMs % HOUR)}`;
        const [f, d] = counts[key] ?? [0, 0];
        counts[key] = [f + failures, d + inDlq];
      };
      for (const row of await knex('workflow_runs')
        .whereNotNull('failure_group')
        .whereNotNull('failed_at_ms')) {
        add(row.failure_group, Number(row.failed_at_ms), 1, 0);
      }
      for (const row of await knex('workflow_dlq_entries').whereNotNull(
        'failure_group',
      )) {
        add(
          row.failure_group,
          Number(row.created_at_ms),
          row.run_known ? 0 : 1,
          row.state === 'in-dlq' ? 1 : 0,
        );
      }
      return Object.fromEntries(
        Object.entries(counts).filter(([, [f, d]]) => f !== 0 || d !== 0),
      );
    }

    async function stored(): Promise<Record<string, [number, number]>> {
      const rows = await knex('workflow_failure_hours');
      return Object.fromEntries(
        rows
          .filter(r => Number(r.failures) !== 0 || Number(r.in_dlq) !== 0)
          .map(r => [
            `${r.failure_group}@${Number(r.hour_ms)}`,
            [Number(r.failures), Number(r.in_dlq)],
          ]),
      );
    }

    /** Per group, failures and entries in the DLQ in [fromMs, toMs), from the rows. */
    async function countedFromRows(fromMs: number, toMs: number) {
      const counts = new Map<string, { count: number; inDlq: number }>();
      const get = (group: string) => {
        const found = counts.get(group) ?? { count: 0, inDlq: 0 };
        counts.set(group, found);
        return found;
      };
      for (const row of await knex('workflow_runs').whereNotNull(
        'failure_group',
      )) {
        const at = Number(row.failed_at_ms);
        if (at >= fromMs && at < toMs) get(row.failure_group).count += 1;
      }
      for (const row of await knex('workflow_dlq_entries').whereNotNull(
        'failure_group',
      )) {
        const at = Number(row.created_at_ms);
        if (at < fromMs || at >= toMs) continue;
        if (!row.run_known) get(row.failure_group).count += 1;
        if (row.state === 'in-dlq') get(row.failure_group).inDlq += 1;
      }
      return counts;
    }

    async function expectTriageMatchesRows() {
      expect(await stored()).toEqual(await recount());
      const windows: Array<[number, number]> = [
        [NOW - 24 * HOUR, NOW],
        [NOW - 26 * HOUR - 17 * MINUTE, NOW - HOUR - 3 * MINUTE],
        [NOW - 40 * MINUTE, NOW - 5 * MINUTE],
        [NOW - 72 * HOUR, NOW],
      ];
      for (const [fromMs, toMs] of windows) {
        const triage = await service.triage(
          {
            from: new Date(fromMs).toISOString(),
            to: new Date(toMs).toISOString(),
          },
          workflows,
        );
        const expected = await countedFromRows(fromMs, toMs);
        const previous = await countedFromRows(2 * fromMs - toMs, fromMs);
        const got = Object.fromEntries(
          triage.groups.map(g => [
            g.groupId,
            [
              g.count,
              g.inDlqCount,
              g.previousCount,
              g.series.reduce((a, b) => a + b, 0),
            ],
          ]),
        );
        const want = Object.fromEntries(
          [...expected.entries()]
            .filter(([, c]) => c.count > 0)
            .map(([group, c]) => [
              group,
              [c.count, c.inDlq, previous.get(group)?.count ?? 0, c.count],
            ]),
        );
        expect(got).toEqual(want);
        for (const group of triage.groups.slice(0, 3)) {
          const { response } = await service.groupFailures(group.groupId, {
            from: new Date(fromMs).toISOString(),
            to: new Date(toMs).toISOString(),
          });
          expect(response.totalCount).toBe(group.count);
        }
      }
    }

    it('keeps the counts of every write and answers windows cut inside hours exactly', async () => {
      const times = randomTimes(240, 7, 60 * HOUR);
      for (const [i, at] of times.entries()) {
        const workflowId = i % 3 === 0 ? 'coe' : 'cars';
        await runs.upsertSyncedRun(
          failedRun(`wfr_${i}`, workflowId, at, `${ERRORS[i % 3]} (#${i})`),
          `f${i}`,
        );
      }
      // Entries of some runs, and entries whose run is not here.
      const entries = [
        ...times
          .slice(0, 60)
          .map((at, i) =>
            dlqEntry(
              `wfr_${i}`,
              i % 3 === 0 ? 'coe' : 'cars',
              at,
              ERRORS[i % 3],
            ),
          ),
        ...randomTimes(40, 11, 60 * HOUR).map((at, i) =>
          dlqEntry(`wfr_gone_${i}`, 'cars', at, 'HTTP 503'),
        ),
      ];
      await dlq.upsertListed(entries, NOW);
      await expectTriageMatchesRows();

      // Entries leave the DLQ; an orphan's run arrives; a run is synced again.
      await dlq.markLeft(
        entries
          .slice(0, 25)
          .map(e => ({ dlqId: e.dlqId, state: 'resumed' as const })),
      );
      await runs.upsertSyncedRun(
        failedRun('wfr_gone_3', 'cars', entries[63].createdAtMs, 'HTTP 503'),
        'late',
      );
      await runs.upsertSyncedRun(
        failedRun('wfr_5', 'cars', times[5], `${ERRORS[2]} (#5)`),
        'again',
      );
      await expectTriageMatchesRows();

      // Retention removes the oldest runs and entries.
      await runs.pruneStartedBefore(new Date(NOW - 30 * HOUR));
      await dlq.pruneCreatedBefore(new Date(NOW - 30 * HOUR));
      await expectTriageMatchesRows();
      expect(Object.keys(await stored()).length).toBeGreaterThan(10);
    });

    it('answers the same window again without recounting until a failure changes it', async () => {
      const store = new KnexTriageStore(knex);
      const buckets = jest.spyOn(store, 'failureBuckets');
      const cached = new TriageService({
        triage: store,
        dlq,
        runs,
        now: () => NOW,
      });
      const first = await cached.triage({}, workflows);
      const again = await cached.triage({}, workflows);
      expect(buckets).toHaveBeenCalledTimes(1);
      expect(again).toEqual(first);

      await runs.upsertSyncedRun(
        failedRun('wfr_new', 'cars', NOW - 10 * MINUTE, ERRORS[0]),
        'new',
      );
      const after = await cached.triage({}, workflows);
      expect(buckets).toHaveBeenCalledTimes(2);
      const total = (t: typeof first) =>
        t.groups.reduce((n, g) => n + g.count, 0);
      expect(total(after)).toBe(total(first) + 1);

      // An entry leaving the DLQ changes what the page shows too.
      const inDlq = (t: typeof first) =>
        t.groups.reduce((n, g) => n + g.inDlqCount, 0);
      const [entry] = await knex('workflow_dlq_entries')
        .where({ state: 'in-dlq' })
        .whereNotNull('failure_group')
        .where('created_at_ms', '>=', NOW - 24 * HOUR)
        .limit(1);
      await dlq.markLeft([{ dlqId: entry.dlq_id, state: 'deleted' }]);
      expect(inDlq(await cached.triage({}, workflows))).toBe(inDlq(after) - 1);
      expect(buckets).toHaveBeenCalledTimes(3);
    });
  },
);
