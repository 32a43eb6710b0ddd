import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  Client as QStashClient,
  QstashError,
  QstashRatelimitError,
} from '@upstash/qstash';
import { Client as WorkflowClient } from '@upstash/workflow';
import type { QStashConnection } from '../runners/qstashConnection';
import {
  DlqBulkAction,
  DlqBulkResult,
  DlqPage,
  ListDlqQuery,
  ListWorkflowRunsQuery,
  QStashDlqEntry,
  QStashDlqSource,
  QStashGateway,
  QStashProbeOptions,
  QStashSchedule,
  QStashScheduleDefinition,
  QStashSigningKeys,
  TriggerWorkflowRequest,
  WorkflowRunsPage,
} from './QStashGateway';
import { DEFAULT_RETRY_POLICY, QStashHttp, RetryPolicy } from './qstashHttp';

/** QStash ids, labels and queue names: never empty, never a path of their own. */
const QSTASH_ID = /^[A-Za-z0-9._-]+$/;

function requireId(value: string, what: string): string {
  if (!QSTASH_ID.test(value)) {
    // An empty id turns DELETE /v2/workflows/runs/{id} into a bulk cancel.
    throw new InputError(
      `${what} must be letters, digits, ".", "_" or "-", got "${value}"`,
    );
  }
  return value;
}

/** The largest explicit selection one bulk call takes, per the API reference. */
export const DLQ_BULK_PAGE_SIZE: Record<DlqBulkAction, number> = {
  resume: 100,
  restart: 50,
  delete: 100,
  redeliver: 100,
};

/** Each (queue, action) as a path: the bulk call, then the call on one entry. */
function dlqPaths(
  source: QStashDlqSource,
  action: DlqBulkAction | 'retry-failure-function',
): { method: 'POST' | 'DELETE'; bulk?: string; one: string } {
  if (source === 'workflow') {
    switch (action) {
      case 'resume':
      case 'restart':
        return {
          method: 'POST',
          bulk: `/v2/workflows/dlq/${action}`,
          one: `/v2/workflows/dlq/${action}/`,
        };
      case 'retry-failure-function':
        return { method: 'POST', one: '/v2/workflows/dlq/callback/' };
      case 'delete':
        return {
          method: 'DELETE',
          bulk: '/v2/workflows/dlq',
          one: '/v2/workflows/dlq/',
        };
      default:
        break;
    }
  } else {
    switch (action) {
      case 'redeliver':
        return { method: 'POST', bulk: '/v2/dlq/retry', one: '/v2/dlq/retry/' };
      case 'delete':
        return { method: 'DELETE', bulk: '/v2/dlq', one: '/v2/dlq/' };
      default:
        break;
    }
  }
  throw new InputError(
    source === 'workflow'
      ? `"${action}" applies to message dead letters, not to workflow runs`
      : `"${action}" applies to workflow runs, not to message dead letters`,
  );
}

function overrideHeaders(options?: { retries?: number }) {
  return options?.retries !== undefined
    ? { 'Upstash-Retries': String(options.retries) }
    : undefined;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** The request headers of a schedule upsert: its settings, then what is forwarded. */
function scheduleHeaders(
  scheduleId: string,
  definition: QStashScheduleDefinition,
): Record<string, string> {
  const headers: Record<string, string> = {
    'Upstash-Cron': definition.cron,
    'Upstash-Schedule-Id': scheduleId,
    'Upstash-Method': definition.method ?? 'POST',
  };
  const optional: Array<[string, string | number | undefined]> = [
    ['Upstash-Retries', definition.retries],
    [
      'Upstash-Timeout',
      definition.timeoutSeconds !== undefined
        ? `${definition.timeoutSeconds}s`
        : undefined,
    ],
    ['Upstash-Callback', definition.callback],
    ['Upstash-Failure-Callback', definition.failureCallback],
    [
      'Upstash-Delay',
      definition.delaySeconds ? `${definition.delaySeconds}s` : undefined,
    ],
    [
      'Upstash-Label',
      definition.labels?.length ? definition.labels.join(',') : undefined,
    ],
    ['Upstash-Retry-Delay', definition.retryDelay],
  ];
  for (const [name, value] of optional) {
    if (value !== undefined) headers[name] = String(value);
  }
  const flow = definition.flowControl;
  if (flow) {
    const value = [
      flow.parallelism ? `parallelism=${flow.parallelism}` : undefined,
      flow.rate ? `rate=${flow.rate}` : undefined,
      flow.period ? `period=${flow.period}s` : undefined,
    ].filter(Boolean);
    if (value.length > 0) {
      headers['Upstash-Flow-Control-Key'] = requireId(
        flow.key,
        'The flow control key',
      );
      headers['Upstash-Flow-Control-Value'] = value.join(', ');
    }
  }
  for (const [name, value] of Object.entries(definition.headers ?? {})) {
    if (name.toLowerCase().startsWith('upstash-')) {
      // Sent as is it would change the schedule's settings, not reach the destination.
      throw new InputError(
        `"${name}" is a QStash setting, not a header to forward`,
      );
    }
    if (name.toLowerCase() === 'content-type') headers['Content-Type'] = value;
    else headers[`Upstash-Forward-${name}`] = value;
  }
  return headers;
}

/** The QStash gateway on Upstash's REST API and SDK clients. */
export class UpstashQStashGateway implements QStashGateway {
  private readonly http: QStashHttp;
  private readonly clients: { qstash: QStashClient; workflow: WorkflowClient };

  constructor(
    connection: QStashConnection,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {
    this.http = new QStashHttp(connection.url, connection.token, policy);
    const settings = { baseUrl: connection.url, token: connection.token };
    this.clients = {
      qstash: new QStashClient(settings),
      workflow: new WorkflowClient(settings),
    };
  }

  sdkClients() {
    return this.clients;
  }

  async listWorkflowRuns(
    query: ListWorkflowRunsQuery,
  ): Promise<WorkflowRunsPage> {
    if (!query.workflowUrl) {
      throw new InputError('A workflow URL is needed to list its runs');
    }
    const page = await this.http.json<WorkflowRunsPage>({
      method: 'GET',
      path: '/v2/workflows/logs',
      query: {
        workflowUrl: query.workflowUrl,
        workflowRunId: query.workflowRunId
          ? requireId(query.workflowRunId, 'The run id')
          : undefined,
        cursor: query.cursor,
        count: query.count ? String(query.count) : undefined,
      },
      idempotent: true,
      action: `list the runs of ${query.workflowUrl}`,
    });
    return {
      runs: page?.runs ?? [],
      ...(page?.cursor ? { cursor: String(page.cursor) } : {}),
    };
  }

  async triggerWorkflow(
    request: TriggerWorkflowRequest,
  ): Promise<{ workflowRunId: string }> {
    if (request.label !== undefined) requireId(request.label, 'The label');
    // A trigger is not idempotent: only a refusal (429) is tried again.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.clients.workflow.trigger({
          url: request.url,
          body: request.body,
          headers: request.headers,
          label: request.label,
          disableTelemetry: true,
        });
      } catch (error) {
        if (
          error instanceof QstashRatelimitError &&
          attempt < this.policy.rateLimitRetries
        ) {
          const resetMs = Number(error.reset) * 1000 - Date.now();
          const waitMs = Number.isFinite(resetMs) ? Math.max(0, resetMs) : 1000;
          if (waitMs <= this.policy.maxRateLimitWaitMs) {
            await sleep(waitMs);
            continue;
          }
        }
        const status =
          error instanceof QstashError && error.status
            ? ` (HTTP ${error.status})`
            : '';
        throw new ServiceUnavailableError(
          `QStash could not start a run of ${request.url}${status}: ${
            (error as Error).message
          }`,
        );
      }
    }
  }

  async cancelWorkflowRun(workflowRunId: string): Promise<void> {
    const id = requireId(workflowRunId, 'The run id');
    await this.http.send({
      method: 'DELETE',
      path: `/v2/workflows/runs/${encodeURIComponent(id)}`,
      idempotent: true,
      action: `cancel run ${id}`,
    });
  }

  async listDlq(
    source: QStashDlqSource,
    query: ListDlqQuery,
  ): Promise<DlqPage> {
    const page = await this.http.json<{
      messages?: QStashDlqEntry[];
      cursor?: string | number;
    }>({
      method: 'GET',
      path: source === 'workflow' ? '/v2/workflows/dlq' : '/v2/dlq',
      query: {
        cursor: query.cursor,
        fromDate:
          query.fromDate !== undefined ? String(query.fromDate) : undefined,
        count: query.count ? String(query.count) : undefined,
      },
      idempotent: true,
      action: `list the ${source} dead letter queue`,
    });
    return {
      entries: page?.messages ?? [],
      ...(page?.cursor ? { cursor: String(page.cursor) } : {}),
    };
  }

  async dlqBulk(
    source: QStashDlqSource,
    action: DlqBulkAction,
    dlqIds: string[],
    options?: { retries?: number },
  ): Promise<DlqBulkResult> {
    const paths = dlqPaths(source, action);
    if (dlqIds.length === 0 || !paths.bulk) {
      // Without ids the bulk endpoints act on the whole queue.
      throw new InputError(`No dead letter entries were selected to ${action}`);
    }
    if (dlqIds.length > DLQ_BULK_PAGE_SIZE[action]) {
      throw new InputError(
        `At most ${DLQ_BULK_PAGE_SIZE[action]} entries go in one ${action} call, got ${dlqIds.length}`,
      );
    }
    for (const id of dlqIds) requireId(id, 'A DLQ id');
    const result: DlqBulkResult = { workflowRunIds: [], handled: 0 };
    let cursor: string | undefined;
    // Each answer may carry a cursor for the rest; follow it to the end.
    for (let call = 0; call < 100; call++) {
      const answer = await this.http.json<{
        workflowRuns?: { workflowRunId: string }[];
        responses?: unknown[];
        deleted?: number;
        cursor?: string | number;
      }>({
        method: paths.method,
        path: paths.bulk,
        query: { dlqIds: dlqIds.join(','), cursor },
        headers: overrideHeaders(options),
        idempotent: action === 'delete',
        action: `${action} ${dlqIds.length} ${source} dead letter entr${
          dlqIds.length === 1 ? 'y' : 'ies'
        }`,
      });
      const runs = answer?.workflowRuns ?? [];
      result.workflowRunIds.push(...runs.map(run => run.workflowRunId));
      result.handled +=
        answer?.deleted ?? answer?.responses?.length ?? runs.length;
      if (!answer?.cursor) break;
      cursor = String(answer.cursor);
    }
    return result;
  }

  async dlqExists(source: QStashDlqSource, dlqId: string): Promise<boolean> {
    const id = requireId(dlqId, 'The DLQ id');
    const root = source === 'workflow' ? '/v2/workflows/dlq/' : '/v2/dlq/';
    try {
      await this.http.json({
        method: 'GET',
        path: `${root}${encodeURIComponent(id)}`,
        idempotent: true,
        action: `read ${source} dead letter entry ${id}`,
      });
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  async dlqOne(
    source: QStashDlqSource,
    action: DlqBulkAction | 'retry-failure-function',
    dlqId: string,
    options?: { retries?: number },
  ): Promise<{ workflowRunId?: string }> {
    const paths = dlqPaths(source, action);
    const id = requireId(dlqId, 'The DLQ id');
    const answer = await this.http.json<{ workflowRunId?: string }>({
      method: paths.method,
      path: `${paths.one}${encodeURIComponent(id)}`,
      headers: overrideHeaders(options),
      idempotent: action === 'delete',
      action: `${action} ${source} dead letter entry ${id}`,
    });
    return answer?.workflowRunId ? { workflowRunId: answer.workflowRunId } : {};
  }

  async listSchedules(): Promise<QStashSchedule[]> {
    return (
      (await this.http.json<QStashSchedule[]>({
        method: 'GET',
        path: '/v2/schedules',
        idempotent: true,
        action: 'list the schedules',
      })) ?? []
    );
  }

  async checkToken(
    options: QStashProbeOptions = {},
  ): Promise<{ schedules: number }> {
    const schedules = await this.http.json<QStashSchedule[] | undefined>({
      method: 'GET',
      path: '/v2/schedules',
      idempotent: true,
      singleAttempt: true,
      signal: options.signal,
      action: 'check the token by listing the schedules',
    });
    return { schedules: schedules?.length ?? 0 };
  }

  async getSigningKeys(
    options: QStashProbeOptions = {},
  ): Promise<QStashSigningKeys> {
    const keys = await this.http.json<Partial<QStashSigningKeys> | undefined>({
      method: 'GET',
      path: '/v2/keys',
      idempotent: true,
      singleAttempt: true,
      signal: options.signal,
      action: 'read the signing keys',
    });
    if (typeof keys?.current !== 'string' || typeof keys?.next !== 'string') {
      throw new ServiceUnavailableError(
        'QStash answered the request to read the signing keys without a current and a next key',
      );
    }
    return { current: keys.current, next: keys.next };
  }

  async getSchedule(scheduleId: string): Promise<QStashSchedule> {
    const id = requireId(scheduleId, 'The schedule id');
    const schedule = await this.http.json<QStashSchedule | undefined>({
      method: 'GET',
      path: `/v2/schedules/${encodeURIComponent(id)}`,
      idempotent: true,
      action: `read schedule ${id}`,
    });
    if (!schedule) {
      throw new ServiceUnavailableError(
        `QStash answered the request to read schedule ${id} without a body`,
      );
    }
    return schedule;
  }

  async upsertSchedule(definition: QStashScheduleDefinition): Promise<void> {
    const scheduleId = requireId(definition.scheduleId, 'The schedule id');
    if (!/^https?:\/\//.test(definition.destination)) {
      throw new InputError(
        `A schedule destination must be an http(s) URL, got "${definition.destination}"`,
      );
    }
    await this.http.send({
      method: 'POST',
      // QStash takes the destination URL itself as the last path part.
      path: `/v2/schedules/${definition.destination}`,
      headers: scheduleHeaders(scheduleId, definition),
      body: definition.body,
      // Upsert by schedule id: sending it twice leaves one schedule.
      idempotent: true,
      action: `save schedule ${scheduleId}`,
    });
  }

  async deleteSchedule(scheduleId: string): Promise<void> {
    const id = requireId(scheduleId, 'The schedule id');
    await this.http.send({
      method: 'DELETE',
      path: `/v2/schedules/${encodeURIComponent(id)}`,
      idempotent: true,
      action: `delete schedule ${id}`,
    });
  }

  async pauseSchedule(scheduleId: string): Promise<void> {
    await this.setPaused(scheduleId, 'pause');
  }

  async resumeSchedule(scheduleId: string): Promise<void> {
    await this.setPaused(scheduleId, 'resume');
  }

  private async setPaused(
    scheduleId: string,
    action: 'pause' | 'resume',
  ): Promise<void> {
    const id = requireId(scheduleId, 'The schedule id');
    await this.http.send({
      // The API reference says POST; the SDK, which production answers, sends PATCH.
      method: 'PATCH',
      path: `/v2/schedules/${encodeURIComponent(id)}/${action}`,
      idempotent: true,
      action: `${action} schedule ${id}`,
    });
  }
}
