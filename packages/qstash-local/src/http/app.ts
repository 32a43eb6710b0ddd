import express, { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors';
import { ApiContext } from './apiContext';
import { requireToken } from './auth';
import { dlqRoutes } from './routes/dlqRoutes';
import { flowControlRoutes } from './routes/flowControlRoutes';
import { keyRoutes } from './routes/keyRoutes';
import { logRoutes } from './routes/logRoutes';
import { messageRoutes } from './routes/messageRoutes';
import { publishRoutes } from './routes/publishRoutes';
import { queueRoutes } from './routes/queueRoutes';
import { scheduleRoutes } from './routes/scheduleRoutes';
import { unsupportedRoutes } from './routes/unsupportedRoutes';
import { urlGroupRoutes } from './routes/urlGroupRoutes';
import { workflowDlqRoutes } from './routes/workflowDlqRoutes';
import { workflowEventRoutes } from './routes/workflowEventRoutes';
import { workflowRoutes } from './routes/workflowRoutes';

const MAX_BODY = '10mb';

// Item paths with an empty id: QStash treats some as "all"; here they are errors.
const EMPTY_ID_PATHS: Array<[RegExp, string]> = [
  [/^\/v2\/messages\/$/, 'messageId'],
  [/^\/v2\/dlq\/$/, 'dlqId'],
  [/^\/v2\/dlq\/retry\/$/, 'dlqId'],
  [/^\/v2\/schedules\/$/, 'scheduleId'],
  [/^\/v2\/schedules\/\/(pause|resume)$/, 'scheduleId'],
  [/^\/v2\/queues\/(\/(pause|resume))?$/, 'queueName'],
  [/^\/v2\/enqueue\/(\/|$)/, 'queueName'],
  [/^\/v2\/topics\/(\/endpoints)?$/, 'urlGroupName'],
  [/^\/v2\/flowControl\/(\/\w+)?$/, 'flowControlKey'],
  [/^\/v2\/workflows\/runs\/$/, 'workflowRunId'],
  [/^\/v2\/workflows\/dlq\/$/, 'dlqId'],
  [/^\/v2\/workflows\/dlq\/(resume|restart|callback)\/$/, 'dlqId'],
  [/^\/v2\/(wait|notify|waiters)\/$/, 'eventId'],
  [/^\/v2\/notify\/[^/]+\/$/, 'eventId'],
  [/^\/v2\/notify\/\/[^/]+$/, 'workflowRunId'],
];

function rejectEmptyIds(req: Request, _res: Response, next: NextFunction) {
  // Every pattern needs one of these; most requests (publishes) have neither.
  const { path } = req;
  if (!path.endsWith('/') && !path.includes('//')) {
    next();
    return;
  }
  for (const [pattern, name] of EMPTY_ID_PATHS) {
    if (pattern.test(path)) {
      next(
        new ApiError(
          400,
          `missing ${name} in the path; an empty id never selects everything (bulk calls go to the collection path without the slash)`,
        ),
      );
      return;
    }
  }
  next();
}

/** The QStash REST API on an express app. */
export function createApp(ctx: ApiContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // QStash sends no ETag; hashing every answer body was pure cost.
  app.set('etag', false);
  app.set('strict routing', true);
  // Repeated keys become arrays; nested `a[b]` syntax is not part of the API.
  app.set('query parser', 'simple');

  app.use(requireToken(ctx.token));
  app.use(express.raw({ type: () => true, limit: MAX_BODY }));
  app.use(rejectEmptyIds);
  app.use(publishRoutes(ctx));
  app.use(messageRoutes(ctx));
  app.use(logRoutes(ctx));
  app.use(dlqRoutes(ctx));
  app.use(scheduleRoutes(ctx));
  app.use(queueRoutes(ctx));
  app.use(urlGroupRoutes(ctx));
  app.use(flowControlRoutes(ctx));
  app.use(workflowRoutes(ctx));
  app.use(workflowDlqRoutes(ctx));
  app.use(workflowEventRoutes(ctx));
  app.use(keyRoutes(ctx));
  app.use(unsupportedRoutes());

  app.use((req: Request, res: Response) => {
    res
      .status(404)
      .json({ error: `no such endpoint: ${req.method} ${req.path}` });
  });

  app.use(
    (error: unknown, _req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) {
        next(error);
        return;
      }
      if (error instanceof ApiError) {
        res.status(error.status).json({ error: error.message });
        return;
      }
      // body-parser errors (too large, aborted) carry their own 4xx status.
      const status = (error as { status?: number }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        res.status(status).json({ error: (error as Error).message });
        return;
      }
      ctx.onUnexpectedError(error);
      res.status(500).json({ error: 'internal error' });
    },
  );

  return app;
}
