import type { CacheService } from '@backstage/backend-plugin-api';
import type { WorkflowSummary } from '@internal/plugin-workflows-common';
import type { RunStore } from '../database/RunStore';
import type { WorkflowDefinitionStore } from '../database/WorkflowDefinitionStore';
import { WorkflowsService } from './WorkflowsService';

type Figures = Awaited<ReturnType<RunStore['windowFigures']>>;

const workflow: WorkflowSummary = {
  id: 'cars',
  title: 'Car registrations',
  description: '',
  owner: 'group:default/platform',
  source: 'runner',
  endpoint: 'http://localhost/cars',
  schedule: null,
  requiredEnv: [],
  updatedAt: '2026-12-01T00:00:00.000Z',
};

/** A windowFigures whose answers the test hands out one by one. */
function controlledReads() {
  const pending: {
    resolve: (f: Figures) => void;
    reject: (e: Error) => void;
  }[] = [];
  const windowFigures = jest.fn(
    () =>
      new Promise<Figures>((resolve, reject) =>
        pending.push({ resolve, reject }),
      ),
  );
  return { windowFigures, pending };
}

const figures = (finished: number, succeeded: number): Figures => ({
  finished,
  succeeded,
  p50DurationMs: 1000,
});

/** The backend cache as replicas share it (Redis in production), in memory. */
function sharedCache(): CacheService & { broken: boolean } {
  const values = new Map<string, unknown>();
  const cache = {
    broken: false,
    async get(key: string) {
      if (cache.broken) throw new Error('cache down');
      return values.get(key);
    },
    async set(key: string, value: unknown) {
      if (cache.broken) throw new Error('cache down');
      values.set(key, value);
    },
    async delete(key: string) {
      values.delete(key);
    },
    withOptions: () => cache,
  };
  return cache as unknown as CacheService & { broken: boolean };
}

/** Lets the promise callbacks queued so far run. */
const settle = () => new Promise(resolve => setImmediate(resolve));

describe('WorkflowsService 7-day figures', () => {
  it('reads once, then serves stale figures while one read replaces them', async () => {
    const { windowFigures, pending } = controlledReads();
    let now = Date.parse('2026-12-01T12:00:00Z');
    const service = new WorkflowsService({
      workflows: {} as WorkflowDefinitionStore,
      runs: {
        lastRuns: async () => new Map(),
        windowFigures,
      } as unknown as RunStore,
      gateway: undefined,
      now: () => new Date(now),
    });
    const rate = async () =>
      (await service.overviews([workflow]))[0].stats.successRate7d;

    // The first answer waits for its read.
    const first = rate();
    await settle();
    pending[0].resolve(figures(4, 2));
    expect(await first).toBe(0.5);

    // Fresh: no read.
    now += 5_000;
    expect(await rate()).toBe(0.5);
    expect(windowFigures).toHaveBeenCalledTimes(1);

    // Stale: answered at once with the old figures, and one read for all.
    now += 10_000;
    expect(await rate()).toBe(0.5);
    expect(await rate()).toBe(0.5);
    expect(windowFigures).toHaveBeenCalledTimes(2);

    pending[1].resolve(figures(4, 4));
    await settle();
    expect(await rate()).toBe(1);

    // A failed refresh keeps the figures there are, and the next request tries again.
    now += 20_000;
    expect(await rate()).toBe(1);
    pending[2].reject(new Error('connection reset'));
    await settle();
    expect(await rate()).toBe(1);
    expect(windowFigures).toHaveBeenCalledTimes(4);
    pending[3].resolve(figures(10, 9));
    await settle();
    expect(await rate()).toBe(0.9);
  });

  it('does not keep a first read that failed', async () => {
    const { windowFigures, pending } = controlledReads();
    const service = new WorkflowsService({
      workflows: {} as WorkflowDefinitionStore,
      runs: {
        lastRuns: async () => new Map(),
        windowFigures,
      } as unknown as RunStore,
      gateway: undefined,
    });
    const failed = service.overviews([workflow]);
    await settle();
    pending[0].reject(new Error('database down'));
    await expect(failed).rejects.toThrow('database down');
    const next = service.overviews([workflow]);
    await settle();
    pending[1].resolve(figures(1, 1));
    expect((await next)[0].stats.successRate7d).toBe(1);
  });

  it('shares figures between replicas through the cache, and reads the database when the cache fails', async () => {
    const cache = sharedCache();
    let now = Date.parse('2026-12-01T12:00:00Z');
    const replica = () => {
      const reads = controlledReads();
      const service = new WorkflowsService({
        workflows: {} as WorkflowDefinitionStore,
        runs: {
          lastRuns: async () => new Map(),
          windowFigures: reads.windowFigures,
        } as unknown as RunStore,
        gateway: undefined,
        sharedCache: cache,
        now: () => new Date(now),
      });
      const rate = async () =>
        (await service.overviews([workflow]))[0].stats.successRate7d;
      return { ...reads, rate };
    };
    const one = replica();
    const two = replica();

    const first = one.rate();
    await settle();
    one.pending[0].resolve(figures(4, 3));
    expect(await first).toBe(0.75);
    // The other replica answers from what the first one read.
    now += 2_000;
    expect(await two.rate()).toBe(0.75);
    expect(two.windowFigures).not.toHaveBeenCalled();

    // Past their age, the shared figures are read again, once.
    now += 10_000;
    cache.broken = true;
    const third = replica();
    const answer = third.rate();
    await settle();
    expect(third.windowFigures).toHaveBeenCalledTimes(1);
    third.pending[0].resolve(figures(2, 2));
    expect(await answer).toBe(1);
  });
});
