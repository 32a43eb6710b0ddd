import { z } from 'zod';
import { badRequest } from '../errors';

/**
 * Parses a JSON request body with `schema`; a 400 names the first bad field
 * (`endpoints[0].url`) and what is wrong with it.
 */
export function parseJsonBody<T extends z.ZodTypeAny>(
  body: Buffer,
  schema: T,
  what: string,
): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest(`${what} must be a JSON object`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path
      .map((part, index) =>
        typeof part === 'number'
          ? `[${part}]`
          : `${index === 0 ? '' : '.'}${part}`,
      )
      .join('');
    throw badRequest(
      field
        ? `invalid ${field}: ${issue.message}`
        : `invalid ${what}: ${issue.message}`,
    );
  }
  return parsed.data;
}
