import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  RunnerServices,
  WorkflowRunner,
} from '@internal/plugin-workflows-node';
import { Receiver } from '@upstash/qstash';
import { serve } from '@upstash/workflow';
import type { QStashGateway } from '../qstash/QStashGateway';
import express from 'express';
import Router from 'express-promise-router';
import { RunJournal } from '../database/RunJournal';
import type { WorkflowDefinitionRow } from '../database/WorkflowDefinitionStore';
import {
  DeliveryGuard,
  requireSignatureHeader,
  sendRefusal,
  SIGNATURE_HEADER,
} from './deliveryGuard';
import { DeliveryDrain } from './deliveryDrain';
import { withEarlyErrorsReported } from './earlyErrors';
import { failureColumns } from '../triage/failureColumns';
import { sendDiscordFailureAlert } from './failureAlert';
import { journaledContext } from './journaledContext';
import { QStashConnection } from './qstashConnection';

const RUNNER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_BODY = '10mb';

type Handler = (request: Request) => Promise<Response>;

export interface RunnerHostOptions {
  connection: QStashConnection | undefined;
  /** Built from the connection; the SDK clients come from it. */
  gateway: QStashGateway | undefined;
  /** Public base URL of this plugin as QStash reaches it, e.g. https://portal/api/workflows */
  pluginBaseUrl: string;
  /** Where operators open a run, for alert links. */
  runUrl(workflowId: string, runId: string): string;
  /** The Failures page opened at a failure group. */
  failureGroupUrl(failureGroup: string): string;
  journal: RunJournal;
  /** Refuses replayed tokens and duplicate executions of a step. */
  deliveryGuard: DeliveryGuard;
  logger: LoggerService;
  discordWebhookUrl?: string;
  /** Deliveries in flight, waited for while the backend stops. */
  drain: DeliveryDrain;
}

/**
 * Serves every registered runner with `@upstash/workflow` at
 * `/runners/<id>`, verifying QStash signatures on the raw request body.
 */
export class RunnerHost {
  private readonly runners = new Map<string, WorkflowRunner<unknown>>();
  private readonly handlers = new Map<string, Handler>();

  constructor(private readonly options: RunnerHostOptions) {}

  add(runner: WorkflowRunner<unknown>): void {
    if (!RUNNER_ID.test(runner.id)) {
      throw new InputError(
        `Runner id "${runner.id}" must be lower-case letters, digits and dashes`,
      );
    }
    if (this.runners.has(runner.id)) {
      throw new ConflictError(`Runner "${runner.id}" is registered twice`);
    }
    this.runners.set(runner.id, runner);
  }

  urlOf(runnerId: string): string {
    return `${this.options.pluginBaseUrl}/runners/${runnerId}`;
  }

  list(): WorkflowRunner<unknown>[] {
    return [...this.runners.values()];
  }

  definitions(): WorkflowDefinitionRow[] {
    return this.list().map(runner => ({
      id: runner.id,
      title: runner.title,
      description: runner.description,
      owner: runner.owner,
      source: 'runner',
      endpoint: this.urlOf(runner.id),
      schedule: runner.schedule
        ? {
            cron: runner.schedule.cron,
            timezone: runner.schedule.timezone ?? 'UTC',
          }
        : null,
      requiredEnv: runner.requiredEnv ?? [],
    }));
  }

  /** Why runners cannot be served, or undefined when they can. */
  disabledReason(): string | undefined {
    const connection = this.options.connection;
    if (!connection) {
      return 'Runner endpoints are disabled: no QStash token is configured (workflows.qstash.token, QSTASH_TOKEN)';
    }
    if (!connection.currentSigningKey || !connection.nextSigningKey) {
      return 'Runner endpoints are disabled: both QStash signing keys must be configured (workflows.qstash.currentSigningKey and nextSigningKey, QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY) so that every call can be verified';
    }
    return undefined;
  }

  router(): express.Router {
    const router = Router();
    router.post(
      '/runners/:runnerId',
      requireSignatureHeader,
      (req, res, next) => {
        this.options.drain.track(req, res);
        next();
      },
      express.raw({ type: () => true, limit: MAX_BODY }),
      async (req, res) => {
        const disabled = this.disabledReason();
        if (disabled) {
          sendRefusal(res, {
            status: 503,
            name: 'ServiceUnavailableError',
            message: disabled,
          });
          return;
        }
        const rawBody = Buffer.isBuffer(req.body)
          ? req.body.toString('utf8')
          : '';
        const signature = req.header(SIGNATURE_HEADER)!;
        // Verified against the URL asked for, known runner or not: only a
        // caller with a valid signature learns whether the id exists.
        const url = this.urlOf(req.params.runnerId);
        if (!(await this.verify(signature, rawBody, url))) {
          sendRefusal(res, {
            status: 401,
            name: 'AuthenticationError',
            message:
              'Upstash-Signature does not match this request (key, body, URL or expiry)',
          });
          return;
        }
        const tokenRefusal = await this.options.deliveryGuard.admitToken(
          signature,
        );
        if (tokenRefusal) {
          sendRefusal(res, tokenRefusal);
          return;
        }
        const runner = this.runners.get(req.params.runnerId);
        if (!runner) {
          sendRefusal(res, {
            status: 404,
            name: 'NotFoundError',
            message: `No runner "${req.params.runnerId}"`,
          });
          return;
        }
        const request = new Request(url, {
          method: 'POST',
          headers: toHeaders(req.headers),
          body: rawBody,
        });
        const response = await this.options.deliveryGuard.executeOnce(
          request,
          rawBody,
          () => this.handlerFor(runner)(request),
        );
        res.status(response.status);
        response.headers.forEach((value, key) => res.setHeader(key, value));
        res.send(Buffer.from(await response.arrayBuffer()));
      },
    );
    return router;
  }

  private async verify(
    signature: string,
    body: string,
    url: string,
  ): Promise<boolean> {
    const { currentSigningKey, nextSigningKey } = this.options.connection!;
    try {
      return await new Receiver({
        currentSigningKey: currentSigningKey!,
        nextSigningKey: nextSigningKey!,
      }).verify({ signature, body, url });
    } catch {
      return false;
    }
  }

  private services(): RunnerServices {
    return {
      urlOf: id => this.urlOf(id),
      workflowClient: this.options.gateway!.sdkClients().workflow,
      logger: this.options.logger,
    };
  }

  private handlerFor(runner: WorkflowRunner<unknown>): Handler {
    const existing = this.handlers.get(runner.id);
    if (existing) return existing;
    const connection = this.options.connection!;
    const { journal, logger } = this.options;
    const services = this.services();
    const { handler } = serve<unknown>(
      async context => {
        const attempt =
          Number(context.headers.get('upstash-retried') ?? 0) || 0;
        const result = await withEarlyErrorsReported(context, () =>
          runner.run(
            journaledContext(context, {
              journal,
              workflowId: runner.id,
              attempt,
            }),
            services,
          ),
        );
        // Reached only on the call that replays every step: the run is complete.
        await journal.runSucceeded(context.workflowRunId);
        return result;
      },
      {
        url: this.urlOf(runner.id),
        // Explicit settings: the SDK must not pick up process-wide QStash variables.
        env: {
          QSTASH_URL: connection.url,
          QSTASH_TOKEN: connection.token,
          QSTASH_CURRENT_SIGNING_KEY: connection.currentSigningKey,
          QSTASH_NEXT_SIGNING_KEY: connection.nextSigningKey,
        },
        qstashClient: this.options.gateway!.sdkClients().qstash,
        receiver: new Receiver({
          currentSigningKey: connection.currentSigningKey!,
          nextSigningKey: connection.nextSigningKey!,
        }),
        disableTelemetry: true,
        failureFunction: async ({ context, failStatus, failResponse }) => {
          const runId = context.workflowRunId;
          const failedStep = await journal.lastFailedStep(runId);
          await journal.runFailed(runId, runner.id, {
            failedStep,
            error: failResponse,
          });
          logger.warn(
            `Workflow ${runner.id} run ${runId} failed at ${
              failedStep ?? 'an unknown step'
            } (HTTP ${failStatus})`,
          );
          if (this.options.discordWebhookUrl) {
            await sendDiscordFailureAlert(
              this.options.discordWebhookUrl,
              {
                workflowId: runner.id,
                workflowTitle: runner.title,
                runId,
                failedStep,
                error: failResponse,
                runUrl: this.options.runUrl(runner.id, runId),
                groupUrl: this.options.failureGroupUrl(
                  failureColumns({
                    workflowId: runner.id,
                    status: 'failed',
                    failedStep,
                    error: failResponse,
                    failedAt: new Date(),
                  }).failure_group!,
                ),
              },
              logger,
            );
          }
          await runner.onFailure?.(
            {
              workflowRunId: runId,
              failStatus,
              failResponse,
              failedStepName: failedStep ?? undefined,
            },
            services,
          );
        },
      },
    );
    this.handlers.set(runner.id, handler);
    return handler;
  }
}

function toHeaders(incoming: express.Request['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    // Hop-by-hop and length headers describe the old connection, not this Request.
    if (
      ['host', 'connection', 'content-length', 'transfer-encoding'].includes(
        name,
      )
    )
      continue;
    for (const v of Array.isArray(value) ? value : [value])
      headers.append(name, v);
  }
  return headers;
}
