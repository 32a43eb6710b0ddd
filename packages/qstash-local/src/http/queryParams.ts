import { z } from 'zod';
import { badRequest } from '../errors';
import { IDENTIFIER_PATTERN } from '../ids';

type RawQuery = Record<string, string | string[] | undefined>;

/** All values of a parameter, repeated (`a=1&a=2`) or comma-separated (`a=1,2`). */
function listOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value])
    .flatMap(item => String(item).split(','))
    .map(item => item.trim())
    .filter(item => item.length > 0);
  return values.length ? values : undefined;
}

function firstOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  const text = String(first).trim();
  return text.length ? text : undefined;
}

export const query = {
  /** Free text values (URLs, hosts, paths). */
  texts: () => z.preprocess(listOf, z.array(z.string()).optional()),
  /** Ids and labels: `[A-Za-z0-9._-]+`. */
  ids: () =>
    z.preprocess(
      listOf,
      z
        .array(
          z.string().regex(IDENTIFIER_PATTERN, 'must match [A-Za-z0-9._-]+'),
        )
        .optional(),
    ),
  id: () =>
    z.preprocess(
      firstOf,
      z
        .string()
        .regex(IDENTIFIER_PATTERN, 'must match [A-Za-z0-9._-]+')
        .optional(),
    ),
  text: () => z.preprocess(firstOf, z.string().optional()),
  integers: () =>
    z.preprocess(
      listOf,
      z
        .array(z.string().regex(/^\d+$/, 'must be integers').transform(Number))
        .optional(),
    ),
  /** Unix milliseconds. */
  time: () =>
    z.preprocess(
      firstOf,
      z
        .string()
        .regex(/^\d+$/, 'must be Unix milliseconds')
        .transform(Number)
        .optional(),
    ),
  count: (max: number) =>
    z.preprocess(
      firstOf,
      z
        .string()
        .regex(/^\d+$/, `must be an integer between 1 and ${max}`)
        .transform(Number)
        .refine(
          n => n >= 1 && n <= max,
          `must be an integer between 1 and ${max}`,
        )
        .optional(),
    ),
  cursor: () =>
    z.preprocess(
      firstOf,
      z
        .string()
        .regex(/^\d+$/, 'is not a cursor this server issued')
        .transform(Number)
        .optional(),
    ),
  oneOf: <T extends [string, ...string[]]>(values: T) =>
    z.preprocess(firstOf, z.enum(values).optional()),
};

/** Validates a query string; a 400 names the first bad parameter. */
export function parseQuery<T extends z.ZodRawShape>(
  raw: unknown,
  shape: T,
): z.infer<z.ZodObject<T>> {
  const parsed = z.object(shape).safeParse(raw as RawQuery);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(
      `invalid query parameter ${String(issue.path[0])}: ${issue.message}`,
    );
  }
  return parsed.data;
}
