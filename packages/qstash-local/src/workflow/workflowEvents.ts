import { z } from 'zod';
import { Clock } from '../clock';
import { parseDuration } from '../config/durations';
import { lowerCaseHeaders, toHeaderRecord } from '../config/headerNames';
import { MessageConfig } from '../config/messageConfig';
import { isHttpUrl, parseMessageConfig } from '../config/parseMessageConfig';
import { badRequest, notFound } from '../errors';
import { newMessageId } from '../ids';
import { Publisher } from '../messages/publisher';
import { Stores } from '../store/stores';
import {
  StoredRun,
  StoredWaiter,
  WaitStep,
  WaiterDetails,
} from '../store/workflowStore';
import { WakeTimer } from '../wakeTimer';

// Longer waits are surely a mistake (Upstash plans allow days, not years).
const MAX_TIMEOUT_MS = 365 * 86_400_000;
// Timeouts handled per round, so one round never holds the database long.
const TIMEOUT_BATCH = 100;
const EVENT_ID_PATTERN = /^[^\s/]{1,512}$/;

const base64 = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
    'must be base64',
  );

const httpUrl = z.string().refine(isHttpUrl, {
  message: 'must be an absolute http:// or https:// URL',
});

/** The body `context.waitForEvent` posts to `/v2/wait/{eventId}`. */
const waitBodySchema = z.object({
  url: httpUrl,
  timeout: z.union([z.number(), z.string()], {
    errorMap: () => ({ message: 'must be seconds or a duration like 30s' }),
  }),
  timeoutUrl: httpUrl.optional(),
  timeoutBody: base64.optional(),
  timeoutHeaders: z.record(z.array(z.string())).optional(),
  step: z.object({
    stepId: z.number().int().positive(),
    stepName: z.string().min(1),
    stepType: z.string().min(1),
    concurrent: z.number().int().positive().default(1),
    targetStep: z.number().int().nonnegative().optional(),
  }),
});

/** A waiter as `GET /v2/waiters` and notify answers show it. */
export interface WaiterView {
  url: string;
  headers: Record<string, string[]>;
  /** Unix seconds. */
  deadline: number;
  timeoutUrl: string;
  timeoutHeaders: Record<string, string[]>;
  timeoutBody?: string;
}

export interface NotifyResult {
  waiter?: WaiterView;
  messageId: string;
  workflowRunId: string;
  workflowCreatedAt: number;
}

export function parseEventId(value: string | undefined): string {
  if (!value || !EVENT_ID_PATTERN.test(value)) {
    throw badRequest(
      `invalid eventId "${
        value ?? ''
      }": must be 1 to 512 characters without spaces or slashes`,
    );
  }
  return value;
}

function parseTimeoutMs(timeout: number | string): number {
  const ms =
    typeof timeout === 'number' ? timeout * 1000 : parseDuration(timeout);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw badRequest(
      `invalid wait body field timeout: ${JSON.stringify(
        timeout,
      )} is not a positive number of seconds or a duration like 30s, 5m, 2h or 7d`,
    );
  }
  if (ms > MAX_TIMEOUT_MS) {
    throw badRequest('invalid wait body field timeout: must be at most 365d');
  }
  return Math.round(ms);
}

function parseWaitBody(body: Buffer) {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('wait body must be a JSON object');
  }
  const parsed = waitBodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : 'body';
    throw badRequest(`invalid wait body field ${field}: ${issue.message}`);
  }
  return parsed.data;
}

/** The headers a waiter shows: QStash's own and the content type, never credentials. */
function shownHeaders(headers: Record<string, string>) {
  return toHeaderRecord(
    Object.entries(headers).filter(
      ([name]) => name.startsWith('upstash-') || name === 'content-type',
    ),
  );
}

export function waiterView(waiter: StoredWaiter): WaiterView {
  const { details } = waiter;
  return {
    url: details.url,
    headers: details.headers,
    deadline: Math.floor(waiter.deadline / 1000),
    timeoutUrl: details.timeoutUrl,
    timeoutHeaders: details.timeoutHeaders,
    ...(details.timeoutBody ? { timeoutBody: details.timeoutBody } : {}),
  };
}

/**
 * `context.waitForEvent` and notify: waiters, saved notifications of a run,
 * and the timeouts. A wait ends with a step message carrying the SDK's Wait
 * step, `out` the event data in base64 and `waitTimeout` telling which way it
 * ended; it is delivered like any other step of the run.
 */
export class WorkflowEvents {
  private readonly timer: WakeTimer;
  private stopped = false;

  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly publisher: Publisher,
    private readonly onError: (error: unknown) => void,
  ) {
    this.timer = new WakeTimer(clock, () => this.onTimer());
  }

  /** Arms the timer for waiters kept in the data file. */
  start(): void {
    this.armTimer();
  }

  stop(): void {
    this.stopped = true;
    this.timer.stop();
  }

  /** `POST /v2/wait/{eventId}`; returns the id the continuation will carry. */
  wait(
    eventId: string,
    headers: Record<string, string>,
    body: Buffer,
    callerIp: string,
  ): { messageId: string } {
    const request = parseWaitBody(body);
    const timeoutMs = parseTimeoutMs(request.timeout);
    const notifyConfig = parseMessageConfig(request.url, headers);
    const runId = notifyConfig.workflow?.runId;
    if (!runId) {
      throw badRequest(
        'missing Upstash-Workflow-RunId header: a wait belongs to a workflow run',
      );
    }
    const timeoutHeaders = request.timeoutHeaders
      ? lowerCaseHeaders(request.timeoutHeaders)
      : headers;
    const timeoutUrl = request.timeoutUrl ?? request.url;
    let timeoutConfig: MessageConfig;
    try {
      timeoutConfig = parseMessageConfig(timeoutUrl, timeoutHeaders);
    } catch (error) {
      throw badRequest(
        `invalid wait body field timeoutHeaders: ${(error as Error).message}`,
      );
    }
    if (timeoutConfig.workflow && timeoutConfig.workflow.runId !== runId) {
      throw badRequest(
        `invalid wait body field timeoutHeaders: names run ${timeoutConfig.workflow.runId}, the wait is for run ${runId}`,
      );
    }
    // The timeout continues the same run even when its headers do not say so.
    timeoutConfig = {
      ...timeoutConfig,
      workflow: timeoutConfig.workflow ?? notifyConfig.workflow,
    };

    const step: WaitStep = {
      stepId: request.step.stepId,
      stepName: request.step.stepName,
      stepType: request.step.stepType,
      concurrent: request.step.concurrent,
      ...(request.step.targetStep !== undefined
        ? { targetStep: request.step.targetStep }
        : {}),
    };
    const details: WaiterDetails = {
      url: request.url,
      headers: shownHeaders(headers),
      timeoutUrl,
      timeoutHeaders: shownHeaders(timeoutHeaders),
      ...(request.timeoutBody ? { timeoutBody: request.timeoutBody } : {}),
      timeoutText: String(request.timeout),
      step,
      notifyConfig,
      timeoutConfig,
      callerIp,
    };

    const now = this.clock.now();
    const outcome = this.stores.transaction(() => {
      const run = this.stores.workflows.activeRun(runId);
      if (!run) {
        throw badRequest(
          `workflow run ${runId} is not running (it finished, failed or was canceled)`,
        );
      }
      const waiter: Omit<StoredWaiter, 'waiterKey'> = {
        runKey: run.runKey,
        eventId,
        stepId: step.stepId,
        messageId: newMessageId(),
        createdAt: now,
        deadline: now + timeoutMs,
        details,
      };
      // A notification sent to this run before it waited ends the wait at once.
      const saved = this.stores.workflows.takeNotification(run.runKey, eventId);
      if (saved) {
        const dueAt = this.continueRun(
          run,
          { ...waiter, messageId: saved.messageId },
          saved.data,
          false,
        );
        return { messageId: saved.messageId, dueAt };
      }
      this.stores.workflows.addWaiter(waiter);
      return { messageId: waiter.messageId, dueAt: undefined };
    });
    if (outcome.dueAt !== undefined) this.publisher.queued(outcome.dueAt);
    else this.armTimer();
    return { messageId: outcome.messageId };
  }

  /** `POST /v2/notify/{eventId}`: wakes every waiter of the event. */
  notify(eventId: string, data: Buffer): NotifyResult[] {
    const { results, dueAts } = this.stores.transaction(() =>
      this.wake(this.stores.workflows.waitersFor(eventId), data),
    );
    for (const dueAt of dueAts) this.publisher.queued(dueAt);
    return results;
  }

  /**
   * `POST /v2/notify/{workflowRunId}/{eventId}`: wakes that run's waiters of
   * the event, or keeps the notification until the run waits for it.
   */
  notifyRun(runId: string, eventId: string, data: Buffer): NotifyResult {
    const { results, dueAts } = this.stores.transaction(() => {
      const run = this.stores.workflows.latestRun(runId);
      if (!run) throw notFound(`workflow run ${runId} not found`);
      if (run.state !== 'RUN_STARTED') {
        throw badRequest(
          `workflow run ${runId} is not running (state ${run.state})`,
        );
      }
      const waiters = this.stores.workflows.waitersFor(eventId, run.runKey);
      if (waiters.length) return this.wake(waiters, data);
      const messageId = newMessageId();
      this.stores.workflows.saveNotification({
        runKey: run.runKey,
        eventId,
        messageId,
        data,
        createdAt: this.clock.now(),
      });
      return {
        results: [
          {
            messageId,
            workflowRunId: run.runId,
            workflowCreatedAt: run.createdAt,
          },
        ],
        dueAts: [],
      };
    });
    for (const dueAt of dueAts) this.publisher.queued(dueAt);
    // The API answers one object here; a run rarely waits twice for one event.
    return results[0];
  }

  waiters(eventId: string): WaiterView[] {
    return this.stores.workflows.waitersFor(eventId).map(waiterView);
  }

  /** Ends every wait whose timeout has come by `at`; returns how many. */
  fireDue(at: number): number {
    let fired = 0;
    for (;;) {
      const dueAts = this.stores.transaction(() => {
        const due = this.stores.workflows.dueWaiters(at, TIMEOUT_BATCH);
        const times: number[] = [];
        for (const waiter of due) {
          if (!this.stores.workflows.deleteWaiter(waiter.waiterKey)) continue;
          const run = this.stores.workflows.getRun(waiter.runKey);
          if (run?.state !== 'RUN_STARTED') continue;
          const body = waiter.details.timeoutBody
            ? Buffer.from(waiter.details.timeoutBody, 'base64')
            : undefined;
          times.push(this.continueRun(run, waiter, body, true));
        }
        return { times, batch: due.length };
      });
      fired += dueAts.times.length;
      for (const dueAt of dueAts.times) this.publisher.queued(dueAt);
      if (dueAts.batch < TIMEOUT_BATCH) break;
    }
    this.armTimer();
    return fired;
  }

  private wake(
    waiters: StoredWaiter[],
    data: Buffer,
  ): { results: NotifyResult[]; dueAts: number[] } {
    const results: NotifyResult[] = [];
    const dueAts: number[] = [];
    for (const waiter of waiters) {
      if (!this.stores.workflows.deleteWaiter(waiter.waiterKey)) continue;
      const run = this.stores.workflows.getRun(waiter.runKey);
      if (run?.state !== 'RUN_STARTED') continue;
      dueAts.push(this.continueRun(run, waiter, data, false));
      results.push({
        waiter: waiterView(waiter),
        messageId: waiter.messageId,
        workflowRunId: run.runId,
        workflowCreatedAt: run.createdAt,
      });
    }
    return { results, dueAts };
  }

  /**
   * Stores the step message that ends a wait (inside the caller's
   * transaction) and returns when it is due.
   */
  private continueRun(
    run: StoredRun,
    waiter: Omit<StoredWaiter, 'waiterKey'>,
    data: Buffer | undefined,
    timedOut: boolean,
  ): number {
    const { details } = waiter;
    const step = {
      ...details.step,
      waitEventId: waiter.eventId,
      waitTimeout: timedOut,
      waitTimeoutDuration: details.timeoutText,
      waitTimeoutDeadline: waiter.deadline,
      ...(data !== undefined ? { out: data.toString('base64') } : {}),
    };
    const { dueAt } = this.publisher.enqueue(
      {
        config: timedOut ? details.timeoutConfig : details.notifyConfig,
        body: Buffer.from(JSON.stringify(step)),
        callerIp: details.callerIp,
        now: this.clock.now(),
        run,
        runSeq: this.stores.workflows.nextSeq(run.runKey),
      },
      waiter.messageId,
    );
    return dueAt;
  }

  private onTimer(): void {
    if (this.stopped) return;
    try {
      this.fireDue(this.clock.now());
    } catch (error) {
      // Like the dispatcher: report, and leave the next wait or runDue to try again.
      this.onError(error);
    }
  }

  private armTimer(): void {
    if (this.stopped) return;
    const next = this.stores.workflows.nextWaiterDeadline();
    if (next !== undefined) this.timer.wakeAtOrBefore(next);
  }
}
