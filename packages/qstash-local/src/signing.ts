import { KeyObject, createHash, createSecretKey } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { randomToken } from './ids';

const SIGNATURE_LIFETIME_SECONDS = 5 * 60;

// Importing the key is a noticeable part of signing; keys change only on rotation.
let cachedKey: { text: string; key: KeyObject } | undefined;

function hmacKey(signingKey: string): KeyObject {
  if (cachedKey?.text !== signingKey) {
    cachedKey = {
      text: signingKey,
      key: createSecretKey(Buffer.from(signingKey, 'utf8')),
    };
  }
  return cachedKey.key;
}

/**
 * Builds the `Upstash-Signature` JWT for one delivery. Timestamps use the wall
 * clock, not the server's test clock, because receivers check them against
 * their own real time.
 */
export async function signDelivery(
  signingKey: string,
  destinationUrl: string,
  body: Uint8Array,
): Promise<string> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const bodyHash = base64url.encode(createHash('sha256').update(body).digest());
  return new SignJWT({ body: bodyHash })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(destinationUrl)
    .setIssuedAt(nowSeconds)
    .setNotBefore(nowSeconds)
    .setExpirationTime(nowSeconds + SIGNATURE_LIFETIME_SECONDS)
    .setJti(`jwt_${randomToken(24)}`)
    .sign(hmacKey(signingKey));
}
