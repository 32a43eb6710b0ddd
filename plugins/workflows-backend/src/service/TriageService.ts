import { InputError } from '@backstage/errors';
import type {
  DlqActionRequest,
  DlqGroupSelection,
  DlqActionResponse,
  TriageGroup,
  TriageGroupFailuresResponse,
  TriageQuery,
  TriageResponse,
  WorkflowSummary,
} from '@internal/plugin-workflows-common';
import type { DlqStore, StoredDlqEntry } from '../database/DlqStore';
import type { RunStore } from '../database/RunStore';
import type { GroupDlqPage, TriageStore } from '../database/TriageStore';
import type { QStashGateway } from '../qstash/QStashGateway';
import { DlqActions } from '../triage/DlqActions';
import { errorSignature } from '../triage/errorSignature';
import { probableCause } from '../triage/failureCause';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;
const DEFAULT_WINDOW_MS = DAY_MS;
const MAX_WINDOW_MS = 400 * DAY_MS;
/** Points of a sparkline, whatever the window. */
const BUCKETS = 24;
const MAX_GROUPS = 100;
const EXAMPLE_RUNS = 5;
const GROUP_DLQ_IDS = 50;
const GROUP_FAILURES = 100;
/** Entries of a whole-group action per request: one bulk call's worth. */
export const GROUP_ACTION_PAGE = 100;

export interface TriageServiceOptions {
  triage: TriageStore;
  dlq: DlqStore;
  runs: RunStore;
  gateway?: QStashGateway;
  now?: () => number;
}

/** Computed answers kept, each valid while the failures stay as they were. */
const CACHED_ANSWERS = 32;

/**
 * A window from the query: [from, to), by default the last 24 hours up to
 * the end of the current minute, so that reloads within a minute ask the
 * same question (and get the kept answer while nothing failed meanwhile).
 */
export function triageWindow(
  query: Pick<TriageQuery, 'from' | 'to'>,
  now: number,
): { fromMs: number; toMs: number } {
  const toMs = query.to
    ? Date.parse(query.to)
    : Math.ceil(now / MINUTE_MS) * MINUTE_MS;
  const fromMs = query.from ? Date.parse(query.from) : toMs - DEFAULT_WINDOW_MS;
  if (!(fromMs < toMs)) {
    throw new InputError('Invalid query: from must be before to');
  }
  if (toMs - fromMs > MAX_WINDOW_MS) {
    throw new InputError(
      `Invalid query: the window may span at most ${
        MAX_WINDOW_MS / DAY_MS
      } days`,
    );
  }
  return { fromMs, toMs };
}

function trendOf(count: number, previous: number): TriageGroup['trend'] {
  if (previous === 0) return 'new';
  if (count > previous * 1.25) return 'rising';
  if (count < previous * 0.75) return 'falling';
  return 'steady';
}

/** Failures grouped by cause, and the DLQ actions that fix them. */
export class TriageService {
  private readonly now: () => number;
  private readonly actions?: DlqActions;
  private readonly answers = new Map<
    string,
    { version: string; answer: Promise<Omit<TriageResponse, 'lastSyncedAt'>> }
  >();

  constructor(private readonly options: TriageServiceOptions) {
    this.now = options.now ?? Date.now;
    this.actions = options.gateway
      ? new DlqActions(options.gateway, options.dlq)
      : undefined;
  }

  async triage(
    query: TriageQuery,
    workflows: WorkflowSummary[],
  ): Promise<TriageResponse> {
    const { fromMs, toMs } = triageWindow(query, this.now());
    const key = JSON.stringify([
      fromMs,
      toMs,
      workflows.map(w => [w.id, w.title]),
    ]);
    // Read before computing: a write landing meanwhile moves the version
    // past the one the answer is kept under, so it is never served stale.
    const version = await this.options.triage.version();
    let kept = this.answers.get(key);
    if (kept?.version !== version) {
      // Concurrent requests for the same window share one computation.
      kept = {
        version,
        answer: this.computeTriage(fromMs, toMs, workflows),
      };
      const mine = kept;
      mine.answer.catch(() => {
        if (this.answers.get(key) === mine) this.answers.delete(key);
      });
      this.answers.delete(key);
      this.answers.set(key, kept);
      if (this.answers.size > CACHED_ANSWERS) {
        this.answers.delete(this.answers.keys().next().value!);
      }
    }
    const answer = await kept.answer;
    const synced = [
      await this.options.runs.lastSyncedAt(),
      await this.options.dlq.lastSyncedAt(),
    ].filter((t): t is string => t !== null);
    return {
      ...answer,
      lastSyncedAt: synced.length ? synced.sort().at(-1)! : null,
    };
  }

  private async computeTriage(
    fromMs: number,
    toMs: number,
    workflows: WorkflowSummary[],
  ): Promise<Omit<TriageResponse, 'lastSyncedAt'>> {
    const bucketMs = Math.ceil((toMs - fromMs) / BUCKETS);
    // The previous window of equal length comes first: buckets 0..BUCKETS-1.
    const originMs = fromMs - BUCKETS * bucketMs;
    const buckets = await this.options.triage.failureBuckets({
      fromMs,
      toMs,
      originMs,
      bucketMs,
      workflowIds: workflows.map(w => w.id),
    });

    const byGroup = new Map<
      string,
      {
        workflowId: string;
        count: number;
        inDlq: number;
        previous: number;
        series: number[];
      }
    >();
    for (const row of buckets) {
      let group = byGroup.get(row.failureGroup);
      if (!group) {
        group = {
          workflowId: row.workflowId,
          count: 0,
          inDlq: 0,
          previous: 0,
          series: new Array(BUCKETS).fill(0),
        };
        byGroup.set(row.failureGroup, group);
      }
      if (row.bucket < BUCKETS) {
        group.previous += row.count;
        continue;
      }
      group.count += row.count;
      group.inDlq += row.inDlq;
      group.series[Math.min(BUCKETS - 1, row.bucket - BUCKETS)] += row.count;
    }

    const titles = new Map(workflows.map(w => [w.id, w.title]));
    const current = [...byGroup.entries()]
      .filter(([, g]) => g.count > 0)
      .sort(([, a], [, b]) => b.count - a.count)
      .slice(0, MAX_GROUPS);
    const details = await this.options.triage.groupDetails(
      current.map(([failureGroup]) => failureGroup),
      { fromMs, toMs },
      { examples: EXAMPLE_RUNS, dlqIds: GROUP_DLQ_IDS },
    );
    const detailsOf = new Map(details.map(d => [d.failureGroup, d]));
    const groups = current.flatMap(([failureGroup, g]): TriageGroup[] => {
      const found = detailsOf.get(failureGroup);
      if (!found) return [];
      return [
        {
          groupId: failureGroup,
          workflowId: g.workflowId,
          workflowTitle: titles.get(g.workflowId) ?? g.workflowId,
          step: found.step,
          signature: found.signature ?? errorSignature(found.latestError),
          latestError: found.latestError,
          cause: probableCause({ error: found.latestError, step: found.step }),
          count: g.count,
          inDlqCount: g.inDlq,
          previousCount: g.previous,
          trend: trendOf(g.count, g.previous),
          firstSeen: new Date(found.firstMs).toISOString(),
          lastSeen: new Date(found.lastMs).toISOString(),
          series: g.series,
          exampleRunIds: found.exampleRunIds,
          dlqIds: found.dlqIds,
        },
      ];
    });
    // Equal counts: the most recent failure first.
    groups.sort(
      (a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen),
    );

    return {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      bucketMs,
      groups,
    };
  }

  /** The runs and DLQ entries of a group, newest first; the workflow to check. */
  async groupFailures(
    groupId: string,
    query: TriageQuery,
  ): Promise<{ response: TriageGroupFailuresResponse; workflowId?: string }> {
    const { fromMs, toMs } = triageWindow(query, this.now());
    const { items, totalCount, workflowId } =
      await this.options.triage.groupFailures(
        groupId,
        { fromMs, toMs },
        GROUP_FAILURES,
      );
    return { response: { groupId, items, totalCount }, workflowId };
  }

  /** The next page of a group's entries in the DLQ, for a whole-group action. */
  async groupDlqPage(selection: DlqGroupSelection): Promise<GroupDlqPage> {
    const { fromMs, toMs } = triageWindow(selection, this.now());
    return this.options.triage.groupDlqPage(
      selection.groupId,
      { fromMs, toMs },
      selection.after,
      GROUP_ACTION_PAGE,
    );
  }

  /** The mirrored entries of a selection, to check permissions on their workflows. */
  async dlqEntries(dlqIds: string[]): Promise<Map<string, StoredDlqEntry>> {
    return this.options.dlq.getEntries(dlqIds);
  }

  async act(
    request: DlqActionRequest,
    entries: { dlqId: string; entry?: StoredDlqEntry }[],
    denied: Map<string, string>,
  ): Promise<DlqActionResponse> {
    if (!this.actions) {
      throw new InputError(
        'QStash is not configured (workflows.qstash), so there is no dead letter queue to act on',
      );
    }
    const allowed = entries.filter(e => !denied.has(e.dlqId));
    const done = await this.actions.run(request.action, allowed, {
      retries: request.retries,
    });
    const byId = new Map(done.map(o => [o.dlqId, o]));
    const outcomes = entries.map(
      ({ dlqId }) =>
        byId.get(dlqId) ?? {
          dlqId,
          ok: false,
          workflowRunId: null,
          error: denied.get(dlqId) ?? 'Not handled',
        },
    );
    const succeeded = outcomes.filter(o => o.ok).length;
    return {
      action: request.action,
      outcomes,
      succeeded,
      failed: outcomes.length - succeeded,
    };
  }
}
