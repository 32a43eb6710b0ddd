import { z } from 'zod';

/** Whether a required variable or config key is there and looks right (never its value). */
export const envVarStateSchema = z.enum(['present', 'missing', 'invalid']);

/** One variable or config key a workflow needs. */
export const envVarCheckSchema = z.object({
  /** `TELEGRAM_BOT_TOKEN`, or a config key such as `workflows.qstash.token`. */
  name: z.string(),
  kind: z.enum(['env', 'config']),
  state: envVarStateSchema,
  /** Why it is invalid, in words that hold no part of the value: "not a URL". */
  problem: z.string().nullable(),
  /** What to do, in words: "set TELEGRAM_BOT_TOKEN". Null when present. */
  fix: z.string().nullable(),
  /**
   * For a variable a config key can supply too (`QSTASH_TOKEN` and
   * `workflows.qstash.token`): which of the two holds the value, when one does.
   */
  suppliedBy: z
    .object({ kind: z.enum(['env', 'config']), name: z.string() })
    .optional(),
});

/** The verdict of a live probe. */
export const probeVerdictSchema = z.enum([
  'ok',
  'warning',
  'failing',
  'not-probed',
]);

/** One live check: the database, Redis, the QStash token, key drift, a platform... */
export const probeResultSchema = z.object({
  /** Stable id: `database`, `redis`, `qstash-token`, `signing-keys`, `lta-source`, `telegram`, ... */
  id: z.string(),
  /** "Telegram credentials (getMe)". */
  title: z.string(),
  verdict: probeVerdictSchema,
  /** What was found, secret-free: "bot @sgcarstrends_bot", "one rotation behind". */
  message: z.string(),
  /** What to do when not ok, in words; null when ok. */
  fix: z.string().nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  checkedAt: z.string(),
  /** True when this result came from the 60 s cache. */
  cached: z.boolean(),
});

/** Everything the health page shows for one workflow. */
export const workflowHealthSchema = z.object({
  workflowId: z.string(),
  workflowTitle: z.string(),
  /** The worst of the variables and probes. */
  verdict: probeVerdictSchema,
  variables: z.array(envVarCheckSchema),
  probes: z.array(probeResultSchema),
});

export const envHealthResponseSchema = z.object({
  items: z.array(workflowHealthSchema),
});

export const healthCheckQuerySchema = z.object({
  /** `true` bypasses the 60 s cache; needs `workflows.run.trigger`. */
  recheck: z
    .enum(['true', 'false'])
    .transform(value => value === 'true')
    .optional(),
});

/** Body of `POST /workflows/:id/health/check` (the re-check that bypasses the cache). */
export const healthCheckRequestSchema = z
  .object({
    /** Probe the social platforms even when the workflow runs in dry run. */
    probePlatforms: z.boolean().optional(),
  })
  .strict();

export type EnvVarState = z.infer<typeof envVarStateSchema>;
export type EnvVarCheck = z.infer<typeof envVarCheckSchema>;
export type ProbeVerdict = z.infer<typeof probeVerdictSchema>;
export type ProbeResult = z.infer<typeof probeResultSchema>;
export type WorkflowHealth = z.infer<typeof workflowHealthSchema>;
export type EnvHealthResponse = z.infer<typeof envHealthResponseSchema>;
export type HealthCheckQuery = z.infer<typeof healthCheckQuerySchema>;
export type HealthCheckRequest = z.infer<typeof healthCheckRequestSchema>;
