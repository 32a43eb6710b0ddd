import { Router } from 'express';
import { upsertQueueSchema } from '../../queues/queueService';
import { ApiContext } from '../apiContext';
import { parseJsonBody } from '../jsonBody';
import { idParam, rawBody } from '../requestParts';

/** Queues: upsert, list, get, delete, pause and resume. */
export function queueRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.post('/v2/queues', (req, res) => {
    ctx.queues.upsert(
      parseJsonBody(rawBody(req), upsertQueueSchema, 'queue body'),
    );
    res.status(200).end();
  });

  router.get('/v2/queues', (_req, res) => {
    res.json(ctx.queues.list());
  });

  router.get('/v2/queues/:queueName', (req, res) => {
    res.json(ctx.queues.get(idParam(req, 'queueName')));
  });

  router.delete('/v2/queues/:queueName', (req, res) => {
    ctx.queues.delete(idParam(req, 'queueName'));
    res.status(200).end();
  });

  router.post('/v2/queues/:queueName/pause', (req, res) => {
    ctx.queues.setPaused(idParam(req, 'queueName'), true);
    res.status(200).end();
  });

  router.post('/v2/queues/:queueName/resume', (req, res) => {
    ctx.queues.setPaused(idParam(req, 'queueName'), false);
    res.status(200).end();
  });

  return router;
}
