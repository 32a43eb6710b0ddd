import { createHash } from 'node:crypto';
import { Redaction } from '../config/messageConfig';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text of a body when it is valid UTF-8, otherwise undefined. */
export function utf8OrUndefined(body: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(body);
  } catch {
    return undefined;
  }
}

/** `{body}` for UTF-8 content, `{bodyBase64}` otherwise, as QStash reports bodies. */
export function bodyFields(
  body: Buffer,
  names: { text: string; base64: string } = {
    text: 'body',
    base64: 'bodyBase64',
  },
): Record<string, string> {
  if (body.length === 0) return {};
  const text = utf8OrUndefined(body);
  return text === undefined
    ? { [names.base64]: body.toString('base64') }
    : { [names.text]: text };
}

/** How QStash shows a redacted value: the hash instead of the content. */
export function redactedValue(value: Uint8Array | string): string {
  return `REDACTED:${createHash('sha256').update(value).digest('hex')}`;
}

export function redactHeaderRecord(
  headers: Record<string, string[]>,
  redaction: Redaction | undefined,
): Record<string, string[]> {
  if (!redaction) return headers;
  const result: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    const hidden =
      redaction.allHeaders || redaction.headers.includes(name.toLowerCase());
    result[name] = hidden ? values.map(redactedValue) : values;
  }
  return result;
}

export function redactBody(
  body: Buffer,
  redaction: Redaction | undefined,
): Buffer {
  return redaction?.body && body.length > 0
    ? Buffer.from(redactedValue(body))
    : body;
}
