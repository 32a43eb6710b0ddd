import { Router } from 'express';
import { ApiContext } from '../apiContext';

/** Signing keys. */
export function keyRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/v2/keys', (_req, res) => {
    res.json({ current: ctx.signingKeys.current, next: ctx.signingKeys.next });
  });

  router.post('/v2/keys/rotate', (_req, res) => {
    res.json(ctx.signingKeys.rotate());
  });

  return router;
}
