import { Request } from 'express';
import { lowerCaseHeaders } from '../config/headerNames';
import { badRequest } from '../errors';
import { isIdentifier } from '../ids';

/** The raw request body; routes parse it themselves so signatures stay exact. */
export function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

export function requestHeaders(req: Request): Record<string, string> {
  return lowerCaseHeaders(req.headers);
}

export function callerIp(req: Request): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * The destination written after a route prefix, taken from the raw URL so
 * that `https://`, paths and query strings survive (`/v2/publish/https://x/y?z=1`).
 */
export function destinationAfter(req: Request, prefix: string): string {
  let rest = req.originalUrl.slice(prefix.length);
  const queryStart = rest.indexOf('?');
  if (queryStart >= 0) {
    const params = new URLSearchParams(rest.slice(queryStart + 1));
    if (params.has('qstash_token')) {
      params.delete('qstash_token');
      const query = params.toString();
      rest = rest.slice(0, queryStart) + (query ? `?${query}` : '');
    }
  }
  // Clients may also send the destination fully percent-encoded.
  if (/^https?%3A/i.test(rest)) {
    try {
      rest = decodeURIComponent(rest);
    } catch {
      throw badRequest(`invalid destination "${rest}": bad percent-encoding`);
    }
  }
  if (!rest) throw badRequest('missing destination after the path prefix');
  return rest;
}

/** A path id that must match `[A-Za-z0-9._-]+`. */
export function idParam(req: Request, name: string): string {
  const value = req.params[name];
  if (!value || !isIdentifier(value)) {
    throw badRequest(
      `invalid ${name} "${value ?? ''}": must match [A-Za-z0-9._-]+`,
    );
  }
  return value;
}
