import { MessageConfig } from '../config/messageConfig';
import { SqliteDatabase } from './database';
import { statementCache } from './statementCache';
import { WhereBuilder } from './where';

/** A message waiting for (or in) a delivery attempt. */
export interface StoredMessage {
  messageId: string;
  state: 'pending' | 'active';
  cancelRequested: boolean;
  nextAttemptAt: number;
  retried: number;
  maxRetries: number;
  createdAt: number;
  notBefore: number;
  callerIp: string;
  scheduleId?: string;
  runKey?: number;
  runSeq?: number;
  /** Position in its queue (`config.queueName`), in enqueue order. */
  queueSeq?: number;
  config: MessageConfig;
  body: Buffer;
}

/** A message that may be attempted now, with what the attempt counts against. */
export interface DueMessage {
  messageId: string;
  nextAttemptAt: number;
  flowControlKey?: string;
}

interface DueRow {
  message_id: string;
  next_attempt_at: number;
  flow_control_key: string | null;
}

/** A message's place at the front of its queue. */
export interface QueueSlot extends DueMessage {
  state: 'pending' | 'active';
}

function dueFromRow(row: DueRow): DueMessage {
  return {
    messageId: row.message_id,
    nextAttemptAt: row.next_attempt_at,
    ...(row.flow_control_key !== null
      ? { flowControlKey: row.flow_control_key }
      : {}),
  };
}

interface MessageRow {
  message_id: string;
  state: 'pending' | 'active';
  cancel_requested: number;
  next_attempt_at: number;
  retried: number;
  max_retries: number;
  created_at: number;
  not_before: number;
  caller_ip: string;
  schedule_id: string | null;
  run_key: number | null;
  run_seq: number | null;
  queue_seq: number | null;
  config: string;
  body: Buffer;
}

export interface MessageFilter {
  messageIds?: string[];
  urls?: string[];
  hosts?: string[];
  paths?: string[];
  labels?: string[];
  scheduleIds?: string[];
  flowControlKeys?: string[];
  callerIps?: string[];
  queueNames?: string[];
  topicNames?: string[];
  fromDate?: number;
  toDate?: number;
}

/**
 * Conditions for the index columns that the messages and logs tables both
 * carry, so a filter means the same on either; `timeColumn` is what the date
 * range applies to.
 */
export function whereMessageMatches(
  filter: MessageFilter,
  timeColumn: string,
): WhereBuilder {
  return new WhereBuilder()
    .anyOf('message_id', filter.messageIds)
    .anyOf('url', filter.urls)
    .anyOf('host', filter.hosts)
    .anyOf('path', filter.paths)
    .anyOf('schedule_id', filter.scheduleIds)
    .anyOf('flow_control_key', filter.flowControlKeys)
    .anyOf('caller_ip', filter.callerIps)
    .anyOf('queue_name', filter.queueNames)
    .anyOf('topic_name', filter.topicNames)
    .hasAnyLabel('labels', filter.labels)
    .atLeast(timeColumn, filter.fromDate)
    .atMost(timeColumn, filter.toDate);
}

function fromRow(row: MessageRow): StoredMessage {
  return {
    messageId: row.message_id,
    state: row.state,
    cancelRequested: row.cancel_requested === 1,
    nextAttemptAt: row.next_attempt_at,
    retried: row.retried,
    maxRetries: row.max_retries,
    createdAt: row.created_at,
    notBefore: row.not_before,
    callerIp: row.caller_ip,
    scheduleId: row.schedule_id ?? undefined,
    runKey: row.run_key ?? undefined,
    runSeq: row.run_seq ?? undefined,
    queueSeq: row.queue_seq ?? undefined,
    config: JSON.parse(row.config) as MessageConfig,
    body: row.body,
  };
}

export function urlParts(url: string): { host: string; path: string } {
  const parsed = new URL(url);
  return { host: parsed.host, path: parsed.pathname };
}

export class MessageStore {
  private readonly prepare: ReturnType<typeof statementCache>;
  private readonly insertStatement;
  private readonly getStatement;
  private readonly claimStatement;
  private readonly cancelRequestStatement;
  private readonly dueStatement;
  private readonly nextDueStatement;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
    this.insertStatement = this.prepare(`
      INSERT INTO messages (message_id, state, next_attempt_at, retried, max_retries,
        created_at, not_before, url, host, path, labels, schedule_id, flow_control_key,
        caller_ip, run_key, run_seq, queue_name, queue_seq, topic_name, config, body)
      VALUES (@messageId, 'pending', @nextAttemptAt, 0, @maxRetries, @createdAt, @notBefore,
        @url, @host, @path, @labels, @scheduleId, @flowControlKey, @callerIp, @runKey,
        @runSeq, @queueName, @queueSeq, @topicName, @config, @body)`);
    this.getStatement = this.prepare(
      'SELECT * FROM messages WHERE message_id = ?',
    );
    this.claimStatement = this.prepare(
      `UPDATE messages SET state = 'active' WHERE message_id = ? AND state = 'pending'
         RETURNING *`,
    );
    this.cancelRequestStatement = this.prepare(
      'SELECT cancel_requested FROM messages WHERE message_id = ?',
    );
    // Messages outside queues and flow control. The partial index is named
    // because the planner would otherwise walk messages_due past every
    // message a queue or flow-control key holds back.
    this.dueStatement = this.prepare(`
      SELECT message_id, next_attempt_at, flow_control_key
      FROM messages INDEXED BY messages_due_free
      WHERE state = 'pending' AND queue_name IS NULL AND flow_control_key IS NULL
        AND next_attempt_at <= ?
      ORDER BY next_attempt_at LIMIT ?`);
    this.nextDueStatement = this.prepare(
      `SELECT MIN(next_attempt_at) AS next FROM messages INDEXED BY messages_due_free
         WHERE state = 'pending' AND queue_name IS NULL AND flow_control_key IS NULL`,
    );
  }

  insert(message: StoredMessage): void {
    const { host, path } = urlParts(message.config.url);
    this.insertStatement.run({
      messageId: message.messageId,
      nextAttemptAt: message.nextAttemptAt,
      maxRetries: message.maxRetries,
      createdAt: message.createdAt,
      notBefore: message.notBefore,
      url: message.config.url,
      host,
      path,
      labels: JSON.stringify(message.config.labels),
      scheduleId: message.scheduleId ?? null,
      flowControlKey: message.config.flowControl?.key ?? null,
      callerIp: message.callerIp,
      runKey: message.runKey ?? null,
      runSeq: message.runSeq ?? null,
      queueName: message.config.queueName ?? null,
      queueSeq: message.queueSeq ?? null,
      topicName: message.config.urlGroup?.name ?? null,
      config: JSON.stringify(message.config),
      body: message.body,
    });
  }

  get(messageId: string): StoredMessage | undefined {
    const row = this.getStatement.get(messageId) as MessageRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Pending messages outside queues and flow control due at `at`, oldest first. */
  dueFree(at: number, limit: number): DueMessage[] {
    return (this.dueStatement.all(at, limit) as DueRow[]).map(dueFromRow);
  }

  /** When the next message outside queues and flow control falls due. */
  nextFreeDueTime(): number | undefined {
    const row = this.nextDueStatement.get() as { next: number | null };
    return row.next ?? undefined;
  }

  /**
   * The first `size` messages of a queue in FIFO order (delayed messages take
   * their place when their delay ends), whatever their state: these may be in
   * flight at once, and a head waiting for its retry keeps its place.
   */
  queueWindow(queueName: string, size: number): QueueSlot[] {
    const rows = this.prepare(
      `SELECT message_id, state, next_attempt_at, flow_control_key FROM messages
         WHERE queue_name = ? ORDER BY not_before, queue_seq LIMIT ?`,
    ).all(queueName, size) as Array<DueRow & { state: QueueSlot['state'] }>;
    return rows.map(row => ({ ...dueFromRow(row), state: row.state }));
  }

  /** Pending messages outside queues under a flow-control key, due at `at`. */
  dueForFlowKey(key: string, at: number, limit: number): DueMessage[] {
    return (
      this.prepare(
        `SELECT message_id, next_attempt_at, flow_control_key FROM messages
           WHERE flow_control_key = ? AND state = 'pending' AND queue_name IS NULL
             AND next_attempt_at <= ?
           ORDER BY next_attempt_at LIMIT ?`,
      ).all(key, at, limit) as DueRow[]
    ).map(dueFromRow);
  }

  /** When the key's next pending message outside queues falls due. */
  nextDueForFlowKey(key: string): number | undefined {
    const row = this.prepare(
      `SELECT MIN(next_attempt_at) AS next FROM messages
         WHERE flow_control_key = ? AND state = 'pending' AND queue_name IS NULL`,
    ).get(key) as { next: number | null };
    return row.next ?? undefined;
  }

  /** Attempts in flight under a flow-control key. */
  activeForFlowKey(key: string): number {
    return (
      this.prepare(
        `SELECT COUNT(*) AS n FROM messages WHERE flow_control_key = ? AND state = 'active'`,
      ).get(key) as { n: number }
    ).n;
  }

  /** Messages of a flow-control key that are due but not started. */
  waitingForFlowKey(key: string, at: number): number {
    return (
      this.prepare(
        `SELECT COUNT(*) AS n FROM messages WHERE flow_control_key = ?
           AND state = 'pending' AND next_attempt_at <= ?`,
      ).get(key, at) as { n: number }
    ).n;
  }

  /** Messages of a queue that wait for an attempt (not in flight). */
  queueLag(queueName: string): number {
    return (
      this.prepare(
        `SELECT COUNT(*) AS n FROM messages WHERE queue_name = ? AND state = 'pending'`,
      ).get(queueName) as { n: number }
    ).n;
  }

  forQueue(queueName: string): StoredMessage[] {
    return (
      this.prepare(
        `SELECT * FROM messages WHERE queue_name = ? ORDER BY not_before, queue_seq`,
      ).all(queueName) as MessageRow[]
    ).map(fromRow);
  }

  /** Attempts in flight now. */
  activeCount(): number {
    return (
      this.prepare(
        `SELECT COUNT(*) AS n FROM messages WHERE state = 'active'`,
      ).get() as { n: number }
    ).n;
  }

  /** Moves a pending message to active; undefined when someone else took or removed it. */
  claim(messageId: string): StoredMessage | undefined {
    const row = this.claimStatement.get(messageId) as MessageRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /**
   * Whether cancelling an active message was asked for, undefined when it is
   * gone; the only column that changes while a message is in flight.
   */
  cancelRequestOf(messageId: string): boolean | undefined {
    const row = this.cancelRequestStatement.get(messageId) as
      | { cancel_requested: number }
      | undefined;
    return row ? row.cancel_requested === 1 : undefined;
  }

  scheduleRetry(
    messageId: string,
    retried: number,
    nextAttemptAt: number,
  ): void {
    this.prepare(
      `UPDATE messages SET state = 'pending', retried = ?, next_attempt_at = ?
         WHERE message_id = ?`,
    ).run(retried, nextAttemptAt, messageId);
  }

  requestCancel(messageId: string): void {
    this.prepare(
      'UPDATE messages SET cancel_requested = 1 WHERE message_id = ?',
    ).run(messageId);
  }

  delete(messageId: string): void {
    this.prepare('DELETE FROM messages WHERE message_id = ?').run(messageId);
  }

  /** Messages matching a bulk filter (at least one field must be set by the caller). */
  find(filter: MessageFilter): StoredMessage[] {
    const where = whereMessageMatches(filter, 'created_at');
    const rows = this.prepare(
      `SELECT * FROM messages ${where.sql} ORDER BY created_at`,
    ).all(...where.params) as MessageRow[];
    return rows.map(fromRow);
  }

  forRun(runKey: number): StoredMessage[] {
    const rows = this.prepare(
      'SELECT * FROM messages WHERE run_key = ? ORDER BY run_seq',
    ).all(runKey) as MessageRow[];
    return rows.map(fromRow);
  }

  /** After a restart nothing is in flight: interrupted attempts are tried again. */
  releaseInterrupted(): void {
    this.prepare(
      `UPDATE messages SET state = 'pending' WHERE state = 'active'`,
    ).run();
  }
}
