import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  cancelRunResponseSchema,
  dlqActionResponseSchema,
  envHealthResponseSchema,
  getRunResponseSchema,
  listRunsResponseSchema,
  listSchedulesResponseSchema,
  listWorkflowsResponseSchema,
  runStreamEventSchema,
  scheduleConflictResponseSchema,
  schedulePreviewResponseSchema,
  scheduleResponseSchema,
  scheduleSaveResponseSchema,
  triageGroupFailuresResponseSchema,
  triageResponseSchema,
  triggerRunResponseSchema,
  workflowHealthSchema,
  workflowOverviewSchema,
  type CancelRunResponse,
  type CreateScheduleRequest,
  type DlqActionRequest,
  type DlqActionResponse,
  type EnvHealthResponse,
  type GetRunResponse,
  type ListRunsQuery,
  type ListRunsResponse,
  type ListSchedulesResponse,
  type ListWorkflowsResponse,
  type SchedulePreviewRequest,
  type SchedulePreviewResponse,
  type ScheduleSaveResponse,
  type ScheduleView,
  type TriageGroupFailuresResponse,
  type TriageQuery,
  type TriageResponse,
  type TriggerRunRequest,
  type TriggerRunResponse,
  type UpdateScheduleRequest,
  type WorkflowHealth,
  type WorkflowOverview,
} from '@internal/plugin-workflows-common';
import { readEventStream } from './readEventStream';
import { ScheduleConflictError } from './ScheduleConflictError';
import type {
  HealthRecheckOptions,
  RunLogDownload,
  WorkflowsApi,
} from './WorkflowsApi';

/** The backend answered with a body the common schema does not accept. */
export class UnexpectedResponseError extends Error {
  constructor(request: string, problem: string) {
    super(`Unexpected response from ${request}: ${problem}`);
    this.name = 'UnexpectedResponseError';
  }
}

/** What the client needs of a zod schema (zod itself is a dependency of -common). */
type ResponseSchema<T> = {
  safeParse(value: unknown):
    | { success: true; data: T }
    | {
        success: false;
        error: { issues: { path: (string | number)[]; message: string }[] };
      };
};

function parseWith<T>(
  schema: ResponseSchema<T>,
  value: unknown,
  request: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      issue => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
    throw new UnexpectedResponseError(request, problems.join('; '));
  }
  return result.data;
}

function filenameFrom(contentDisposition: string | null): string | undefined {
  if (!contentDisposition) return undefined;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(contentDisposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // Fall through to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(contentDisposition);
  return plain?.[1].trim();
}

const segment = encodeURIComponent;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** "?a=1&b=2" of the set values, "" when none is set. */
function searchOf(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

export class WorkflowsClient implements WorkflowsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listWorkflows(): Promise<ListWorkflowsResponse> {
    return this.json(listWorkflowsResponseSchema, 'GET', '/workflows');
  }

  async getWorkflow(workflowId: string): Promise<WorkflowOverview> {
    return this.json(
      workflowOverviewSchema,
      'GET',
      `/workflows/${segment(workflowId)}`,
    );
  }

  async listRuns(query: ListRunsQuery): Promise<ListRunsResponse> {
    return this.json(listRunsResponseSchema, 'GET', `/runs${searchOf(query)}`);
  }

  async getRun(runId: string): Promise<GetRunResponse> {
    return this.json(getRunResponseSchema, 'GET', `/runs/${segment(runId)}`);
  }

  async streamRun(
    runId: string,
    onEvent: (event: GetRunResponse) => void,
    options?: { signal?: AbortSignal },
  ): Promise<void> {
    const path = `/runs/${segment(runId)}/stream`;
    const response = await this.send('GET', path, {
      headers: { accept: 'text/event-stream' },
      signal: options?.signal,
    });
    if (!response.body) {
      throw new UnexpectedResponseError(
        `GET ${path}`,
        'the stream has no body',
      );
    }
    await readEventStream(response.body, data => {
      let event: unknown;
      try {
        event = JSON.parse(data);
      } catch {
        throw new UnexpectedResponseError(
          `GET ${path}`,
          `an event is not JSON: ${data.slice(0, 80)}`,
        );
      }
      onEvent(parseWith(runStreamEventSchema, event, `GET ${path}`));
    });
  }

  async downloadRunLog(runId: string): Promise<RunLogDownload> {
    const response = await this.send('GET', `/runs/${segment(runId)}/log`);
    return {
      blob: await response.blob(),
      filename:
        filenameFrom(response.headers.get('content-disposition')) ??
        `${runId}.log`,
    };
  }

  async triggerRun(
    workflowId: string,
    request: TriggerRunRequest,
  ): Promise<TriggerRunResponse> {
    return this.json(
      triggerRunResponseSchema,
      'POST',
      `/workflows/${segment(workflowId)}/trigger`,
      request,
    );
  }

  async cancelRun(runId: string): Promise<CancelRunResponse> {
    return this.json(
      cancelRunResponseSchema,
      'POST',
      `/runs/${segment(runId)}/cancel`,
    );
  }

  async getTriage(query: TriageQuery): Promise<TriageResponse> {
    return this.json(triageResponseSchema, 'GET', `/triage${searchOf(query)}`);
  }

  async getTriageGroupFailures(
    groupId: string,
    query: Pick<TriageQuery, 'from' | 'to'>,
  ): Promise<TriageGroupFailuresResponse> {
    return this.json(
      triageGroupFailuresResponseSchema,
      'GET',
      `/triage/groups/${segment(groupId)}/failures${searchOf({
        from: query.from,
        to: query.to,
      })}`,
    );
  }

  async actOnDlq(request: DlqActionRequest): Promise<DlqActionResponse> {
    return this.json(dlqActionResponseSchema, 'POST', '/dlq/actions', request);
  }

  async listSchedules(): Promise<ListSchedulesResponse> {
    return this.json(listSchedulesResponseSchema, 'GET', '/schedules');
  }

  async getSchedule(scheduleId: string): Promise<ScheduleView> {
    const { schedule } = await this.json(
      scheduleResponseSchema,
      'GET',
      `/schedules/${segment(scheduleId)}`,
    );
    return schedule;
  }

  async previewSchedule(
    request: SchedulePreviewRequest,
  ): Promise<SchedulePreviewResponse> {
    return this.json(
      schedulePreviewResponseSchema,
      'POST',
      '/schedules/preview',
      request,
    );
  }

  async createSchedule(
    request: CreateScheduleRequest,
  ): Promise<ScheduleSaveResponse> {
    return this.json(scheduleSaveResponseSchema, 'POST', '/schedules', request);
  }

  async updateSchedule(
    scheduleId: string,
    request: UpdateScheduleRequest,
  ): Promise<ScheduleSaveResponse> {
    const path = `/schedules/${segment(scheduleId)}`;
    try {
      return await this.json(scheduleSaveResponseSchema, 'PUT', path, request);
    } catch (error) {
      // Other 409s (no QStash configured) carry no versions and stay ResponseErrors.
      if (
        ResponseError.is(error) &&
        error.statusCode === 409 &&
        'current' in error.body
      ) {
        throw new ScheduleConflictError(
          parseWith(scheduleConflictResponseSchema, error.body, `PUT ${path}`),
        );
      }
      throw error;
    }
  }

  async deleteSchedule(scheduleId: string): Promise<void> {
    await this.send('DELETE', `/schedules/${segment(scheduleId)}`);
  }

  async pauseSchedule(scheduleId: string): Promise<ScheduleView> {
    return this.scheduleAction(scheduleId, 'pause');
  }

  async resumeSchedule(scheduleId: string): Promise<ScheduleView> {
    return this.scheduleAction(scheduleId, 'resume');
  }

  async getEnvHealth(): Promise<EnvHealthResponse> {
    return this.json(envHealthResponseSchema, 'GET', '/health/env');
  }

  async getWorkflowHealth(workflowId: string): Promise<WorkflowHealth> {
    return this.json(
      workflowHealthSchema,
      'GET',
      `/workflows/${segment(workflowId)}/health`,
    );
  }

  async recheckWorkflowHealth(
    workflowId: string,
    options: HealthRecheckOptions = {},
  ): Promise<WorkflowHealth> {
    return this.json(
      workflowHealthSchema,
      'POST',
      `/workflows/${segment(workflowId)}/health/check`,
      // Platforms are probed only on request: each probe is a call to their API.
      options.probePlatforms ? { probePlatforms: true } : {},
    );
  }

  private async scheduleAction(
    scheduleId: string,
    action: 'pause' | 'resume',
  ): Promise<ScheduleView> {
    const { schedule } = await this.json(
      scheduleResponseSchema,
      'POST',
      `/schedules/${segment(scheduleId)}/${action}`,
    );
    return schedule;
  }

  private async json<T>(
    schema: ResponseSchema<T>,
    method: Method,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.send(
      method,
      path,
      body === undefined
        ? {}
        : {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
    );
    let value: unknown;
    try {
      value = await response.json();
    } catch {
      throw new UnexpectedResponseError(
        `${method} ${path}`,
        'the body is not JSON',
      );
    }
    return parseWith(schema, value, `${method} ${path}`);
  }

  private async send(
    method: Method,
    path: string,
    init: RequestInit = {},
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('workflows');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      ...init,
      method,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
