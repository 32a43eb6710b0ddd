import { Clock } from '../clock';
import { FlowControl, MessageConfig } from '../config/messageConfig';
import { badRequest, notFound } from '../errors';
import { newWorkflowRunId } from '../ids';
import { bodyFields } from '../messages/bodyEncoding';
import { Publisher } from '../messages/publisher';
import { deadLetterResponseFields, labelFields } from '../messages/views';
import { Stores } from '../store/stores';
import {
  StoredRun,
  WorkflowDlqEntry,
  WorkflowDlqFilter,
} from '../store/workflowStore';
import { WorkflowRuns } from './workflowRuns';

/** Settings a resume or restart request may change (from its `Upstash-*` headers). */
export interface RunOverrides {
  retries?: number;
  delayMs?: number;
  retryDelayExpression?: string;
  flowControl?: FlowControl;
  labels?: string[];
  failureCallbackUrl?: string;
}

export interface NewRun {
  workflowRunId: string;
  workflowCreatedAt: number;
}

/** The workflow dead letter queue: failed runs and what can be done with them. */
export class WorkflowDlq {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly publisher: Publisher,
    private readonly runs: WorkflowRuns,
  ) {}

  get(dlqId: string): WorkflowDlqEntry {
    const entry = this.stores.workflows.getDlq(dlqId);
    if (!entry) throw notFound(`workflow DLQ message ${dlqId} not found`);
    return entry;
  }

  list(filter: WorkflowDlqFilter, count: number, cursor?: number) {
    const page = this.stores.workflows.listDlq(filter, count, cursor);
    return {
      messages: page.entries.map(entry => this.view(entry)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  }

  /**
   * Entries selected by ids (the known ones; `requested` counts the distinct
   * ids asked for) or by a filter, at most `count`; `cursor` tells if more
   * match. An empty filter selects the whole queue.
   */
  select(
    filter: WorkflowDlqFilter,
    count: number,
    cursor?: number,
  ): { entries: WorkflowDlqEntry[]; cursor?: string; requested?: number } {
    if (filter.dlqIds?.length) {
      const ids = [...new Set(filter.dlqIds)];
      const entries = ids.flatMap(id => this.stores.workflows.getDlq(id) ?? []);
      return { entries, requested: ids.length };
    }
    return this.stores.workflows.listDlq(filter, count, cursor);
  }

  delete(dlqId: string): void {
    if (!this.stores.workflows.deleteDlq(dlqId)) {
      throw notFound(`workflow DLQ message ${dlqId} not found`);
    }
  }

  /** Continues failed runs from the failed step, in new runs, keeping finished steps. */
  resume(entries: WorkflowDlqEntry[], overrides: RunOverrides): NewRun[] {
    return this.replace(entries, overrides, 'resume');
  }

  /** Starts failed runs again from the first step, in new runs. */
  restart(entries: WorkflowDlqEntry[], overrides: RunOverrides): NewRun[] {
    return this.replace(entries, overrides, 'restart');
  }

  /** Calls the failure callback of a failed run again after it failed itself. */
  retryFailureCallback(dlqId: string): NewRun {
    const entry = this.get(dlqId);
    const run = this.stores.workflows.getRun(entry.runKey);
    const info = run?.failureFunction;
    if (!run || !info) {
      throw badRequest(`workflow run of ${dlqId} has no failure callback`);
    }
    if (info.state !== 'CALLBACK_FAIL') {
      throw badRequest(
        `failure callback of ${dlqId} is ${info.state}; only CALLBACK_FAIL can be retried`,
      );
    }
    this.stores.transaction(() =>
      this.runs.startFailureCallback(
        run,
        info.failStatus,
        info.failHeaders,
        Buffer.from(info.failResponse),
      ),
    );
    return { workflowRunId: run.runId, workflowCreatedAt: run.createdAt };
  }

  /** Cancels a failure callback that is still being delivered or retried. */
  cancelFailureCallback(dlqId: string): void {
    const entry = this.get(dlqId);
    this.stores.transaction(() => {
      const run = this.stores.workflows.getRun(entry.runKey);
      const info = run?.failureFunction;
      if (!run || !info) {
        throw badRequest(`workflow run of ${dlqId} has no failure callback`);
      }
      if (info.state !== 'CALLBACK_INPROGRESS') {
        throw badRequest(
          `failure callback of ${dlqId} is ${info.state}; only CALLBACK_INPROGRESS can be canceled`,
        );
      }
      this.runs.cancelFailureCallback(run);
    });
  }

  private replace(
    entries: WorkflowDlqEntry[],
    overrides: RunOverrides,
    mode: 'resume' | 'restart',
  ): NewRun[] {
    const dueTimes: number[] = [];
    const created = this.stores.transaction(() =>
      entries.map(entry => {
        const old = this.stores.workflows.getRun(entry.runKey);
        if (!old)
          throw notFound(`workflow run of ${entry.dlqId} no longer exists`);
        const result = this.copyRun(old, overrides, mode, dueTimes);
        this.stores.workflows.deleteDlq(entry.dlqId);
        return result;
      }),
    );
    for (const dueAt of dueTimes) this.publisher.queued(dueAt);
    return created;
  }

  private copyRun(
    old: StoredRun,
    overrides: RunOverrides,
    mode: 'resume' | 'restart',
    dueTimes: number[],
  ): NewRun {
    const now = this.clock.now();
    const runId = newWorkflowRunId();
    const oldMessages = this.stores.workflows.messages(old.runKey);
    const failureCallback =
      overrides.failureCallbackUrl !== undefined
        ? {
            url: overrides.failureCallbackUrl,
            headers: old.config.failureCallback?.headers ?? {},
          }
        : old.config.failureCallback;
    const runKey = this.stores.workflows.createRun({
      runId,
      workflowUrl: old.workflowUrl,
      state: 'RUN_STARTED',
      createdAt: now,
      initialBody: old.initialBody,
      config: {
        ...old.config,
        retries: overrides.retries ?? old.config.retries,
        retryDelayExpression:
          overrides.retryDelayExpression ?? old.config.retryDelayExpression,
        flowControl: overrides.flowControl ?? old.config.flowControl,
        failureCallback: retarget(failureCallback, old.runId, runId),
      },
      callerIp: old.callerIp,
      labels: overrides.labels ?? old.labels,
      flowControlKey: (overrides.flowControl ?? old.config.flowControl)?.key,
    });
    const run = this.stores.workflows.getRun(runKey)!;

    const toCopy =
      mode === 'restart' ? oldMessages.filter(m => m.seq === 0) : oldMessages;
    for (const message of toCopy) {
      // Finished steps are kept as they are; everything else is sent again.
      if (mode === 'resume' && message.deliveryState === 'delivered') {
        this.stores.workflows.addMessage({ ...message, runKey });
        continue;
      }
      const config: MessageConfig = {
        ...message.config,
        retries: overrides.retries ?? message.config.retries,
        retryDelayExpression:
          overrides.retryDelayExpression ?? message.config.retryDelayExpression,
        delayMs: overrides.delayMs,
        notBeforeMs: undefined,
        deduplicationId: undefined,
        contentBasedDeduplication: false,
        labels: overrides.labels ?? message.config.labels,
        workflow: message.config.workflow && {
          ...message.config.workflow,
          runId,
        },
        callback: retarget(message.config.callback, old.runId, runId),
        failureCallback: retarget(
          message.config.failureCallback,
          old.runId,
          runId,
        ),
      };
      const queued = this.publisher.enqueue({
        config,
        body: message.body,
        callerIp: old.callerIp,
        now,
        run,
        runSeq: message.seq,
      });
      if (message.seq === 0) {
        this.stores.workflows.setInitMessage(runKey, queued.messageId);
      }
      dueTimes.push(queued.dueAt);
    }
    return { workflowRunId: runId, workflowCreatedAt: now };
  }

  /** A DLQ entry as the API shows it. */
  view(entry: WorkflowDlqEntry) {
    const run = this.stores.workflows.getRun(entry.runKey);
    const info = run?.failureFunction;
    return {
      dlqId: entry.dlqId,
      messageId: entry.messageId,
      workflowUrl: entry.workflowUrl,
      workflowRunId: entry.workflowRunId,
      workflowCreatedAt: entry.workflowCreatedAt,
      url: entry.message.url,
      method: entry.message.method,
      header: entry.message.header,
      ...bodyFields(entry.body),
      maxRetries: entry.message.maxRetries,
      notBefore: entry.message.notBefore,
      createdAt: entry.message.createdAt,
      callerIP: entry.callerIp,
      ...labelFields(entry.labels),
      ...(entry.flowControlKey ? { flowControlKey: entry.flowControlKey } : {}),
      ...(info
        ? {
            failureCallback: info.url,
            failureFunctionState: info.state,
            failureCallbackInfo: {
              state: info.state,
              ...(info.responseStatus !== undefined
                ? { responseStatus: info.responseStatus }
                : {}),
              ...(info.responseBody !== undefined
                ? { responseBody: info.responseBody }
                : {}),
              ...(info.responseHeaders
                ? { responseHeaders: info.responseHeaders }
                : {}),
            },
          }
        : {}),
      ...deadLetterResponseFields(entry),
    };
  }
}

/** Points the run id inside callback settings at the new run. */
function retarget<T extends { url: string; headers: Record<string, string> }>(
  callback: T | undefined,
  oldRunId: string,
  newRunId: string,
): T | undefined {
  if (!callback) return undefined;
  const headers = { ...callback.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (name.endsWith('workflow-runid') && value === oldRunId)
      headers[name] = newRunId;
  }
  return { ...callback, headers };
}
