import { Request, Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../errors';
import { WorkflowDlqFilter } from '../../store/workflowStore';
import { ApiContext } from '../apiContext';
import { runOverrides } from '../overrideHeaders';
import { parseQuery, query } from '../queryParams';
import { idParam, requestHeaders } from '../requestParts';

const MAX_PAGE = 100;
const MAX_RESTARTS_PER_CALL = 50;
const MAX_BULK_COUNT = 1000;

export const workflowDlqFilterQuery = {
  dlqIds: query.ids(),
  fromDate: query.time(),
  toDate: query.time(),
  workflowUrl: query.texts(),
  url: query.texts(),
  workflowRunId: query.ids(),
  workflowCreatedAt: query.time(),
  label: query.ids(),
  failureFunctionState: query.ids(),
  callerIp: query.texts(),
  flowControlKey: query.ids(),
  responseStatus: query.integers(),
};

type FilterQuery = z.infer<z.ZodObject<typeof workflowDlqFilterQuery>>;

export function workflowDlqFilter(q: FilterQuery): WorkflowDlqFilter {
  const urls = [...(q.workflowUrl ?? []), ...(q.url ?? [])];
  return {
    dlqIds: q.dlqIds,
    workflowUrls: urls.length ? urls : undefined,
    runIds: q.workflowRunId,
    workflowCreatedAt: q.workflowCreatedAt,
    labels: q.label,
    failureFunctionStates: q.failureFunctionState,
    callerIps: q.callerIp,
    flowControlKeys: q.flowControlKey,
    responseStatuses: q.responseStatus,
    fromDate: q.fromDate,
    toDate: q.toDate,
  };
}

/** The workflow dead letter queue. */
export function workflowDlqRoutes(ctx: ApiContext): Router {
  const router = Router();

  /**
   * No ids and no filter select the whole queue, as the SDK's `{ all: true }`
   * asks. A larger count than one call handles is cut down; the cursor then
   * tells that more follow.
   */
  const select = (req: Request, maxCount: number) => {
    const q = parseQuery(req.query, {
      ...workflowDlqFilterQuery,
      count: query.count(MAX_BULK_COUNT),
      cursor: query.cursor(),
    });
    return ctx.workflowDlq.select(
      workflowDlqFilter(q),
      Math.min(q.count ?? maxCount, maxCount),
      q.cursor,
    );
  };

  router.get('/v2/workflows/dlq', (req, res) => {
    const q = parseQuery(req.query, {
      ...workflowDlqFilterQuery,
      count: query.count(MAX_PAGE),
      cursor: query.cursor(),
    });
    res.json(
      ctx.workflowDlq.list(workflowDlqFilter(q), q.count ?? MAX_PAGE, q.cursor),
    );
  });

  router.delete('/v2/workflows/dlq', (req, res) => {
    const page = select(req, MAX_PAGE);
    for (const entry of page.entries) ctx.workflowDlq.delete(entry.dlqId);
    res.json({
      deleted: page.entries.length,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  });

  router.get('/v2/workflows/dlq/:dlqId', (req, res) => {
    res.json(ctx.workflowDlq.view(ctx.workflowDlq.get(idParam(req, 'dlqId'))));
  });

  router.delete('/v2/workflows/dlq/:dlqId', (req, res) => {
    ctx.workflowDlq.delete(idParam(req, 'dlqId'));
    res.status(200).end();
  });

  for (const action of ['resume', 'restart'] as const) {
    router.post(`/v2/workflows/dlq/${action}/:dlqId`, (req, res) => {
      const entry = ctx.workflowDlq.get(idParam(req, 'dlqId'));
      const overrides = runOverrides(requestHeaders(req));
      const [run] = ctx.workflowDlq[action]([entry], overrides);
      res.json(run);
    });

    router.post(`/v2/workflows/dlq/${action}`, (req, res) => {
      const overrides = runOverrides(requestHeaders(req));
      const page = select(
        req,
        action === 'restart' ? MAX_RESTARTS_PER_CALL : MAX_PAGE,
      );
      // The spec's 404 ("some DLQ messages were not found") when none of the ids is known.
      if (page.requested && page.entries.length === 0) {
        throw notFound('none of the given workflow DLQ messages were found');
      }
      const workflowRuns = ctx.workflowDlq[action](page.entries, overrides);
      res.json({
        workflowRuns,
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
    });
  }

  router.post('/v2/workflows/dlq/callback/:dlqId', (req, res) => {
    res.json(ctx.workflowDlq.retryFailureCallback(idParam(req, 'dlqId')));
  });

  return router;
}
