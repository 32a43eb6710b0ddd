import { createHash } from 'node:crypto';
import { Clock } from '../clock';
import { MessageConfig } from '../config/messageConfig';
import { newMessageId } from '../ids';
import { StoredMessage } from '../store/messageStore';
import { Stores } from '../store/stores';
import { StoredRun, StoredWorkflowMessage } from '../store/workflowStore';
import { placeWorkflowMessage } from '../workflow/runRegistry';
import { stepIdOf } from '../workflow/stepBody';
import { MessageLog } from './messageLog';

export const DEFAULT_RETRIES = 3;
const DEDUPLICATION_WINDOW_MS = 10 * 60_000;

export interface PublishContext {
  callerIp: string;
  scheduleId?: string;
  /** Time the message is created at; schedule ticks pass their slot time. */
  at?: number;
}

export interface PublishRequest {
  config: MessageConfig;
  body: Buffer;
  context: PublishContext;
}

export interface PublishResult {
  messageId: string;
  url: string;
  deduplicated?: true;
}

/** A message to store as it is, with its place in a run already decided. */
export interface EnqueueRequest {
  config: MessageConfig;
  body: Buffer;
  callerIp: string;
  scheduleId?: string;
  now: number;
  run?: StoredRun;
  runSeq?: number;
}

function deduplicationKey(
  config: MessageConfig,
  body: Buffer,
): string | undefined {
  if (config.deduplicationId) {
    // Each endpoint of a URL group gets its own message under the same id.
    return config.urlGroup
      ? `id:${config.deduplicationId}\n${config.url}`
      : `id:${config.deduplicationId}`;
  }
  if (!config.contentBasedDeduplication) return undefined;
  const hash = createHash('sha256')
    .update(config.url)
    .update('\n')
    .update(config.method)
    .update('\n')
    .update(config.contentType ?? '')
    .update('\n')
    .update(JSON.stringify([...config.forwardHeaders].sort()))
    .update('\n')
    .update(body);
  return `content:${hash.digest('hex')}`;
}

function workflowCallTypeOf(
  config: MessageConfig,
): StoredWorkflowMessage['callType'] {
  const callType = config.workflow?.callType;
  return callType === 'toCallback' || callType === 'fromCallback'
    ? callType
    : 'step';
}

/** Accepts messages: deduplicates, links workflow messages to runs, stores and queues them. */
export class Publisher {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly messageLog: MessageLog,
    private readonly onQueued: (dueAt: number) => void,
  ) {}

  publish(request: PublishRequest): PublishResult {
    return this.publishAll([request])[0];
  }

  /** Stores all messages in one transaction: a batch is accepted whole or not at all. */
  publishAll(requests: PublishRequest[]): PublishResult[] {
    const stored = this.stores.transaction(() =>
      requests.map(request => this.accept(request)),
    );
    for (const item of stored) {
      if (item.dueAt !== undefined) this.onQueued(item.dueAt);
    }
    return stored.map(item => item.result);
  }

  /**
   * Like publishAll, but shares one commit with the other calls of this turn
   * of the event loop. Each call keeps its own savepoint, so it is accepted
   * whole or not at all; the promise settles once the commit holds it.
   */
  async publishAllSoon(requests: PublishRequest[]): Promise<PublishResult[]> {
    const stored = await this.stores.transactionSoon(() =>
      requests.map(request => this.accept(request)),
    );
    for (const item of stored) {
      if (item.dueAt !== undefined) this.onQueued(item.dueAt);
    }
    return stored.map(item => item.result);
  }

  private accept({ config, body, context }: PublishRequest): {
    result: PublishResult;
    dueAt?: number;
  } {
    const now = context.at ?? this.clock.now();
    const dedupKey = deduplicationKey(config, body);
    if (dedupKey) {
      const existing = this.stores.dedup.find(dedupKey, now);
      if (existing) {
        return {
          result: { messageId: existing, url: config.url, deduplicated: true },
        };
      }
    }

    const messageId = newMessageId();
    const placement = config.workflow
      ? placeWorkflowMessage(
          this.stores.workflows,
          config.workflow,
          config,
          body,
          messageId,
          context.callerIp,
          now,
        )
      : undefined;
    if (placement?.kind === 'duplicateStart') {
      return {
        result: {
          messageId: placement.existingMessageId,
          url: config.url,
          deduplicated: true,
        },
      };
    }

    const queued = this.enqueue(
      {
        config,
        body,
        callerIp: context.callerIp,
        scheduleId: context.scheduleId,
        now,
        run: placement?.run,
        runSeq: placement?.seq,
      },
      messageId,
    );
    if (dedupKey) {
      this.stores.dedup.remember(
        dedupKey,
        messageId,
        now + DEDUPLICATION_WINDOW_MS,
      );
    }
    return { result: { messageId, url: config.url }, dueAt: queued.dueAt };
  }

  /**
   * Stores one message (and its run entry) and logs it as CREATED. The caller
   * runs it inside a transaction and wakes the dispatcher with `dueAt`.
   */
  enqueue(
    request: EnqueueRequest,
    messageId: string = newMessageId(),
  ): { messageId: string; dueAt: number } {
    const { config, body, run, now } = request;
    // Steps of a run retry like the run was told to when it started; a
    // context.call brings its own retry settings for the external call.
    const inherits =
      run !== undefined && config.workflow?.callType !== 'toCallback';
    // Flow control likewise: serve() sends it with the start only.
    const effectiveConfig: MessageConfig = {
      ...config,
      ...(inherits &&
      !config.retryDelayExpression &&
      run.config.retryDelayExpression
        ? { retryDelayExpression: run.config.retryDelayExpression }
        : {}),
      ...(inherits && !config.flowControl && run.config.flowControl
        ? { flowControl: run.config.flowControl }
        : {}),
    };
    const maxRetries =
      config.retries ??
      (inherits ? run.config.retries : undefined) ??
      DEFAULT_RETRIES;
    const notBefore =
      config.notBeforeMs ??
      (config.delayMs !== undefined ? now + config.delayMs : now);

    const message: StoredMessage = {
      messageId,
      state: 'pending',
      cancelRequested: false,
      nextAttemptAt: notBefore,
      retried: 0,
      maxRetries,
      createdAt: now,
      notBefore,
      callerIp: request.callerIp,
      scheduleId: request.scheduleId,
      runKey: run?.runKey,
      runSeq: request.runSeq,
      queueSeq: effectiveConfig.queueName
        ? this.stores.queues.nextSeq(effectiveConfig.queueName, now)
        : undefined,
      config: effectiveConfig,
      body,
    };
    if (effectiveConfig.flowControl) {
      const { key, ...settings } = effectiveConfig.flowControl;
      this.stores.flowControl.noteSettings(key, settings, now);
    }
    this.stores.messages.insert(message);
    if (run && request.runSeq !== undefined) {
      this.stores.workflows.addMessage({
        runKey: run.runKey,
        seq: request.runSeq,
        messageId,
        callType: workflowCallTypeOf(config),
        stepId: request.runSeq === 0 ? 0 : stepIdOf(config, body),
        body,
        createdAt: now,
        deliveryState: 'pending',
        maxRetries,
        errors: [],
        config: effectiveConfig,
      });
    }
    this.messageLog.record(message, 'CREATED', now);
    return { messageId, dueAt: notBefore };
  }

  /** Wakes the dispatcher for messages stored with `enqueue`. */
  queued(dueAt: number): void {
    this.onQueued(dueAt);
  }
}
