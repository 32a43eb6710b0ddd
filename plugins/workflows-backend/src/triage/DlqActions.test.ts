import { NotFoundError } from '@backstage/errors';
import type { DlqStore, StoredDlqEntry } from '../database/DlqStore';
import type {
  DlqBulkAction,
  QStashDlqSource,
  QStashGateway,
} from '../qstash/QStashGateway';
import { DlqActions } from './DlqActions';

/**
 * Our gateway interface, recording each call; `missing` ids answer 404.
 * `listed` ids still read as present (they left between read and action).
 */
function recordingGateway(
  missing: Set<string> = new Set(),
  listed: Set<string> = new Set(),
) {
  const calls: string[] = [];
  const gateway = {
    async dlqBulk(
      source: QStashDlqSource,
      action: DlqBulkAction,
      dlqIds: string[],
    ) {
      calls.push(`bulk ${source} ${action} ${dlqIds.length}`);
      const gone = dlqIds.find(id => missing.has(id));
      if (gone) throw new NotFoundError(`DLQ message ${gone} not found`);
      return {
        workflowRunIds:
          action === 'resume' || action === 'restart'
            ? dlqIds.map(id => `wfr_new_${id}`)
            : [],
        handled: dlqIds.length,
      };
    },
    async dlqExists(_source: QStashDlqSource, dlqId: string) {
      return listed.has(dlqId) || !missing.has(dlqId);
    },
    async dlqOne(source: QStashDlqSource, action: string, dlqId: string) {
      calls.push(`one ${source} ${action} ${dlqId}`);
      if (missing.has(dlqId)) {
        throw new NotFoundError(`DLQ message ${dlqId} not found`);
      }
      return { workflowRunId: `wfr_new_${dlqId}` };
    },
  } as unknown as QStashGateway;
  return { gateway, calls };
}

function recordingStore() {
  const left: { dlqId: string; state: string }[] = [];
  const store = {
    async markLeft(changes: { dlqId: string; state: string }[]) {
      left.push(...changes);
    },
  } as unknown as DlqStore;
  return { store, left };
}

const entry = (
  dlqId: string,
  overrides: Partial<StoredDlqEntry> = {},
): { dlqId: string; entry: StoredDlqEntry } => ({
  dlqId,
  entry: {
    dlqId,
    source: 'workflow',
    workflowId: 'cars',
    runId: `wfr_${dlqId}`,
    messageId: null,
    url: null,
    createdAtMs: 0,
    responseStatus: 500,
    failedStep: 'publish',
    error: 'HTTP 500',
    failureGroup: 'g',
    state: 'in-dlq',
    resolvedRunId: null,
    ...overrides,
  },
});

const ids = (n: number, prefix = 'dlq_') =>
  Array.from({ length: n }, (_, i) => entry(`${prefix}${i}`));

describe('DlqActions', () => {
  it('resumes in bulk calls of at most 100 entries, restarts of at most 50', async () => {
    const { gateway, calls } = recordingGateway();
    const { store, left } = recordingStore();
    const actions = new DlqActions(gateway, store);

    const resumed = await actions.run('resume', ids(120), {});
    expect(calls).toEqual([
      'bulk workflow resume 100',
      'bulk workflow resume 20',
    ]);
    expect(resumed.every(o => o.ok)).toBe(true);
    expect(resumed[7].workflowRunId).toBe('wfr_new_dlq_7');
    expect(left).toHaveLength(120);
    expect(left[0]).toMatchObject({ dlqId: 'dlq_0', state: 'resumed' });

    calls.length = 0;
    await actions.run('restart', ids(120), {});
    expect(calls).toEqual([
      'bulk workflow restart 50',
      'bulk workflow restart 50',
      'bulk workflow restart 20',
    ]);
  });

  it('falls back to one call per entry when a bulk call fails, so the others still go through', async () => {
    const { gateway, calls } = recordingGateway(
      new Set(['dlq_1']),
      new Set(['dlq_1']),
    );
    const { store, left } = recordingStore();
    const outcomes = await new DlqActions(gateway, store).run(
      'delete',
      ids(3),
      {},
    );
    expect(calls).toEqual([
      'bulk workflow delete 3',
      'one workflow delete dlq_0',
      'one workflow delete dlq_1',
      'one workflow delete dlq_2',
    ]);
    expect(outcomes.map(o => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1].error).toContain('dlq_1 not found');
    expect(left.map(l => l.dlqId)).toEqual(['dlq_0', 'dlq_2']);
  });

  it('reports entries QStash no longer lists before the bulk call, which acts on the rest', async () => {
    const { gateway, calls } = recordingGateway(new Set(['dlq_1']));
    const { store, left } = recordingStore();
    const outcomes = await new DlqActions(gateway, store).run(
      'delete',
      ids(3),
      {},
    );
    expect(calls).toEqual(['bulk workflow delete 2']);
    expect(outcomes.map(o => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1].error).toMatch(/not found/i);
    expect(left).toEqual([
      { dlqId: 'dlq_1', state: 'gone' },
      expect.objectContaining({ dlqId: 'dlq_0', state: 'deleted' }),
      expect.objectContaining({ dlqId: 'dlq_2', state: 'deleted' }),
    ]);
  });

  it('never sends entries it cannot act on, and splits the two queues', async () => {
    const { gateway, calls } = recordingGateway();
    const { store } = recordingStore();
    const outcomes = await new DlqActions(gateway, store).run(
      'delete',
      [
        { dlqId: 'dlq_unknown' },
        entry('dlq_done', { state: 'resumed' }),
        entry('dlq_msg', { source: 'message' }),
        entry('dlq_run'),
      ],
      {},
    );
    expect(calls).toEqual(['bulk workflow delete 1', 'bulk message delete 1']);
    expect(outcomes.map(o => [o.dlqId, o.ok])).toEqual([
      ['dlq_unknown', false],
      ['dlq_done', false],
      ['dlq_msg', true],
      ['dlq_run', true],
    ]);
    expect(outcomes[1].error).toContain(
      'Already left the dead letter queue (resumed)',
    );

    calls.length = 0;
    const wrongQueue = await new DlqActions(gateway, store).run(
      'resume',
      [entry('dlq_msg', { source: 'message' })],
      {},
    );
    expect(calls).toEqual([]);
    expect(wrongQueue[0].error).toContain('redelivered');
  });

  it('retries failure functions one entry at a time and leaves the entries in the DLQ', async () => {
    const { gateway, calls } = recordingGateway();
    const { store, left } = recordingStore();
    const outcomes = await new DlqActions(gateway, store).run(
      'retry-failure-function',
      ids(2),
      {},
    );
    expect(calls).toEqual([
      'one workflow retry-failure-function dlq_0',
      'one workflow retry-failure-function dlq_1',
    ]);
    expect(outcomes.every(o => o.ok)).toBe(true);
    expect(left).toEqual([]);
  });
});
