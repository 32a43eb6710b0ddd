import { SignJWT } from 'jose';
import { createHash, randomUUID } from 'node:crypto';

export interface SignOptions {
  /** Signing key; the test's QStash current key unless told. */
  key: string;
  expiresInSeconds?: number;
  /** Leave out the jti or exp claim, as a forger might. */
  without?: 'jti' | 'exp';
}

/**
 * An `Upstash-Signature` JWT for `body` delivered to `url`, made the way
 * QStash makes it (HS256, iss, sub, iat, nbf, exp, a fresh jti, body hash).
 */
export async function signDelivery(
  body: string | Buffer,
  url: string,
  options: SignOptions,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    body: createHash('sha256').update(body).digest('base64url'),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(url)
    .setIssuedAt(now - 10)
    .setNotBefore(now - 10);
  if (options.without !== 'exp') {
    jwt.setExpirationTime(now + (options.expiresInSeconds ?? 300));
  }
  if (options.without !== 'jti') jwt.setJti(randomUUID());
  return jwt.sign(new TextEncoder().encode(options.key));
}
