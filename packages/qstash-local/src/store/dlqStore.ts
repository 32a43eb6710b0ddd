import { MessageConfig } from '../config/messageConfig';
import { SqliteDatabase } from './database';
import { Page, pageOf } from './page';
import { statementCache } from './statementCache';
import { WhereBuilder } from './where';

/** A message that failed all its attempts, with the last response. */
export interface DlqEntry {
  dlqId: string;
  messageId: string;
  createdAt: number;
  messageCreatedAt: number;
  notBefore: number;
  maxRetries: number;
  callerIp: string;
  scheduleId?: string;
  config: MessageConfig;
  body: Buffer;
  responseStatus?: number;
  responseHeader?: Record<string, string[]>;
  responseBody?: Buffer;
}

interface DlqRow {
  position: number;
  dlq_id: string;
  message_id: string;
  created_at: number;
  message_created_at: number;
  not_before: number;
  max_retries: number;
  caller_ip: string;
  schedule_id: string | null;
  config: string;
  body: Buffer;
  response_status: number | null;
  response_header: string | null;
  response_body: Buffer | null;
}

/** Filter fields that the message and the workflow dead letters share. */
export interface DeadLetterFilter {
  dlqIds?: string[];
  labels?: string[];
  flowControlKeys?: string[];
  callerIps?: string[];
  responseStatuses?: number[];
  fromDate?: number;
  toDate?: number;
}

export interface DlqFilter extends DeadLetterFilter {
  messageIds?: string[];
  urls?: string[];
  scheduleIds?: string[];
  queueNames?: string[];
  topicNames?: string[];
}

export type DlqPage = Page<DlqEntry>;

/**
 * Conditions on the columns both dead-letter tables carry, newest first below
 * the cursor; `alias` qualifies the columns when the table is joined.
 */
export function whereDeadLetterMatches(
  filter: DeadLetterFilter,
  cursor: number | undefined,
  alias = '',
): WhereBuilder {
  return new WhereBuilder()
    .anyOf(`${alias}dlq_id`, filter.dlqIds)
    .anyOf(`${alias}flow_control_key`, filter.flowControlKeys)
    .anyOf(`${alias}caller_ip`, filter.callerIps)
    .anyOf(`${alias}response_status`, filter.responseStatuses)
    .hasAnyLabel(`${alias}labels`, filter.labels)
    .atLeast(`${alias}created_at`, filter.fromDate)
    .atMost(`${alias}created_at`, filter.toDate)
    .below(`${alias}position`, cursor);
}

function fromRow(row: DlqRow): DlqEntry {
  return {
    dlqId: row.dlq_id,
    messageId: row.message_id,
    createdAt: row.created_at,
    messageCreatedAt: row.message_created_at,
    notBefore: row.not_before,
    maxRetries: row.max_retries,
    callerIp: row.caller_ip,
    scheduleId: row.schedule_id ?? undefined,
    config: JSON.parse(row.config) as MessageConfig,
    body: row.body,
    responseStatus: row.response_status ?? undefined,
    responseHeader: row.response_header
      ? (JSON.parse(row.response_header) as Record<string, string[]>)
      : undefined,
    responseBody: row.response_body ?? undefined,
  };
}

export class DlqStore {
  private readonly prepare: ReturnType<typeof statementCache>;
  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  insert(entry: DlqEntry): void {
    this.prepare(
      `INSERT INTO dlq (dlq_id, message_id, created_at, url, schedule_id, labels,
          flow_control_key, caller_ip, response_status, response_header, response_body,
          message_created_at, not_before, max_retries, queue_name, topic_name, config, body)
         VALUES (@dlqId, @messageId, @createdAt, @url, @scheduleId, @labels,
          @flowControlKey, @callerIp, @responseStatus, @responseHeader, @responseBody,
          @messageCreatedAt, @notBefore, @maxRetries, @queueName, @topicName, @config, @body)`,
    ).run({
      dlqId: entry.dlqId,
      messageId: entry.messageId,
      createdAt: entry.createdAt,
      url: entry.config.url,
      scheduleId: entry.scheduleId ?? null,
      labels: JSON.stringify(entry.config.labels),
      flowControlKey: entry.config.flowControl?.key ?? null,
      callerIp: entry.callerIp,
      responseStatus: entry.responseStatus ?? null,
      responseHeader: entry.responseHeader
        ? JSON.stringify(entry.responseHeader)
        : null,
      responseBody: entry.responseBody ?? null,
      messageCreatedAt: entry.messageCreatedAt,
      notBefore: entry.notBefore,
      maxRetries: entry.maxRetries,
      queueName: entry.config.queueName ?? null,
      topicName: entry.config.urlGroup?.name ?? null,
      config: JSON.stringify(entry.config),
      body: entry.body,
    });
  }

  get(dlqId: string): DlqEntry | undefined {
    const row = this.prepare('SELECT * FROM dlq WHERE dlq_id = ?').get(
      dlqId,
    ) as DlqRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  delete(dlqId: string): boolean {
    return (
      this.prepare('DELETE FROM dlq WHERE dlq_id = ?').run(dlqId).changes === 1
    );
  }

  /** Newest first; the cursor continues below the last returned entry. */
  list(filter: DlqFilter, count: number, cursor?: number): DlqPage {
    const where = whereDeadLetterMatches(filter, cursor)
      .anyOf('message_id', filter.messageIds)
      .anyOf('url', filter.urls)
      .anyOf('schedule_id', filter.scheduleIds)
      .anyOf('queue_name', filter.queueNames)
      .anyOf('topic_name', filter.topicNames);
    const rows = this.prepare(
      `SELECT * FROM dlq ${where.sql} ORDER BY position DESC LIMIT ?`,
    ).all(...where.params, count + 1) as DlqRow[];
    return pageOf(rows, count, fromRow, row => row.position);
  }
}
