import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  HealthResponse,
  ListSchedulesResponse,
  ListWorkflowsResponse,
  ScheduleConflictResponse,
  createScheduleRequestSchema,
  dlqActionRequestSchema,
  healthCheckRequestSchema,
  listRunsQuerySchema,
  schedulePreviewRequestSchema,
  triageQuerySchema,
  triggerRunRequestSchema,
  updateScheduleRequestSchema,
  workflowIdSchema,
  workflowRegistrationRequestSchema,
} from '@internal/plugin-workflows-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { InvalidCursorError } from '../database/RunStore';
import {
  AuthorizedWorkflowsService,
  CallerContext,
} from './AuthorizedWorkflowsService';
import { AuthorizedTriageService } from './AuthorizedTriageService';
import { AuthorizedSchedulesService } from './AuthorizedSchedulesService';
import { AuthorizedHealthService } from './AuthorizedHealthService';
import { AuthorizedWorkflowRegistrationService } from './AuthorizedWorkflowRegistrationService';
import { ScheduleConflictError } from '../schedules/ScheduleConflictError';
import { streamRun } from './runStream';

export interface RouterOptions {
  service: AuthorizedWorkflowsService;
  triage: AuthorizedTriageService;
  schedules: AuthorizedSchedulesService;
  health: AuthorizedHealthService;
  registration: AuthorizedWorkflowRegistrationService;
  /** Answers the health route: throws when the database does not answer. */
  pingDatabase(): Promise<void>;
  databaseClient: string;
  httpAuth: HttpAuthService;
  logger: LoggerService;
  /** How often an open run stream looks for changes. */
  streamPollMs?: number;
}

/** Parses with a common schema; the error names each offending field. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  where: 'path' | 'query' | 'body',
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues
      .map(issue => `${issue.path.join('.') || where}: ${issue.message}`)
      .join('; ');
    throw new InputError(`Invalid ${where}: ${details}`);
  }
  return result.data;
}

const registrationPath = z.object({ id: workflowIdSchema });

/** The REST API of the workflows plugin: parse, call the service, answer. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service, httpAuth, logger, databaseClient } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const caller = async (req: express.Request): Promise<CallerContext> => ({
    credentials: await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    }),
    request: req,
  });

  router.get('/health', async (_req, res) => {
    const started = performance.now();
    let body: HealthResponse;
    try {
      await options.pingDatabase();
      body = {
        status: 'ok',
        database: {
          ok: true,
          client: databaseClient,
          latencyMs: Math.round(performance.now() - started),
        },
      };
    } catch (error) {
      logger.warn(`Database health check failed: ${error}`);
      body = {
        status: 'degraded',
        database: {
          ok: false,
          client: databaseClient,
          latencyMs: Math.round(performance.now() - started),
          error: 'The database did not answer',
        },
      };
    }
    res.status(body.status === 'ok' ? 200 : 503).json(body);
  });

  router.get('/health/env', async (req, res) => {
    res.json(await options.health.list(await caller(req)));
  });

  router.get('/workflows/:id/health', async (req, res) => {
    res.json(await options.health.get(await caller(req), req.params.id));
  });

  router.post('/workflows/:id/health/check', async (req, res) => {
    const context = await caller(req);
    const request = parseInput(
      healthCheckRequestSchema,
      req.body ?? {},
      'body',
    );
    res.json(await options.health.check(context, req.params.id, request));
  });

  router.get('/workflows', async (req, res) => {
    const items = await service.listWorkflows(await caller(req));
    const body: ListWorkflowsResponse = { items, totalCount: items.length };
    res.json(body);
  });

  router.get('/workflows/:id', async (req, res) => {
    res.json(await service.getWorkflow(await caller(req), req.params.id));
  });

  // Registration by URL: an idempotent upsert, and its removal.
  router
    .route('/workflows/:id/registration')
    .put(async (req, res) => {
      const context = await caller(req);
      const { id } = parseInput(registrationPath, req.params, 'path');
      const request = parseInput(
        workflowRegistrationRequestSchema,
        req.body ?? {},
        'body',
      );
      res.json(await options.registration.register(context, id, request));
    })
    .delete(async (req, res) => {
      const context = await caller(req);
      const { id } = parseInput(registrationPath, req.params, 'path');
      await options.registration.unregister(context, id);
      res.status(204).end();
    });

  router.post('/workflows/:id/trigger', async (req, res) => {
    const context = await caller(req);
    const request = parseInput(triggerRunRequestSchema, req.body ?? {}, 'body');
    res
      .status(201)
      .json(await service.triggerRun(context, req.params.id, request));
  });

  router.get('/runs', async (req, res) => {
    const context = await caller(req);
    const query = parseInput(listRunsQuerySchema, req.query, 'query');
    try {
      res.json(await service.listRuns(context, query));
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw new InputError(`Invalid query: cursor: ${error.message}`);
      }
      throw error;
    }
  });

  router.get('/runs/:runId', async (req, res) => {
    res.json(await service.getRun(await caller(req), req.params.runId));
  });

  router.get('/runs/:runId/log', async (req, res) => {
    const text = await service.runLog(await caller(req), req.params.runId);
    res
      .status(200)
      .type('text/plain; charset=utf-8')
      .setHeader(
        'Content-Disposition',
        `attachment; filename="${req.params.runId.replace(
          /[^A-Za-z0-9._-]/g,
          '_',
        )}.log"`,
      );
    res.send(text);
  });

  router.get('/runs/:runId/stream', async (req, res) => {
    const context = await caller(req);
    // The first read checks the permission and 404s before the stream opens.
    const first = await service.getRun(context, req.params.runId);
    await streamRun(req, res, {
      first,
      pollMs: options.streamPollMs ?? 1000,
      changeMarker: () => service.changeMarker(req.params.runId),
      read: () => service.getRun(context, req.params.runId),
      logger,
    });
  });

  router.post('/runs/:runId/cancel', async (req, res) => {
    const run = await service.cancelRun(await caller(req), req.params.runId);
    res.json({ run });
  });

  router.get('/triage', async (req, res) => {
    const context = await caller(req);
    const query = parseInput(triageQuerySchema, req.query, 'query');
    res.json(await options.triage.triage(context, query));
  });

  router.get('/triage/groups/:groupId/failures', async (req, res) => {
    const context = await caller(req);
    const query = parseInput(triageQuerySchema, req.query, 'query');
    res.json(
      await options.triage.groupFailures(context, req.params.groupId, query),
    );
  });

  router.post('/dlq/actions', async (req, res) => {
    const context = await caller(req);
    const request = parseInput(dlqActionRequestSchema, req.body ?? {}, 'body');
    // Some entries may fail while others succeed: the body says which.
    res.json(await options.triage.act(context, request));
  });

  router.get('/schedules', async (req, res) => {
    const items = await options.schedules.list(await caller(req));
    const body: ListSchedulesResponse = { items, totalCount: items.length };
    res.json(body);
  });

  router.post('/schedules/preview', async (req, res) => {
    const context = await caller(req);
    const request = parseInput(
      schedulePreviewRequestSchema,
      req.body ?? {},
      'body',
    );
    res.json(await options.schedules.preview(context, request));
  });

  router.get('/schedules/:scheduleId', async (req, res) => {
    const schedule = await options.schedules.get(
      await caller(req),
      req.params.scheduleId,
    );
    res.json({ schedule });
  });

  router.post('/schedules', async (req, res) => {
    const context = await caller(req);
    const request = parseInput(
      createScheduleRequestSchema,
      req.body ?? {},
      'body',
    );
    res.status(201).json(await options.schedules.create(context, request));
  });

  router.put('/schedules/:scheduleId', async (req, res) => {
    const context = await caller(req);
    const request = parseInput(
      updateScheduleRequestSchema,
      req.body ?? {},
      'body',
    );
    try {
      res.json(
        await options.schedules.update(context, req.params.scheduleId, request),
      );
    } catch (error) {
      if (!(error instanceof ScheduleConflictError)) throw error;
      // Both versions go back, so the editor can show what changed meanwhile.
      const body: ScheduleConflictResponse = {
        error: { name: 'ConflictError', message: error.message },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 409 },
        current: error.current,
        proposed: error.proposed,
        changes: error.changes,
      };
      res.status(409).json(body);
    }
  });

  router.delete('/schedules/:scheduleId', async (req, res) => {
    await options.schedules.delete(await caller(req), req.params.scheduleId);
    res.status(204).end();
  });

  for (const action of ['pause', 'resume'] as const) {
    router.post(`/schedules/:scheduleId/${action}`, async (req, res) => {
      const schedule = await options.schedules.setPaused(
        await caller(req),
        req.params.scheduleId,
        action === 'pause',
      );
      res.json({ schedule });
    });
  }

  return router;
}
