import { Router } from 'express';
import { parseEventId } from '../../workflow/workflowEvents';
import { ApiContext } from '../apiContext';
import { callerIp, idParam, rawBody, requestHeaders } from '../requestParts';

/** Workflow events: `context.waitForEvent`, notify and the waiter list. */
export function workflowEventRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.post('/v2/wait/:eventId', (req, res) => {
    const eventId = parseEventId(req.params.eventId);
    res.json(
      ctx.workflowEvents.wait(
        eventId,
        requestHeaders(req),
        rawBody(req),
        callerIp(req),
      ),
    );
  });

  router.post('/v2/notify/:eventId', (req, res) => {
    const eventId = parseEventId(req.params.eventId);
    res.status(201).json(ctx.workflowEvents.notify(eventId, rawBody(req)));
  });

  router.post('/v2/notify/:workflowRunId/:eventId', (req, res) => {
    const runId = idParam(req, 'workflowRunId');
    const eventId = parseEventId(req.params.eventId);
    res
      .status(201)
      .json(ctx.workflowEvents.notifyRun(runId, eventId, rawBody(req)));
  });

  router.get('/v2/waiters/:eventId', (req, res) => {
    res.json(ctx.workflowEvents.waiters(parseEventId(req.params.eventId)));
  });

  return router;
}
