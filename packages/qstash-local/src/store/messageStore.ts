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
  config: MessageConfig;
  body: Buffer;
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
  private readonly dueStatement;
  private readonly nextDueStatement;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
    this.insertStatement = this.prepare(`
      INSERT INTO messages (message_id, state, next_attempt_at, retried, max_retries,
        created_at, not_before, url, host, path, labels, schedule_id, flow_control_key,
        caller_ip, run_key, run_seq, config, body)
      VALUES (@messageId, 'pending', @nextAttemptAt, 0, @maxRetries, @createdAt, @notBefore,
        @url, @host, @path, @labels, @scheduleId, @flowControlKey, @callerIp, @runKey,
        @runSeq, @config, @body)`);
    this.getStatement = this.prepare(
      'SELECT * FROM messages WHERE message_id = ?',
    );
    this.claimStatement = this.prepare(
      `UPDATE messages SET state = 'active' WHERE message_id = ? AND state = 'pending'`,
    );
    this.dueStatement = this.prepare(`
      SELECT message_id FROM messages
      WHERE state = 'pending' AND next_attempt_at <= ?
      ORDER BY next_attempt_at LIMIT ?`);
    this.nextDueStatement = this.prepare(
      `SELECT MIN(next_attempt_at) AS next FROM messages WHERE state = 'pending'`,
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
      config: JSON.stringify(message.config),
      body: message.body,
    });
  }

  get(messageId: string): StoredMessage | undefined {
    const row = this.getStatement.get(messageId) as MessageRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Ids of pending messages due at `at`, oldest first. */
  due(at: number, limit: number): string[] {
    return (
      this.dueStatement.all(at, limit) as Array<{ message_id: string }>
    ).map(row => row.message_id);
  }

  nextDueTime(): number | undefined {
    const row = this.nextDueStatement.get() as { next: number | null };
    return row.next ?? undefined;
  }

  /** Moves a pending message to active; false when someone else took or removed it. */
  claim(messageId: string): boolean {
    return this.claimStatement.run(messageId).changes === 1;
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
