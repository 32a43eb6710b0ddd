import { randomFillSync } from 'node:crypto';

// Base58 avoids characters that are easy to confuse when ids are copied by hand.
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
// Largest multiple of the alphabet size below 256: bytes above it are dropped so
// every character is equally likely.
const UNBIASED_LIMIT = Math.floor(256 / ALPHABET.length) * ALPHABET.length;

// Random bytes are drawn in blocks, as crypto.randomUUID does: one call into
// the CSPRNG per id was a visible share of the server's time under load.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++];
}

export function randomToken(length: number): string {
  let result = '';
  while (result.length < length) {
    const byte = randomByte();
    if (byte < UNBIASED_LIMIT) result += ALPHABET[byte % ALPHABET.length];
  }
  return result;
}

export const newMessageId = () => `msg_${randomToken(40)}`;
export const newScheduleId = () => `scd_${randomToken(24)}`;
export const newDlqId = () => `dlq_${randomToken(32)}`;
export const newWorkflowRunId = () => `wfr_${randomToken(21)}`;
export const newSigningKey = () => `sig_${randomToken(28)}`;
export const newToken = () => `qlt_${randomToken(40)}`;

/** Ids, queue names and labels share one alphabet in the QStash API. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9._-]+$/;

export function isIdentifier(value: string): boolean {
  return IDENTIFIER_PATTERN.test(value);
}
