import { Router } from 'express';
import { z } from 'zod';
import { lowerCaseHeaders } from '../../config/headerNames';
import { parseMessageConfig } from '../../config/parseMessageConfig';
import { ApiError, badRequest } from '../../errors';
import { isIdentifier, newWorkflowRunId } from '../../ids';
import { ApiContext } from '../apiContext';
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
        .undefined({
          invalid_type_error: 'queues are not supported by this server',
        })
        .optional(),
    }),
  )
  .min(1, 'must hold at least one message')
  .max(MAX_BATCH_SIZE, `must hold at most ${MAX_BATCH_SIZE} messages`);

function parseBatch(body: Buffer) {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('batch body must be a JSON array of messages');
  }
  const parsed = batchSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length
      ? `batch[${issue.path[0]}]${issue.path
          .slice(1)
          .map(part => `.${String(part)}`)
          .join('')}`
      : 'batch';
    throw badRequest(`invalid ${where}: ${issue.message}`);
  }
  return parsed.data;
}

/** Publish, batch and workflow trigger. */
export function publishRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.post(/^\/v2\/publish\/.+/, (req, res) => {
    const destination = destinationAfter(req, '/v2/publish/');
    const config = parseMessageConfig(destination, requestHeaders(req));
    const result = ctx.publisher.publish({
      config,
      body: rawBody(req),
      context: { callerIp: callerIp(req) },
    });
    res.status(200).json(result);
  });

  router.post('/v2/batch', (req, res) => {
    const entries = parseBatch(rawBody(req));
    const ip = callerIp(req);
    const requests = entries.map((entry, index) => {
      try {
        return {
          config: parseMessageConfig(
            entry.destination,
            lowerCaseHeaders(entry.headers ?? {}),
          ),
          body: Buffer.from(
            typeof entry.body === 'string' || entry.body === undefined
              ? entry.body ?? ''
              : JSON.stringify(entry.body),
            'utf8',
          ),
          context: { callerIp: ip },
        };
      } catch (error) {
        if (error instanceof ApiError) {
          throw badRequest(`batch[${index}]: ${error.message}`);
        }
        throw error;
      }
    });
    res.status(200).json(ctx.publisher.publishAll(requests));
  });

  router.post(/^\/v2\/trigger\/.+/, (req, res) => {
    const workflowUrl = destinationAfter(req, '/v2/trigger/');
    const headers = requestHeaders(req);
    const runId = headers['upstash-workflow-runid'] ?? newWorkflowRunId();
    if (!isIdentifier(runId)) {
      throw badRequest(
        'invalid Upstash-Workflow-RunId header: must match [A-Za-z0-9._-]+',
      );
    }
    const config = parseMessageConfig(workflowUrl, {
      ...headers,
      'upstash-workflow-runid': runId,
      'upstash-workflow-init': 'true',
      'upstash-workflow-url': workflowUrl,
      'upstash-workflow-calltype': 'step',
      // Marks the delivery as a step, so serve() runs it instead of starting over.
      'upstash-forward-upstash-workflow-sdk-version': '1',
    });
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
