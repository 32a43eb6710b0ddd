import { NextFunction, Response, Router } from 'express';
import { z } from 'zod';
import { lowerCaseHeaders } from '../../config/headerNames';
import { ApiError, badRequest } from '../../errors';
import { IDENTIFIER_PATTERN, isIdentifier } from '../../ids';
import { PublishRequest } from '../../messages/publisher';
import { triggerConfig } from '../../workflow/triggerConfig';
import { ApiContext } from '../apiContext';
import { parseBatchBody } from '../batchBody';
import {
  callerIp,
  destinationAfter,
  rawBody,
  requestHeaders,
} from '../requestParts';

const MAX_BATCH_SIZE = 1000;

const batchSchema = z
  .array(
    z.object({
      destination: z.string().min(1, 'is required'),
      headers: z.record(z.string()).optional(),
      // The workflow SDK sends a context.call body as raw JSON, not as a string.
      body: z.unknown().optional(),
      queue: z
        .string({ invalid_type_error: 'must be a string' })
        .regex(IDENTIFIER_PATTERN, 'must match [A-Za-z0-9._-]+')
        .optional(),
    }),
  )
  .min(1, 'must hold at least one message')
  .max(MAX_BATCH_SIZE, `must hold at most ${MAX_BATCH_SIZE} messages`);

/** Publish (to a URL or a URL group), enqueue, batch and workflow trigger. */
export function publishRoutes(ctx: ApiContext): Router {
  const router = Router();

  /** The messages for one destination: a URL group gets one per endpoint. */
  const requestsFor = (
    destination: string,
    headers: Record<string, string>,
    body: Buffer,
    ip: string,
  ): { requests: PublishRequest[]; urlGroup: boolean } => {
    const { configs, urlGroup } = ctx.urlGroups.messageConfigs(
      destination,
      headers,
    );
    return {
      requests: configs.map(config => ({
        config,
        body,
        context: { callerIp: ip },
      })),
      urlGroup,
    };
  };

  // A URL group answers with one entry per endpoint, as QStash does. The
  // answer waits for the commit that holds the messages.
  const publish = (
    res: Response,
    next: NextFunction,
    destination: string,
    headers: Record<string, string>,
    body: Buffer,
    ip: string,
  ): void => {
    const { requests, urlGroup } = requestsFor(destination, headers, body, ip);
    ctx.publisher
      .publishAllSoon(requests)
      .then(results => res.status(200).json(urlGroup ? results : results[0]))
      .catch(next);
  };

  router.post(/^\/v2\/publish\/.+/, (req, res, next) => {
    publish(
      res,
      next,
      destinationAfter(req, '/v2/publish/'),
      requestHeaders(req),
      rawBody(req),
      callerIp(req),
    );
  });

  router.post(/^\/v2\/enqueue\/.+/, (req, res, next) => {
    const rest = req.originalUrl.slice('/v2/enqueue/'.length);
    const slash = rest.indexOf('/');
    const queueName = slash < 0 ? rest : rest.slice(0, slash);
    if (!isIdentifier(queueName)) {
      throw badRequest(
        `invalid queueName "${queueName}": must match [A-Za-z0-9._-]+`,
      );
    }
    if (slash < 0) {
      throw badRequest('missing destination after the queue name');
    }
    const headers = {
      ...requestHeaders(req),
      'upstash-queue-name': queueName,
    };
    publish(
      res,
      next,
      destinationAfter(req, `/v2/enqueue/${queueName}/`),
      headers,
      rawBody(req),
      callerIp(req),
    );
  });

  router.post('/v2/batch', (req, res) => {
    const entries = parseBatchBody(
      rawBody(req),
      batchSchema,
      'batch body must be a JSON array of messages',
    );
    const ip = callerIp(req);
    const parts = entries.map((entry, index) => {
      try {
        const headers = lowerCaseHeaders(entry.headers ?? {});
        if (entry.queue) headers['upstash-queue-name'] = entry.queue;
        return requestsFor(
          entry.destination,
          headers,
          Buffer.from(
            typeof entry.body === 'string' || entry.body === undefined
              ? entry.body ?? ''
              : JSON.stringify(entry.body),
            'utf8',
          ),
          ip,
        );
      } catch (error) {
        if (error instanceof ApiError) {
          throw new ApiError(error.status, `batch[${index}]: ${error.message}`);
        }
        throw error;
      }
    });
    const results = ctx.publisher.publishAll(
      parts.flatMap(part => part.requests),
    );
    // Entries for a URL group answer with an array of their own.
    let next = 0;
    res.status(200).json(
      parts.map(part => {
        const own = results.slice(next, next + part.requests.length);
        next += part.requests.length;
        return part.urlGroup ? own : own[0];
      }),
    );
  });

  router.post(/^\/v2\/trigger\/.+/, (req, res) => {
    const workflowUrl = destinationAfter(req, '/v2/trigger/');
    const { runId, config } = triggerConfig(workflowUrl, requestHeaders(req));
    const result = ctx.publisher.publish({
      config,
      body: rawBody(req),
      context: { callerIp: callerIp(req) },
    });
    if (result.deduplicated) {
      throw badRequest(`workflow run ${runId} is already running`);
    }
    const run = ctx.stores.workflows.activeRun(runId)!;
    res
      .status(200)
      .json({ workflowRunId: runId, workflowCreatedAt: run.createdAt });
  });

  return router;
}
