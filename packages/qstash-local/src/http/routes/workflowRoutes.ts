import { Request, Router } from 'express';
import { z } from 'zod';
import { lowerCaseHeaders } from '../../config/headerNames';
import { ApiError, badRequest } from '../../errors';
import { RunFilter, RUN_STATES, StoredRun } from '../../store/workflowStore';
import { workflowRunView } from '../../workflow/runView';
import { triggerConfig } from '../../workflow/triggerConfig';
import { ApiContext } from '../apiContext';
import { parseBatchBody } from '../batchBody';
import { parseQuery, query } from '../queryParams';
import { callerIp, idParam, rawBody } from '../requestParts';

const MAX_BATCH_TRIGGERS = 1000;

const batchTriggerSchema = z
  .array(
    z.object({
      destination: z.string().min(1, 'is required'),
      body: z.string().optional(),
      headers: z.record(z.string()).optional(),
    }),
  )
  .min(1, 'must hold at least one run')
  .max(MAX_BATCH_TRIGGERS, `must hold at most ${MAX_BATCH_TRIGGERS} runs`);

const MAX_RUNS_PER_PAGE = 10;
const STEP_STATES = [
  'STEP_SUCCESS',
  'STEP_RETRY',
  'STEP_FAILED',
  'STEP_PROGRESS',
  'STEP_CANCELED',
] as const;
/** Runs examined per request when filtering by step state. */
const MAX_SCANNED_RUNS = 10_000;

type RunView = ReturnType<typeof workflowRunView>;

/** Workflow runs: lazy step fetch, completion, cancel and logs. */
export function workflowRoutes(ctx: ApiContext): Router {
  const router = Router();

  // Many triggers in one transaction: all runs start, or none.
  router.post('/v2/batch/trigger', (req, res) => {
    const entries = parseBatchBody(
      rawBody(req),
      batchTriggerSchema,
      'batch trigger body must be a JSON array of runs',
    );
    const ip = callerIp(req);
    const starts = entries.map((entry, index) => {
      try {
        return triggerConfig(
          entry.destination,
          lowerCaseHeaders(entry.headers ?? {}),
        );
      } catch (error) {
        if (error instanceof ApiError) {
          throw badRequest(`batch[${index}]: ${error.message}`);
        }
        throw error;
      }
    });
    const results = ctx.publisher.publishAll(
      starts.map(({ config }, index) => ({
        config,
        body: Buffer.from(entries[index].body ?? '', 'utf8'),
        context: { callerIp: ip },
      })),
    );
    res.status(201).json(
      starts.map(({ runId }, index) => {
        const run = ctx.stores.workflows.latestRun(runId)!;
        return {
          workflowRunId: runId,
          workflowCreatedAt: run.createdAt,
          // A run with this id was running already, or came earlier in the batch.
          ...(results[index].deduplicated ? { deduplicated: true } : {}),
        };
      }),
    );
  });

  // The official API answers 302 here.
  router.delete('/v2/workflows/dlq/callback/:dlqId', (req, res) => {
    ctx.workflowDlq.cancelFailureCallback(idParam(req, 'dlqId'));
    res.status(302).end();
  });

  router.get('/v2/workflows/runs/:workflowRunId', (req, res) => {
    res.json(ctx.workflowRuns.rawSteps(idParam(req, 'workflowRunId')));
  });

  router.delete('/v2/workflows/runs/:workflowRunId', (req, res) => {
    const runId = idParam(req, 'workflowRunId');
    const { cancel } = parseQuery(req.query, {
      cancel: query.oneOf(['true', 'false']),
    });
    if (cancel === 'false') {
      const response = rawBody(req).toString('utf8');
      ctx.workflowRuns.complete(runId, response.length ? response : undefined);
    } else {
      ctx.workflowRuns.cancel(runId);
    }
    res.status(200).end();
  });

  router.delete('/v2/workflows/runs', (req, res) => {
    const q = parseQuery(req.query, {
      workflowRunIds: query.ids(),
      workflowUrl: query.texts(),
      workflowUrlExactMatch: query.oneOf(['true', 'false']),
      fromDate: query.time(),
      toDate: query.time(),
      callerIp: query.texts(),
      flowControlKey: query.ids(),
      label: query.ids(),
      count: query.count(1000),
    });
    // No ids and no filter means every running run, as the SDK's `{ all: true }` asks.
    const exact = q.workflowUrlExactMatch === 'true';
    const filter: RunFilter = {
      runIds: q.workflowRunIds,
      workflowUrls: exact ? q.workflowUrl : undefined,
      workflowUrlPrefixes: exact ? undefined : q.workflowUrl,
      fromDate: q.fromDate,
      toDate: q.toDate,
      callerIps: q.callerIp,
      flowControlKeys: q.flowControlKey,
      labels: q.label,
    };
    res.json({
      cancelled: ctx.workflowRuns.cancelMatching(filter, q.count ?? 100),
    });
  });

  const listRuns = (req: Request) => {
    const q = parseQuery(req.query, {
      groupBy: query.oneOf(['workflowRunId']),
      cursor: query.cursor(),
      workflowUrl: query.texts(),
      workflowRunId: query.ids(),
      workflowCreatedAt: query.time(),
      workflowRuns: query.texts(),
      state: query.oneOf([...RUN_STATES, ...STEP_STATES]),
      fromDate: query.time(),
      toDate: query.time(),
      count: query.count(MAX_RUNS_PER_PAGE),
      label: query.ids(),
      flowControlKey: query.ids(),
      callerIp: query.texts(),
    });
    const count = q.count ?? MAX_RUNS_PER_PAGE;
    const view = (run: StoredRun) =>
      workflowRunView(
        run,
        ctx.stores.workflows.messages(run.runKey),
        ctx.stores.workflows.waitersOfRun(run.runKey),
      );

    // `workflowRuns=ID@CREATED_AT,...` names runs exactly and overrides the rest.
    if (q.workflowRuns) {
      const runs = q.workflowRuns.map(pair => {
        const match = /^([A-Za-z0-9._-]+)@(\d+)$/.exec(pair);
        if (!match) {
          throw badRequest(
            `invalid query parameter workflowRuns: "${pair}" is not workflowRunId@workflowCreatedAt`,
          );
        }
        return ctx.stores.workflows.listRuns(
          { runIds: [match[1]], createdAt: Number(match[2]) },
          1,
        )[0];
      });
      return { runs: runs.filter(Boolean).map(view) };
    }

    const isStepState = (STEP_STATES as readonly string[]).includes(
      q.state ?? '',
    );
    const filter: RunFilter = {
      runIds: q.workflowRunId,
      workflowUrls: q.workflowUrl,
      createdAt: q.workflowCreatedAt,
      states: q.state && !isStepState ? [q.state] : undefined,
      fromDate: q.fromDate,
      toDate: q.toDate,
      labels: q.label,
      flowControlKeys: q.flowControlKey,
      callerIps: q.callerIp,
    };
    const runs: RunView[] = [];
    let cursor = q.cursor;
    let lastKey: number | undefined;
    let scanned = 0;
    while (runs.length < count && scanned < MAX_SCANNED_RUNS) {
      const batch = ctx.stores.workflows.listRuns(filter, count, cursor);
      for (const run of batch) {
        scanned += 1;
        lastKey = run.runKey;
        const runView = view(run);
        const matches =
          !isStepState ||
          runView.steps.some(group =>
            group.steps.some(step => step.state === q.state),
          );
        if (matches) runs.push(runView);
        if (runs.length === count) break;
      }
      if (batch.length < count) break;
      cursor = lastKey;
    }
    const more =
      lastKey !== undefined &&
      ctx.stores.workflows.listRuns(filter, 1, lastKey).length > 0;
    return { runs, ...(more ? { cursor: String(lastKey) } : {}) };
  };

  router.get('/v2/workflows/logs', (req, res) => {
    res.json(listRuns(req));
  });

  router.get('/v2/workflows/events', (req, res) => {
    if (req.query.groupBy !== 'workflowRunId') {
      throw badRequest(
        'invalid query parameter groupBy: only groupBy=workflowRunId is supported by this server',
      );
    }
    res.json(listRuns(req));
  });

  return router;
}
