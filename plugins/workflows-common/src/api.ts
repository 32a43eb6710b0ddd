import { z } from 'zod';
import { runStatusSchema } from './runs';

/**
 * Where a workflow comes from: hosted by this backend, tracked by URL in the
 * config, or registered through the API (by the "new workflow" template).
 */
export const workflowSourceSchema = z.enum(['runner', 'config', 'registered']);

export const workflowScheduleSchema = z.object({
  /** Five-field cron expression, without the CRON_TZ prefix. */
  cron: z.string(),
  /** IANA time zone the cron is read in. */
  timezone: z.string(),
});

export const workflowSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  owner: z.string(),
  source: workflowSourceSchema,
  /** The URL QStash calls; a workflow's identity on QStash. */
  endpoint: z.string(),
  schedule: workflowScheduleSchema.nullable(),
  /** Names of the environment variables the workflow needs (never values). */
  requiredEnv: z.array(z.string()),
  updatedAt: z.string(),
});

/** How a workflow has been doing, from the run history in the database. */
export const workflowStatsSchema = z.object({
  lastRun: z
    .object({
      runId: z.string(),
      status: runStatusSchema,
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
  /** Next fire time of its schedule (ISO), null without a schedule. */
  nextRunAt: z.string().nullable(),
  /** Finished runs of the last 7 days. */
  runs7d: z.number().int().nonnegative(),
  /** Succeeded / finished over the last 7 days, 0..1; null without finished runs. */
  successRate7d: z.number().min(0).max(1).nullable(),
  /** Median duration of the runs that finished in the last 7 days. */
  p50DurationMs7d: z.number().nonnegative().nullable(),
});

/** A workflow with its stats: what the catalog table and the workflow page show. */
export const workflowOverviewSchema = workflowSummarySchema.extend({
  stats: workflowStatsSchema,
});

export const listWorkflowsResponseSchema = z.object({
  items: z.array(workflowOverviewSchema),
  totalCount: z.number().int().nonnegative(),
});

const WORKFLOW_ID = /^[A-Za-z0-9._-]+$/;

/** A workflow id: the same rule as for `workflows.tracked`. */
export const workflowIdSchema = z
  .string()
  .regex(WORKFLOW_ID, 'may only contain A-Z a-z 0-9 . _ -')
  .max(128);

/** `PUT /workflows/:id/registration`: a workflow known by URL, kept across restarts. */
export const workflowRegistrationRequestSchema = z
  .object({
    title: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    /** An entity ref such as group:default/platform. */
    owner: z.string().min(1).max(200),
    /** The URL QStash calls. */
    url: z
      .string()
      .max(2048)
      .url()
      .refine(
        value => /^https?:$/.test(new URL(value).protocol),
        'must be an http(s) URL',
      ),
    schedule: z
      .object({
        cron: z.string().min(1).max(200),
        timezone: z.string().min(1).max(64).default('UTC'),
      })
      .nullable()
      .default(null),
    /** Names of the environment variables the workflow needs (never values). */
    requiredEnv: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an env var name'))
      .max(100)
      .default([]),
  })
  .strict();

export const workflowRegistrationResponseSchema = z.object({
  workflow: workflowSummarySchema,
  /** False when the same registration was stored already. */
  changed: z.boolean(),
});

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({
    ok: z.boolean(),
    client: z.string(),
    latencyMs: z.number().nonnegative(),
    error: z.string().optional(),
  }),
});

export type WorkflowSource = z.infer<typeof workflowSourceSchema>;
export type WorkflowSchedule = z.infer<typeof workflowScheduleSchema>;
export type WorkflowSummary = z.infer<typeof workflowSummarySchema>;
export type WorkflowStats = z.infer<typeof workflowStatsSchema>;
export type WorkflowOverview = z.infer<typeof workflowOverviewSchema>;
export type ListWorkflowsResponse = z.infer<typeof listWorkflowsResponseSchema>;
export type HealthResponse = z.infer<typeof healthResponseSchema>;
export type WorkflowRegistrationRequest = z.infer<
  typeof workflowRegistrationRequestSchema
>;
export type WorkflowRegistrationResponse = z.infer<
  typeof workflowRegistrationResponseSchema
>;
