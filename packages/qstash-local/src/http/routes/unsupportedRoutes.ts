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
}> = [];

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
