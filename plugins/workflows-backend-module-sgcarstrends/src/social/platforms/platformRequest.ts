import type { z } from 'zod';
import type { FetchFn } from '../SocialPlatform';
import { redactSecrets } from './redactSecrets';
import { SocialPlatformError } from './SocialPlatformError';

/** A hung platform must fail the step (which QStash retries), not stall it. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Enough of a reply to see the platform's reason, short enough for step output. */
const EXCERPT_MAX_LENGTH = 300;

export interface PlatformRequest {
  /** "Discord", "LinkedIn", ...: the first word of every error. */
  platformName: string;
  /** What the request does, for errors: "post the message", "refresh the access token". */
  action: string;
  url: string;
  init: RequestInit;
  /** Values that must never appear in an error (tokens, webhook URL, ...). */
  secrets: ReadonlyArray<string | undefined>;
  fetchImpl?: FetchFn;
  /**
   * Recognises a refusal that needs a person (e.g. an expired credential) and
   * returns what to do about it; it leads the error message.
   */
  explainRefusal?: (status: number, body: string) => string | undefined;
}

export interface PlatformReply {
  response: Response;
  body: string;
}

/** A short, single-line, secret-free excerpt of a reply body. */
export function replyExcerpt(
  body: string,
  secrets: ReadonlyArray<string | undefined>,
): string {
  const singleLine = redactSecrets(body, secrets).replace(/\s+/g, ' ').trim();
  if (singleLine.length === 0) {
    return '(empty reply)';
  }
  return singleLine.length > EXCERPT_MAX_LENGTH
    ? `${singleLine.slice(0, EXCERPT_MAX_LENGTH)}\u2026`
    : singleLine;
}

/**
 * Sends one request and returns the reply when it is 2xx. Anything else
 * becomes a SocialPlatformError whose message has the secrets removed.
 */
export async function sendPlatformRequest(
  request: PlatformRequest,
): Promise<PlatformReply> {
  const { platformName, action, secrets } = request;
  const fetchImpl = request.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      ...request.init,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new SocialPlatformError(
      `${platformName}: could not ${action}: ${redactSecrets(
        describeFetchFailure(error),
        secrets,
      )}`,
      { platform: platformName },
    );
  }

  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    body = `(reply could not be read: ${describeFetchFailure(error)})`;
  }

  if (!response.ok) {
    const refusal = `${platformName} refused to ${action}: HTTP ${response.status}`;
    const explanation = request.explainRefusal?.(response.status, body);
    // The headline is our own text; only the platform's reply can hold secrets.
    const headline = explanation ? `${explanation} (${refusal})` : refusal;
    throw new SocialPlatformError(
      `${headline}: ${replyExcerpt(body, secrets)}`,
      { platform: platformName, status: response.status },
    );
  }
  return { response, body };
}

/**
 * Reads a 2xx JSON reply. When `accepted` is true the request has already
 * had its effect (a post was created), which the error records so the
 * post-once ledger does not post again.
 */
export function parseReply<Schema extends z.ZodTypeAny>(
  reply: PlatformReply,
  schema: Schema,
  context: {
    platformName: string;
    action: string;
    secrets: ReadonlyArray<string | undefined>;
    accepted: boolean;
  },
): z.infer<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(reply.body);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new SocialPlatformError(
      `${context.platformName} answered the request to ${
        context.action
      } with HTTP ${
        reply.response.status
      } but an unexpected reply: ${replyExcerpt(reply.body, context.secrets)}`,
      {
        platform: context.platformName,
        status: reply.response.status,
        mayHavePosted: context.accepted,
      },
    );
  }
  return parsed.data;
}

/**
 * Sends the request and reads its 2xx JSON reply; `accepted` as in
 * {@link parseReply}.
 */
export async function requestJson<Schema extends z.ZodTypeAny>(
  request: PlatformRequest,
  schema: Schema,
  { accepted }: { accepted: boolean },
): Promise<z.infer<Schema>> {
  const reply = await sendPlatformRequest(request);
  return parseReply(reply, schema, {
    platformName: request.platformName,
    action: request.action,
    secrets: request.secrets,
    accepted,
  });
}

function describeFetchFailure(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') {
      return `no reply within ${REQUEST_TIMEOUT_MS / 1000} s`;
    }
    // undici reports the system error (ENOTFOUND, ECONNREFUSED, ...) as the cause.
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
    return `${error.message}${code}`;
  }
  return String(error);
}
