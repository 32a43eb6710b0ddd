import { scheduleFieldSchema } from '@internal/plugin-workflows-common';
import type {
  CreateScheduleRequest,
  ScheduleChange,
  ScheduleConflictResponse,
  ScheduleDefinitionPatch,
  ScheduleDefinitionView,
  ScheduleField,
  SchedulePreviewRequest,
  SchedulePreviewResponse,
  ScheduleView,
  UpdateScheduleRequest,
  WorkflowOverview,
} from '@internal/plugin-workflows-common';
import { http, HttpResponse } from 'msw';
import type { setupServer } from 'msw/node';
import { aWorkflow } from './fixtures';
import { API_URL } from './renderWorkflows';
import { aPreview, aSchedule } from './scheduleFixtures';

/** A request the fake backend received, as the page sent it. */
export type RecordedRequest = { method: string; path: string; body?: unknown };

/** The 400 the backend answers when a field is wrong, in Backstage's error body. */
export class FakeFieldError {
  constructor(readonly path: string, readonly message: string) {}
}

type PreviewAnswer = SchedulePreviewResponse | FakeFieldError;

const DEFINITION_FIELDS: readonly ScheduleField[] = scheduleFieldSchema.options;

function definitionOf(view: ScheduleDefinitionView): ScheduleDefinitionView {
  const {
    destination,
    method,
    cron,
    timezone,
    body,
    headerNames,
    retries,
    timeoutSeconds,
    callback,
    failureCallback,
  } = view;
  return {
    destination,
    method,
    cron,
    timezone,
    body,
    headerNames,
    retries,
    timeoutSeconds,
    callback,
    failureCallback,
  };
}

function applied(
  view: ScheduleDefinitionView,
  patch: ScheduleDefinitionPatch,
): ScheduleDefinitionView {
  const { headers, ...fields } = patch;
  return {
    ...definitionOf(view),
    ...fields,
    ...(headers ? { headerNames: Object.keys(headers) } : {}),
  };
}

function textOf(view: ScheduleDefinitionView, field: ScheduleField) {
  if (field === 'headers') return view.headerNames.join(', ') || null;
  const value = view[field];
  return value === null ? null : String(value);
}

/** Field by field, like the backend: what turning `before` into `after` changes. */
function changesBetween(
  before: ScheduleDefinitionView | undefined,
  after: ScheduleDefinitionView,
): ScheduleChange[] {
  return DEFINITION_FIELDS.flatMap(field => {
    const from = before ? textOf(before, field) : null;
    const to = textOf(after, field);
    return from === to
      ? []
      : [{ field, before: from, after: to, beforeUnknown: false }];
  });
}

function errorBody(status: number, name: string, message: string) {
  return HttpResponse.json(
    {
      error: { name, message },
      request: { method: 'POST', url: '/api/workflows/schedules' },
      response: { statusCode: status },
    },
    { status },
  );
}

/**
 * A schedules backend in memory, served through msw: the list, preview,
 * create, update with the version check (a 409 with both versions), delete,
 * pause and resume, recording every request. Change `schedules` from a test
 * to play someone else's edit.
 */
export function serveSchedules(
  server: Pick<ReturnType<typeof setupServer>, 'use'>,
  options: {
    schedules: ScheduleView[];
    workflows?: WorkflowOverview[];
    /** How previews are answered; by default, what the patch changes. */
    preview?: (request: SchedulePreviewRequest) => PreviewAnswer;
  },
) {
  const state = {
    schedules: options.schedules,
    requests: [] as RecordedRequest[],
  };
  const record = async (request: Request, body?: unknown) => {
    state.requests.push({
      method: request.method,
      path: new URL(request.url).pathname.replace('/api/workflows', ''),
      body,
    });
  };
  const find = (id: string) => state.schedules.find(s => s.scheduleId === id);
  const replace = (next: ScheduleView) => {
    state.schedules = state.schedules.map(s =>
      s.scheduleId === next.scheduleId ? next : s,
    );
    return next;
  };
  const notFound = (id: string) =>
    errorBody(404, 'NotFoundError', `No schedule "${id}" on QStash`);

  const defaultPreview = (request: SchedulePreviewRequest): PreviewAnswer => {
    const base = request.scheduleId ? find(request.scheduleId) : undefined;
    const after = applied(
      base ??
        aSchedule({ headerNames: [], retries: null, timeoutSeconds: null }),
      request.definition,
    );
    return aPreview({
      cron: after.cron,
      timezone: after.timezone,
      changes: changesBetween(base, after),
      currentVersion: base?.version ?? null,
    });
  };

  server.use(
    http.get(`${API_URL}/workflows`, () =>
      HttpResponse.json({
        items: options.workflows ?? [aWorkflow()],
        totalCount: (options.workflows ?? [aWorkflow()]).length,
      }),
    ),
    http.get(`${API_URL}/schedules`, async ({ request }) => {
      await record(request);
      return HttpResponse.json({
        items: state.schedules,
        totalCount: state.schedules.length,
      });
    }),
    http.post(`${API_URL}/schedules/preview`, async ({ request }) => {
      const body = (await request.json()) as SchedulePreviewRequest;
      await record(request, body);
      const answer = (options.preview ?? defaultPreview)(body);
      if (answer instanceof FakeFieldError) {
        return errorBody(
          400,
          'InputError',
          `Invalid body: ${answer.path}: ${answer.message}`,
        );
      }
      return HttpResponse.json(answer);
    }),
    http.post(`${API_URL}/schedules`, async ({ request }) => {
      const body = (await request.json()) as CreateScheduleRequest;
      await record(request, body);
      const { scheduleId, ...patch } = body;
      const created = aSchedule({
        ...applied(
          aSchedule({ headerNames: [], retries: null, timeoutSeconds: null }),
          patch,
        ),
        scheduleId: scheduleId ?? 'schedule-generated',
        workflowId: null,
        workflowTitle: null,
        version: 'v1',
      });
      state.schedules = [...state.schedules, created];
      return HttpResponse.json(
        { schedule: created, unknownFields: [] },
        { status: 201 },
      );
    }),
    http.put(
      `${API_URL}/schedules/:scheduleId`,
      async ({ request, params }) => {
        const body = (await request.json()) as UpdateScheduleRequest;
        await record(request, body);
        const current = find(String(params.scheduleId));
        if (!current) return notFound(String(params.scheduleId));
        const { expectedVersion, ...patch } = body;
        const proposed = applied(current, patch);
        if (expectedVersion !== current.version) {
          const conflict: ScheduleConflictResponse = {
            error: {
              name: 'ConflictError',
              message: `Schedule ${current.scheduleId} changed since version ${expectedVersion} was loaded`,
            },
            request: { method: 'PUT', url: new URL(request.url).pathname },
            response: { statusCode: 409 },
            current,
            proposed,
            changes: changesBetween(current, proposed),
          };
          return HttpResponse.json(conflict, { status: 409 });
        }
        const saved = replace({
          ...current,
          ...proposed,
          version: `${current.version}+1`,
        });
        return HttpResponse.json({ schedule: saved, unknownFields: [] });
      },
    ),
    http.delete(
      `${API_URL}/schedules/:scheduleId`,
      async ({ request, params }) => {
        await record(request);
        const id = String(params.scheduleId);
        if (!find(id)) return notFound(id);
        state.schedules = state.schedules.filter(s => s.scheduleId !== id);
        return new HttpResponse(null, { status: 204 });
      },
    ),
    ...(['pause', 'resume'] as const).map(action =>
      http.post(
        `${API_URL}/schedules/:scheduleId/${action}`,
        async ({ request, params }) => {
          await record(request);
          const current = find(String(params.scheduleId));
          if (!current) return notFound(String(params.scheduleId));
          const schedule = replace({
            ...current,
            isPaused: action === 'pause',
            nextFireTimes:
              action === 'pause'
                ? []
                : options.schedules.find(
                    s => s.scheduleId === current.scheduleId,
                  )?.nextFireTimes ?? [],
          });
          return HttpResponse.json({ schedule });
        },
      ),
    ),
  );
  return state;
}
