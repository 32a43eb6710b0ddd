import { isError } from '@backstage/errors';
import type { z } from 'zod';
import type { FetchFn } from '../SocialPlatform';
import { redactSecrets } from '@internal/plugin-workflows-node';
import { SocialPlatformError } from './SocialPlatformError';

/**
 * A hung platform must not stall the step. Its outcome is then unknown: the
 * post is marked uncertain rather than retried (see publishOnce).
 */
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
  /**
   * Whether this request is the one that creates the post. Only then can a
   * failure after sending (or an unreadable 2xx) mean a post may exist; a
   * failed token refresh or lookup never posted anything.
   */
  createsPost: boolean;
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
    const failure = classifyFetchFailure(error);
    throw new SocialPlatformError(
      `${platformName}: could not ${action}: ${redactSecrets(
        failure.description,
        secrets,
      )}${
        request.createsPost && failure.mayHaveBeenSent
          ? ` (the request may have reached ${platformName})`
          : ''
      }`,
      {
        platform: platformName,
        mayHavePosted: request.createsPost && failure.mayHaveBeenSent,
      },
    );
  }

  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    body = `(reply could not be read: ${
      classifyFetchFailure(error).description
    })`;
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
 * Reads a 2xx JSON reply. When the request creates the post, a 2xx means it
 * has probably had its effect, which the error records so the post-once
 * ledger does not post again.
 */
export function parseReply<Schema extends z.ZodTypeAny>(
  reply: PlatformReply,
  schema: Schema,
  context: {
    platformName: string;
    action: string;
    secrets: ReadonlyArray<string | undefined>;
    createsPost: boolean;
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
        mayHavePosted: context.createsPost,
      },
    );
  }
  return parsed.data;
}

/** Sends the request and reads its 2xx JSON reply (see {@link parseReply}). */
export async function requestJson<Schema extends z.ZodTypeAny>(
  request: PlatformRequest,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const reply = await sendPlatformRequest(request);
  return parseReply(reply, schema, {
    platformName: request.platformName,
    action: request.action,
    secrets: request.secrets,
    createsPost: request.createsPost,
  });
}

/**
 * undici's codes for failures before any byte of the request left this
 * machine: the name did not resolve, nothing listened, the connection or the
 * TLS handshake never completed. Everything else (UND_ERR_SOCKET "other side
 * closed", ECONNRESET, UND_ERR_HEADERS_TIMEOUT, UND_ERR_BODY_TIMEOUT, EPIPE, a
 * TimeoutError or AbortError from the signal, anything unknown) may come
 * after the platform received the request, and is treated as possibly sent.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_INVALID_URL',
]);

interface FetchFailure {
  /** Safe to show once the secrets are redacted. */
  description: string;
  /** False only when the request certainly never reached the platform. */
  mayHaveBeenSent: boolean;
}

/** The system error codes of a fetch failure (several when all addresses of a name failed). */
function failureCodes(error: unknown): string[] {
  const cause = (error as { cause?: unknown }).cause as
    | { code?: unknown; errors?: unknown }
    | undefined;
  if (!cause) {
    return [];
  }
  if (typeof cause.code === 'string') {
    return [cause.code];
  }
  if (Array.isArray(cause.errors)) {
    return cause.errors
      .map(inner => (inner as { code?: unknown }).code)
      .filter((code): code is string => typeof code === 'string');
  }
  return [];
}

/** Says what went wrong and whether the request may have been received. */
function classifyFetchFailure(error: unknown): FetchFailure {
  // Duck-typed: fetch's errors may come from another realm than this code's Error.
  if (!isError(error)) {
    return { description: String(error), mayHaveBeenSent: true };
  }
  if (error.name === 'TimeoutError') {
    return {
      description: 'no reply before the request timed out',
      mayHaveBeenSent: true,
    };
  }
  const codes = failureCodes(error);
  const suffix = codes.length > 0 ? ` (${[...new Set(codes)].join(', ')})` : '';
  return {
    description: `${error.message}${suffix}`,
    mayHaveBeenSent:
      codes.length === 0 || !codes.every(code => NOT_SENT_CODES.has(code)),
  };
}
