import { z } from 'zod';

/** Where a workflow comes from: hosted by this backend, or tracked by URL only. */
export const workflowSourceSchema = z.enum(['runner', 'config']);

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

export const listWorkflowsResponseSchema = z.object({
  items: z.array(workflowSummarySchema),
  totalCount: z.number().int().nonnegative(),
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
export type ListWorkflowsResponse = z.infer<typeof listWorkflowsResponseSchema>;
export type HealthResponse = z.infer<typeof healthResponseSchema>;

export const runStatusSchema = z.enum(['running', 'succeeded', 'failed']);

/** One run of a hosted runner, as the backend's journal knows it. */
export const workflowRunSchema = z.object({
  runId: z.string(),
  workflowId: z.string(),
  status: runStatusSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  failedStep: z.string().nullable(),
  error: z.string().nullable(),
});

/** One execution attempt of one step. */
export const stepEventSchema = z.object({
  id: z.number().int(),
  runId: z.string(),
  workflowId: z.string(),
  stepName: z.string(),
  status: runStatusSchema,
  attempt: z.number().int().nonnegative(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  outputSummary: z.string().nullable(),
  errorMessage: z.string().nullable(),
});

export const listRunsResponseSchema = z.object({
  items: z.array(workflowRunSchema),
});

export const getRunResponseSchema = z.object({
  run: workflowRunSchema,
  steps: z.array(stepEventSchema),
});

export type RunStatus = z.infer<typeof runStatusSchema>;
export type WorkflowRun = z.infer<typeof workflowRunSchema>;
export type StepEvent = z.infer<typeof stepEventSchema>;
export type ListRunsResponse = z.infer<typeof listRunsResponseSchema>;
export type GetRunResponse = z.infer<typeof getRunResponseSchema>;
