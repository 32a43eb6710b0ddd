import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import { decodeJwt } from 'jose';
import type { DeliveryTokenStore } from '../database/DeliveryTokenStore';
import type { StepLeaseStore } from '../database/StepLeaseStore';

export const SIGNATURE_HEADER = 'upstash-signature';

/**
 * How long a step lease lasts when its delivery never gives it back (the
 * replica died), as long as the local server's default delivery timeout. A
 * duplicate that arrives after this bound while the step still runs executes
 * it again.
 */
export const STEP_LEASE_MS = 15 * 60_000;

/** An error answer of the runner endpoints. */
export interface Refusal {
  status: number;
  name: string;
  message: string;
}

export function sendRefusal(res: express.Response, refusal: Refusal): void {
  res.status(refusal.status).json({
    error: { name: refusal.name, message: refusal.message },
  });
}

function unauthenticated(message: string): Refusal {
  return { status: 401, name: 'AuthenticationError', message };
}

/**
 * Refuses a request without a signature before anything reads its body, so
 * an unsigned caller can neither make the backend buffer a large body nor
 * tell known runner ids from unknown ones.
 */
export const requireSignatureHeader: express.RequestHandler = (
  req,
  res,
  next,
) => {
  if (req.header(SIGNATURE_HEADER)) {
    next();
    return;
  }
  sendRefusal(res, unauthenticated('Missing Upstash-Signature header'));
};

/** Which step of which run a delivery asks `serve` to execute. */
export interface StepIdentity {
  runId: string;
  stepKey: string;
}

interface RawStep {
  body?: unknown;
  callType?: unknown;
}

/**
 * Reads the step a workflow delivery is about the way `serve` decides it:
 * the body is the run's step list (element 0 the initial payload, then one
 * element per step QStash received, of which `callType: "step"` count), and
 * `serve` executes the first step after the finished ones, or, when the last
 * one is a parallel plan step, that plan's `targetStep`. An empty body
 * (lazy fetch) is read by `serve` from QStash for its `Upstash-Message-Id`.
 * Undefined when the delivery does not execute a step of a known run: a
 * first call (it creates a new run id) or a body `serve` refuses anyway.
 */
export function stepIdentityOf(
  headers: Headers,
  rawBody: string,
): StepIdentity | undefined {
  const runId = headers.get('upstash-workflow-runid');
  if (!runId) return undefined;
  if (headers.get('upstash-workflow-failure-callback')) {
    return { runId, stepKey: 'failure-function' };
  }
  // Without the protocol header serve treats the call as a first one.
  if (!headers.get('upstash-workflow-sdk-version')) return undefined;
  if (headers.get('upstash-workflow-callback')) {
    const stepId = headers.get('upstash-workflow-stepid') ?? '';
    return { runId, stepKey: `call-result-${stepId}` };
  }
  if (rawBody === '') {
    const messageId = headers.get('upstash-message-id');
    return messageId ? { runId, stepKey: `message-${messageId}` } : undefined;
  }
  let rawSteps: unknown;
  try {
    rawSteps = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  if (!Array.isArray(rawSteps)) return undefined;
  const finished = (rawSteps.slice(1) as RawStep[]).filter(
    step => step?.callType === 'step',
  );
  const last = finished.at(-1);
  const target = last ? targetStepOf(last) : undefined;
  return {
    runId,
    stepKey:
      target === undefined
        ? `after-${finished.length}`
        : `after-${finished.length}-branch-${target}`,
  };
}

/** The `targetStep` of a plan step (`stepId` 0), else undefined. */
function targetStepOf(step: RawStep): number | undefined {
  if (typeof step.body !== 'string') return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(step.body, 'base64').toString());
    return decoded?.stepId === 0 && typeof decoded.targetStep === 'number'
      ? decoded.targetStep
      : undefined;
  } catch {
    return undefined;
  }
}

export interface DeliveryGuardOptions {
  tokens: DeliveryTokenStore;
  leases: StepLeaseStore;
  logger: LoggerService;
}

/**
 * Makes each verified delivery count once: a signature token is accepted a
 * single time, and a step that one delivery is executing is not executed by
 * a concurrent duplicate.
 */
export class DeliveryGuard {
  constructor(private readonly options: DeliveryGuardOptions) {}

  /**
   * Call after the signature was verified. Records the token id and refuses
   * a token that was used before or that cannot be remembered (no `jti` or
   * no `exp`).
   */
  async admitToken(signature: string): Promise<Refusal | undefined> {
    // Receiver.verify has accepted it, so it decodes.
    const claims = decodeJwt(signature);
    if (typeof claims.jti !== 'string' || claims.jti === '') {
      return unauthenticated(
        'Upstash-Signature has no jti claim, so a replay could not be recognised',
      );
    }
    if (typeof claims.exp !== 'number') {
      return unauthenticated(
        'Upstash-Signature has no exp claim, so it would never expire',
      );
    }
    const fresh = await this.options.tokens.markUsed(
      claims.jti,
      new Date(claims.exp * 1000),
    );
    return fresh
      ? undefined
      : unauthenticated(
          'This delivery was already used: its Upstash-Signature was accepted before',
        );
  }

  /**
   * Runs `execute` unless the same step of the same run is executing for
   * another delivery right now; the lease is given back when it returns.
   */
  async executeOnce(
    request: Request,
    rawBody: string,
    execute: () => Promise<Response>,
  ): Promise<Response> {
    const step = stepIdentityOf(request.headers, rawBody);
    if (!step) return execute();
    const lease = await this.options.leases.acquire(
      step.runId,
      step.stepKey,
      STEP_LEASE_MS,
    );
    if (!lease) {
      this.options.logger.info(
        `Run ${step.runId}: step ${step.stepKey} is already executing; duplicate delivery answered without executing it`,
      );
      // 200, not an error status. QStash retries any other answer (5xx, 429,
      // a 489 without Upstash-NonRetryable-Error) later, when the lease is
      // gone, and that retry would execute the step a second time; a 489 with
      // it would fail the run. The delivery holding the lease publishes the
      // step's result, which drives the run on, so this message may count as
      // delivered.
      return Response.json(
        {
          workflowRunId: step.runId,
          duplicate: true,
          message: `Step ${step.stepKey} of run ${step.runId} is already executing for another delivery; this one was not executed`,
        },
        { status: 200 },
      );
    }
    try {
      return await execute();
    } finally {
      await this.options.leases.release(lease);
    }
  }
}
