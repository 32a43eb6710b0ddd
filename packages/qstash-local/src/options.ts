import { z } from 'zod';

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  dataFile: z.string().min(1).optional(),
  token: z.string().min(1).optional(),
  currentSigningKey: z.string().min(1).optional(),
  nextSigningKey: z.string().min(1).optional(),
  retryTimeScale: z.number().positive().finite().default(1),
  now: z
    .custom<() => number>(
      value => typeof value === 'function',
      'must be a function',
    )
    .optional(),
  maxConcurrentDeliveries: z.number().int().positive().default(64),
  deliveryTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
  onError: z
    .custom<(error: unknown) => void>(
      value => typeof value === 'function',
      'must be a function',
    )
    .optional(),
});

/** Options of `startQStashLocal`. */
export interface QStashLocalOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** SQLite file that keeps state across restarts; in memory when absent. */
  dataFile?: string;
  /** API token; when absent one is generated once and kept in the data file. */
  token?: string;
  /** Signing keys; when absent they are generated once and kept in the data file. */
  currentSigningKey?: string;
  nextSigningKey?: string;
  /** Multiplier on retry delays: 1 is QStash's real backoff, 0.001 makes seconds milliseconds. */
  retryTimeScale?: number;
  /** Clock in Unix ms for schedules, delays and timestamps; tests pass a controllable one. */
  now?: () => number;
  /** Deliveries in flight at once. */
  maxConcurrentDeliveries?: number;
  /** Timeout of a delivery without `Upstash-Timeout`. */
  deliveryTimeoutMs?: number;
  /** Receives unexpected internal errors; default writes them to stderr. */
  onError?: (error: unknown) => void;
}

export type ResolvedOptions = z.infer<typeof optionsSchema>;

export function resolveOptions(options: QStashLocalOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(
      `invalid option ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return parsed.data;
}
