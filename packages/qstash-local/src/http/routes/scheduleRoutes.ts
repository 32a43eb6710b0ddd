import { Router } from 'express';
import { scheduleView } from '../../schedules/scheduleService';
import { ApiContext } from '../apiContext';
import {
  callerIp,
  destinationAfter,
  idParam,
  rawBody,
  requestHeaders,
} from '../requestParts';

/** Schedules: create/replace, read, delete, pause and resume. */
export function scheduleRoutes(ctx: ApiContext): Router {
  const router = Router();

  // The SDK pauses with PATCH, the API reference says POST: both work.
  for (const method of ['post', 'patch'] as const) {
    router[method]('/v2/schedules/:scheduleId/pause', (req, res) => {
      ctx.schedules.setPaused(idParam(req, 'scheduleId'), true);
      res.status(200).end();
    });
    router[method]('/v2/schedules/:scheduleId/resume', (req, res) => {
      ctx.schedules.setPaused(idParam(req, 'scheduleId'), false);
      res.status(200).end();
    });
  }

  router.post(/^\/v2\/schedules\/.+/, (req, res) => {
    res.json(
      ctx.schedules.upsert({
        destination: destinationAfter(req, '/v2/schedules/'),
        headers: requestHeaders(req),
        body: rawBody(req),
        callerIp: callerIp(req),
      }),
    );
  });

  router.get('/v2/schedules', (_req, res) => {
    res.json(ctx.schedules.list().map(scheduleView));
  });

  router.get('/v2/schedules/:scheduleId', (req, res) => {
    res.json(scheduleView(ctx.schedules.get(idParam(req, 'scheduleId'))));
  });

  router.delete('/v2/schedules/:scheduleId', (req, res) => {
    ctx.schedules.delete(idParam(req, 'scheduleId'));
    res.status(200).end();
  });

  return router;
}
