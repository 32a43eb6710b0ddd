import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CreateScheduleRequest,
  SchedulePreviewResponse,
  ScheduleView,
  UpdateScheduleRequest,
  WorkflowRegistrationRequest,
  WorkflowRegistrationResponse,
  schedulePreviewResponseSchema,
  scheduleResponseSchema,
  scheduleSaveResponseSchema,
  workflowRegistrationResponseSchema,
} from '@internal/plugin-workflows-common';
import { z } from 'zod';

const WORKFLOWS_PLUGIN_ID = 'workflows';

/**
 * The workflows backend's REST API, called on behalf of whoever runs the
 * task, so schedules and registrations go through its validation,
 * permission checks, audit and QStash gateway.
 */
export class WorkflowsApi {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  private async call<T extends z.ZodTypeAny>(
    credentials: BackstageCredentials | undefined,
    method: string,
    path: string,
    body: object | undefined,
    schema: T,
  ): Promise<z.infer<T>> {
    const { discovery, auth } = this.deps;
    const baseUrl = await discovery.getBaseUrl(WORKFLOWS_PLUGIN_ID);
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials ?? (await auth.getOwnServiceCredentials()),
      targetPluginId: WORKFLOWS_PLUGIN_ID,
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) return schema.parse(undefined);
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `Unexpected response from ${method} ${path}: ${issue.path.join('.')}: ${
          issue.message
        }`,
      );
    }
    return parsed.data;
  }

  /** The backend's cron and zone rules, the cron in words and next fire times. */
  previewCron(
    credentials: BackstageCredentials | undefined,
    cron: string,
    timezone: string,
  ): Promise<SchedulePreviewResponse> {
    return this.call(
      credentials,
      'POST',
      '/schedules/preview',
      { definition: { cron, timezone } },
      schedulePreviewResponseSchema,
    );
  }

  register(
    credentials: BackstageCredentials | undefined,
    workflowId: string,
    request: WorkflowRegistrationRequest,
  ): Promise<WorkflowRegistrationResponse> {
    return this.call(
      credentials,
      'PUT',
      `/workflows/${encodeURIComponent(workflowId)}/registration`,
      request,
      workflowRegistrationResponseSchema,
    );
  }

  /** Undefined when QStash has no schedule of that id. */
  async getSchedule(
    credentials: BackstageCredentials | undefined,
    scheduleId: string,
  ): Promise<ScheduleView | undefined> {
    try {
      const { schedule } = await this.call(
        credentials,
        'GET',
        `/schedules/${encodeURIComponent(scheduleId)}`,
        undefined,
        scheduleResponseSchema,
      );
      return schedule;
    } catch (error) {
      if (error instanceof ResponseError && error.response.status === 404) {
        return undefined;
      }
      throw error;
    }
  }

  async createSchedule(
    credentials: BackstageCredentials | undefined,
    request: CreateScheduleRequest,
  ): Promise<ScheduleView> {
    const { schedule } = await this.call(
      credentials,
      'POST',
      '/schedules',
      request,
      scheduleSaveResponseSchema,
    );
    return schedule;
  }

  async updateSchedule(
    credentials: BackstageCredentials | undefined,
    scheduleId: string,
    request: UpdateScheduleRequest,
  ): Promise<ScheduleView> {
    const { schedule } = await this.call(
      credentials,
      'PUT',
      `/schedules/${encodeURIComponent(scheduleId)}`,
      request,
      scheduleSaveResponseSchema,
    );
    return schedule;
  }
}

/** The reason a workflows API call failed, as the backend worded it. */
export function failureMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message ?? error.message;
  }
  return (error as Error).message ?? String(error);
}
