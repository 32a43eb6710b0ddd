import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  HealthResponse,
  ListWorkflowsResponse,
  workflowReadPermission,
} from '@internal/plugin-workflows-common';
import express from 'express';
import Router from 'express-promise-router';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { RunJournal } from './database/RunJournal';
import { WorkflowStore } from './database/WorkflowStore';

export interface RouterOptions {
  store: WorkflowStore;
  journal: RunJournal;
  databaseClient: string;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, journal, databaseClient, httpAuth, permissions, logger } =
    options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', async (_req, res) => {
    const started = performance.now();
    let body: HealthResponse;
    try {
      await store.ping();
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

  router.get('/workflows', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const workflows = await store.list();
    const decisions =
      workflows.length === 0
        ? []
        : await permissions.authorize(
            workflows.map(w => ({
              permission: workflowReadPermission,
              resourceRef: w.id,
            })),
            { credentials },
          );
    const items = workflows.filter(
      (_w, i) => decisions[i].result === AuthorizeResult.ALLOW,
    );
    const body: ListWorkflowsResponse = { items, totalCount: items.length };
    res.json(body);
  });

  /** Resolves the workflow and checks that the caller may read it. */
  async function readableWorkflow(req: express.Request, id: string) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const workflow = await store.get(id);
    if (!workflow) throw new NotFoundError(`No workflow "${id}"`);
    const [decision] = await permissions.authorize(
      [{ permission: workflowReadPermission, resourceRef: id }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Missing permission ${workflowReadPermission.name} for workflow "${id}"`,
      );
    }
    return workflow;
  }

  router.get('/workflows/:id/runs', async (req, res) => {
    const workflow = await readableWorkflow(req, req.params.id);
    res.json({ items: await journal.listRuns(workflow.id) });
  });

  router.get('/workflows/:id/runs/:runId', async (req, res) => {
    const workflow = await readableWorkflow(req, req.params.id);
    const run = await journal.getRun(req.params.runId);
    if (!run || run.workflowId !== workflow.id) {
      throw new NotFoundError(
        `No run "${req.params.runId}" of workflow "${workflow.id}"`,
      );
    }
    res.json({ run, steps: await journal.listSteps(run.runId) });
  });

  return router;
}
