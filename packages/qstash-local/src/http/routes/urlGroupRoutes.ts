import { Router } from 'express';
import {
  addEndpointsSchema,
  removeEndpointsSchema,
  urlGroupView,
} from '../../urlGroups/urlGroupService';
import { ApiContext } from '../apiContext';
import { parseJsonBody } from '../jsonBody';
import { idParam, rawBody } from '../requestParts';

/** URL groups, which the API calls topics. */
export function urlGroupRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.post('/v2/topics/:urlGroupName/endpoints', (req, res) => {
    ctx.urlGroups.addEndpoints(
      idParam(req, 'urlGroupName'),
      parseJsonBody(rawBody(req), addEndpointsSchema, 'endpoints body'),
    );
    res.status(200).end();
  });

  router.delete('/v2/topics/:urlGroupName/endpoints', (req, res) => {
    ctx.urlGroups.removeEndpoints(
      idParam(req, 'urlGroupName'),
      parseJsonBody(rawBody(req), removeEndpointsSchema, 'endpoints body'),
    );
    res.status(200).end();
  });

  router.get('/v2/topics', (_req, res) => {
    res.json(ctx.urlGroups.list().map(urlGroupView));
  });

  router.get('/v2/topics/:urlGroupName', (req, res) => {
    res.json(urlGroupView(ctx.urlGroups.get(idParam(req, 'urlGroupName'))));
  });

  router.delete('/v2/topics/:urlGroupName', (req, res) => {
    ctx.urlGroups.delete(idParam(req, 'urlGroupName'));
    res.status(200).end();
  });

  return router;
}
