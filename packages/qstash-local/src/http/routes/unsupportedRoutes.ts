import { Router } from 'express';
import { ApiError } from '../../errors';

/**
 * Endpoints of the official QStash and Workflow OpenAPI files that this
 * server does not implement, each with the feature it belongs to. A path
 * prefix covers every method and everything below it. The contract test walks
 * both files and fails when an operation is neither implemented nor here.
 */
export const UNSUPPORTED_ENDPOINTS: ReadonlyArray<{
  method?: 'DELETE';
  path: string;
  /** Plural noun phrase: "<feature> are not supported". */
  feature: string;
}> = [
  { path: '/v2/enqueue', feature: 'queues' },
  { path: '/v2/queues', feature: 'queues' },
  { path: '/v2/topics', feature: 'URL groups (topics)' },
  { path: '/v2/flowControl', feature: 'flow control endpoints' },
  { path: '/v2/globalParallelism', feature: 'global parallelism endpoints' },
  { path: '/v2/batch/trigger', feature: 'batch workflow triggers' },
  { path: '/v2/notify', feature: 'workflow events (waitForEvent/notify)' },
  { path: '/v2/wait', feature: 'workflow events (waitForEvent/notify)' },
  { path: '/v2/waiters', feature: 'workflow events (waitForEvent/notify)' },
  {
    method: 'DELETE',
    path: '/v2/workflows/dlq/callback/:dlqId',
    feature: 'failure callback cancellations',
  },
];

export const notSupported = (feature: string) =>
  new ApiError(501, `${feature} are not supported by qstash-local`);

/** Answers 501 naming the feature, instead of a bare "no such endpoint". */
export function unsupportedRoutes(): Router {
  const router = Router();
  for (const { method, path, feature } of UNSUPPORTED_ENDPOINTS) {
    const refuse = () => {
      throw notSupported(feature);
    };
    if (method === 'DELETE') router.delete(path, refuse);
    else router.use(path, refuse);
  }
  return router;
}
