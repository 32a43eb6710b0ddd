import { z } from 'zod';
import { badRequest } from '../errors';

/**
 * A JSON array body checked against `schema`: `notJson` when it is no JSON,
 * else the first problem as a 400 naming the entry and field, e.g.
 * `invalid batch[2].destination: ...`.
 */
export function parseBatchBody<T extends z.ZodTypeAny>(
  body: Buffer,
  schema: T,
  notJson: string,
): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest(notJson);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length
      ? `batch[${issue.path[0]}]${issue.path
          .slice(1)
          .map(part => `.${String(part)}`)
          .join('')}`
      : 'batch';
    throw badRequest(`invalid ${where}: ${issue.message}`);
  }
  return parsed.data;
}
