import type { CacheService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  GetRunResponse,
  ListRunsQuery,
  ListRunsResponse,
  TriggerRunRequest,
  TriggerRunResponse,
  WorkflowOverview,
  WorkflowRun,
  WorkflowStats,
  WorkflowSummary,
} from '@internal/plugin-workflows-common';
import { Cron } from 'croner';
import type { RunStore } from '../database/RunStore';
import type { WorkflowDefinitionStore } from '../database/WorkflowDefinitionStore';
import type { QStashGateway } from '../qstash/QStashGateway';
import { formatRunLog } from './runLog';

const WEEK_MS = 7 * 24 * 3600_000;
/**
 * The 7-day figures are aggregates over thousands of runs: a few seconds old
 * is fine, and it keeps the workflows table cheap to load. The last run is
 * always read fresh.
 */
const WINDOW_FIGURES_TTL_MS = 10_000;
/**
 * Past their age, figures are still served while one read replaces them in
 * the background; reads that took long wait longer before the next one, so
 * that they take at most this share of the database's time.
 */
const WINDOW_FIGURES_MAX_SHARE = 0.1;

type WindowFigures = Awaited<ReturnType<RunStore['windowFigures']>>;

/** Figures as replicas share them: when they were read, and what. */
type SharedFigures = {
  at: number;
  figures: WindowFigures;
};

/** When the schedule fires next, or null (no schedule, or one croner cannot read). */
export function nextFireTime(
  schedule: WorkflowSummary['schedule'],
  now = new Date(),
): string | null {
  if (!schedule) return null;
  try {
    const next = new Cron(schedule.cron, {
      timezone: schedule.timezone,
      paused: true,
    }).nextRun(now);
    return next ? next.toISOString() : null;
  } catch {
    return null;
  }
}

/** Workflows, their run history and run operations, without permission checks. */
export class WorkflowsService {
  private readonly windowFiguresCache = new Map<
    string,
    {
      /** When the figures were read, and how long they stay fresh. */
      at: number;
      freshMs: number;
      value: Promise<WindowFigures>;
      refreshing?: Promise<unknown>;
    }
  >();

  private refreshQueue: Promise<unknown> = Promise.resolve();
  private readonly nextFireTimes = new Map<string, string | null>();

  constructor(
    private readonly options: {
      workflows: WorkflowDefinitionStore;
      runs: RunStore;
      /** Undefined when no QStash is configured: operations then say so. */
      gateway: QStashGateway | undefined;
      /**
       * Where replicas share the 7-day figures (the backend cache: Redis in
       * production), so that one replica's read serves the others.
       */
      sharedCache?: CacheService;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async listWorkflows(): Promise<WorkflowSummary[]> {
    return this.options.workflows.list();
  }

  async getWorkflow(id: string): Promise<WorkflowSummary> {
    const workflow = await this.options.workflows.get(id);
    if (!workflow) throw new NotFoundError(`No workflow "${id}"`);
    return workflow;
  }

  /** The workflows with their stats; one read of the last runs for all. */
  async overviews(workflows: WorkflowSummary[]): Promise<WorkflowOverview[]> {
    const now = this.now();
    const [lastRuns, figures] = await Promise.all([
      this.options.runs.lastRuns(workflows.map(w => w.id)),
      Promise.all(workflows.map(w => this.windowFigures(w.id, now))),
    ]);
    return workflows.map((workflow, i): WorkflowOverview => {
      const window = figures[i];
      const stats: WorkflowStats = {
        lastRun: lastRuns.get(workflow.id) ?? null,
        nextRunAt: this.nextRunAt(workflow.schedule, now),
        runs7d: window.finished,
        successRate7d:
          window.finished > 0 ? window.succeeded / window.finished : null,
        p50DurationMs7d: window.p50DurationMs,
      };
      return { ...workflow, stats };
    });
  }

  /** The next fire time, computed again only once it has passed. */
  private nextRunAt(schedule: WorkflowSummary['schedule'], now: Date) {
    if (!schedule) return null;
    const key = `${schedule.timezone} ${schedule.cron}`;
    const known = this.nextFireTimes.get(key);
    if (known && Date.parse(known) > now.getTime()) return known;
    const next = nextFireTime(schedule, now);
    this.nextFireTimes.set(key, next);
    return next;
  }

  private windowFigures(workflowId: string, now: Date) {
    const cached = this.windowFiguresCache.get(workflowId);
    if (!cached) return this.readWindowFigures(workflowId, now).value;
    if (now.getTime() - cached.at >= cached.freshMs && !cached.refreshing) {
      // Stale: answer with what is there while one read replaces it. The
      // workflows go stale together; their reads queue up one after the
      // other rather than loading the database all at once.
      cached.refreshing = this.refreshQueue = this.refreshQueue.then(() =>
        this.readWindowFigures(workflowId, now, cached).value.catch(() => {
          cached.refreshing = undefined;
        }),
      );
    }
    return cached.value;
  }

  private readWindowFigures(
    workflowId: string,
    now: Date,
    previous?: { value: Promise<unknown> },
  ) {
    const startedAt = Date.now();
    const read = this.sharedOrRead(workflowId, now);
    const value = read.then(result => result.figures);
    const entry = { at: now.getTime(), freshMs: WINDOW_FIGURES_TTL_MS, value };
    if (!previous) this.windowFiguresCache.set(workflowId, entry);
    read.then(
      ({ at, fromDatabase }) => {
        entry.at = at;
        if (fromDatabase) {
          entry.freshMs = Math.max(
            WINDOW_FIGURES_TTL_MS,
            (Date.now() - startedAt) / WINDOW_FIGURES_MAX_SHARE,
          );
        }
        if (previous) this.windowFiguresCache.set(workflowId, entry);
      },
      // A failed read must not be served from the cache.
      () => {
        if (!previous) this.windowFiguresCache.delete(workflowId);
      },
    );
    return entry;
  }

  /**
   * Figures another replica read within their age, else a read of the
   * database shared for the others. The shared cache is an optimisation: when
   * it fails, the database answers.
   */
  private async sharedOrRead(
    workflowId: string,
    now: Date,
  ): Promise<SharedFigures & { fromDatabase: boolean }> {
    const cache = this.options.sharedCache;
    const key = `window-figures:${workflowId}`;
    if (cache) {
      const shared = (await cache.get(key).catch(() => undefined)) as
        | SharedFigures
        | undefined;
      if (shared && now.getTime() - shared.at < WINDOW_FIGURES_TTL_MS) {
        return { ...shared, fromDatabase: false };
      }
    }
    const figures = await this.options.runs.windowFigures(
      workflowId,
      new Date(now.getTime() - WEEK_MS),
    );
    const fresh: SharedFigures = { at: now.getTime(), figures };
    if (cache) {
      await cache
        .set(key, fresh, { ttl: WINDOW_FIGURES_TTL_MS })
        .catch(() => undefined);
    }
    return { ...fresh, fromDatabase: true };
  }

  async listRuns(
    query: ListRunsQuery,
    readableWorkflowIds: string[],
  ): Promise<ListRunsResponse> {
    return this.options.runs.listRuns({
      ...query,
      workflowIds: readableWorkflowIds,
    });
  }

  async getRunRecord(runId: string): Promise<WorkflowRun> {
    const run = await this.options.runs.getRun(runId);
    if (!run) throw new NotFoundError(`No run "${runId}"`);
    return run;
  }

  async getRun(runId: string): Promise<GetRunResponse> {
    const run = await this.getRunRecord(runId);
    return { run, steps: await this.options.runs.getSteps(runId) };
  }

  async changeMarker(runId: string): Promise<string | undefined> {
    return this.options.runs.changeMarker(runId);
  }

  async runLog(runId: string): Promise<string> {
    const { run, steps } = await this.getRun(runId);
    const workflow = await this.options.workflows.get(run.workflowId);
    return formatRunLog(run, steps, workflow?.title);
  }

  private requireGateway(action: string): QStashGateway {
    if (!this.options.gateway) {
      throw new ConflictError(
        `Cannot ${action}: no QStash is configured (workflows.qstash.token, QSTASH_TOKEN)`,
      );
    }
    return this.options.gateway;
  }

  async triggerRun(
    workflow: WorkflowSummary,
    request: TriggerRunRequest,
  ): Promise<TriggerRunResponse> {
    const gateway = this.requireGateway(`trigger ${workflow.id}`);
    const { workflowRunId } = await gateway.triggerWorkflow({
      url: workflow.endpoint,
      body: request.body,
      headers: request.headers,
      label: request.label,
    });
    // Visible at once; the journal and the sync fill in the rest.
    await this.options.runs.recordTriggered({
      runId: workflowRunId,
      workflowId: workflow.id,
      label: request.label ?? null,
    });
    return { runId: workflowRunId, workflowId: workflow.id };
  }

  async cancelRun(run: WorkflowRun): Promise<WorkflowRun> {
    if (run.status !== 'running') {
      throw new ConflictError(
        `Run "${run.runId}" has already finished (${run.status}); only a running run can be cancelled`,
      );
    }
    await this.requireGateway(`cancel ${run.runId}`).cancelWorkflowRun(
      run.runId,
    );
    await this.options.runs.markCancelled(run.runId);
    return this.getRunRecord(run.runId);
  }
}
