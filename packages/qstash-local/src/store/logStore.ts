import { SqliteDatabase } from './database';
import { Page, pageOf } from './page';
import { statementCache } from './statementCache';
import { MessageFilter, whereMessageMatches } from './messageStore';

export const LOG_STATES = [
  'CREATED',
  'ACTIVE',
  'RETRY',
  'ERROR',
  'DELIVERED',
  'FAILED',
  'CANCEL_REQUESTED',
  'CANCELLED',
] as const;
export type LogState = (typeof LOG_STATES)[number];

/** One state change of a message, shaped like QStash's `LogEntry`. */
export interface LogEntry {
  time: number;
  messageId: string;
  state: LogState;
  url: string;
  method: string;
  header: Record<string, string[]>;
  /** Base64 of the message body. */
  body: string;
  maxRetries: number;
  labels?: string[];
  label?: string;
  scheduleId?: string;
  queueName?: string;
  topicName?: string;
  endpointName?: string;
  callback?: string;
  failureCallback?: string;
  retryDelayExpression?: string;
  timeout?: number;
  error?: string;
  nextDeliveryTime?: number;
  responseStatus?: number;
  /** Base64 of the response body. */
  responseBody?: string;
  responseHeaders?: Record<string, string[]>;
}

/** A message's destination, with the parts that filters match. */
export interface LogLocation {
  url: string;
  host: string;
  path: string;
}

export interface LogIndexFields {
  scheduleId?: string;
  labels: string[];
  flowControlKey?: string;
  callerIp: string;
  queueName?: string;
  topicName?: string;
}

/** The message filter, plus the state of the logged change. */
export interface LogFilter extends MessageFilter {
  states?: string[];
}

export type LogPage = Page<LogEntry>;

export class LogStore {
  private readonly prepare: ReturnType<typeof statementCache>;
  private readonly insertStatement;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
    this.insertStatement = this.prepare(`
      INSERT INTO logs (time, message_id, state, url, host, path, schedule_id, labels,
        flow_control_key, caller_ip, queue_name, topic_name, entry)
      VALUES (@time, @messageId, @state, @url, @host, @path, @scheduleId, @labels,
        @flowControlKey, @callerIp, @queueName, @topicName, @entry)`);
  }

  /** `entry` is the whole LogEntry as JSON, which `list` hands back parsed. */
  add(
    fields: Pick<LogEntry, 'time' | 'messageId' | 'state'> & LogLocation,
    entry: string,
    index: LogIndexFields,
  ): void {
    this.insertStatement.run({
      time: fields.time,
      messageId: fields.messageId,
      state: fields.state,
      url: fields.url,
      host: fields.host,
      path: fields.path,
      scheduleId: index.scheduleId ?? null,
      labels: JSON.stringify(index.labels),
      flowControlKey: index.flowControlKey ?? null,
      callerIp: index.callerIp,
      queueName: index.queueName ?? null,
      topicName: index.topicName ?? null,
      entry,
    });
  }

  /** Newest first; the cursor is the position to continue below. */
  list(filter: LogFilter, count: number, cursor?: number): LogPage {
    const where = whereMessageMatches(filter, 'time')
      .anyOf('state', filter.states)
      .below('id', cursor);
    const rows = this.prepare(
      `SELECT id, entry FROM logs ${where.sql} ORDER BY id DESC LIMIT ?`,
    ).all(...where.params, count + 1) as Array<{ id: number; entry: string }>;
    return pageOf(
      rows,
      count,
      row => JSON.parse(row.entry) as LogEntry,
      row => row.id,
    );
  }
}
