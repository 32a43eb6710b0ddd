import { Router } from 'express';
import { z } from 'zod';
import { ApiContext } from '../apiContext';
import { parseQuery } from '../queryParams';
import { idParam } from '../requestParts';

const positiveInteger = z.preprocess(
  value => (Array.isArray(value) ? value[0] : value),
  z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive integer')
    .transform(Number)
    .optional(),
);

const flag = z.preprocess(
  value => (Array.isArray(value) ? value[0] : value),
  z
    .enum(['true', 'false'], {
      errorMap: () => ({ message: 'must be true or false' }),
    })
    .transform(value => value === 'true')
    .optional(),
);

/** Flow-control keys and the global parallelism. */
export function flowControlRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/v2/flowControl', (_req, res) => {
    res.json(ctx.flowControl.list());
  });

  router.get('/v2/flowControl/:flowControlKey', (req, res) => {
    res.json(ctx.flowControl.get(idParam(req, 'flowControlKey')));
  });

  router.post('/v2/flowControl/:flowControlKey/pause', (req, res) => {
    ctx.flowControl.setPaused(idParam(req, 'flowControlKey'), true);
    res.status(200).end();
  });

  router.post('/v2/flowControl/:flowControlKey/resume', (req, res) => {
    ctx.flowControl.setPaused(idParam(req, 'flowControlKey'), false);
    res.status(200).end();
  });

  router.post('/v2/flowControl/:flowControlKey/pin', (req, res) => {
    const key = idParam(req, 'flowControlKey');
    const q = parseQuery(req.query, {
      parallelism: positiveInteger,
      rate: positiveInteger,
      period: positiveInteger,
    });
    ctx.flowControl.pin(key, {
      parallelism: q.parallelism,
      rate: q.rate,
      periodSeconds: q.period,
    });
    res.status(200).end();
  });

  router.post('/v2/flowControl/:flowControlKey/unpin', (req, res) => {
    const key = idParam(req, 'flowControlKey');
    const q = parseQuery(req.query, { parallelism: flag, rate: flag });
    ctx.flowControl.unpin(key, {
      parallelism: q.parallelism ?? false,
      rate: q.rate ?? false,
    });
    res.status(200).end();
  });

  router.post('/v2/flowControl/:flowControlKey/resetRate', (req, res) => {
    ctx.flowControl.resetRate(idParam(req, 'flowControlKey'));
    res.status(200).end();
  });

  router.get('/v2/globalParallelism', (_req, res) => {
    res.json(ctx.flowControl.globalParallelism());
  });

  return router;
}
