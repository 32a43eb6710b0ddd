import { z } from 'zod';

/**
 * Where a run stands. QStash's RUN_STARTED / RUN_SUCCESS / RUN_FAILED /
 * RUN_CANCELED map to the first four; `running` also covers a run whose
 * failing step is still being retried.
 */
export const runStatusSchema = z.enum([
  'running',
  'succeeded',
  'failed',
  'cancelled',
]);

/** One run of a workflow: hosted here (journal) or seen on QStash (sync), merged. */
export const workflowRunSchema = z.object({
  runId: z.string(),
  workflowId: z.string(),
  status: runStatusSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Wall time from start to finish (or to now while running is not stored). */
  durationMs: z.number().nonnegative().nullable(),
  /** The step that failed (or is failing), when known. */
  failedStep: z.string().nullable(),
  error: z.string().nullable(),
  /** The QStash label given at trigger time, if any. */
  label: z.string().nullable(),
  /** The dead letter queue entry of a failed run, while it is in the DLQ. */
  dlqId: z.string().nullable(),
  /** How many steps the run has recorded so far. */
  stepCount: z.number().int().nonnegative(),
  updatedAt: z.string(),
});

/**
 * The state of one step. `retrying`: it failed and QStash will call again;
 * `pending`: QStash has it queued and no attempt has started.
 */
export const stepStateSchema = z.enum([
  'pending',
  'running',
  'retrying',
  'succeeded',
  'failed',
  'cancelled',
]);

/** One execution attempt of a step, from the runner journal. */
export const stepAttemptSchema = z.object({
  attempt: z.number().int().nonnegative(),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  /** What this attempt returned (a replayed step may return another result). */
  output: z.string().nullable(),
  error: z.string().nullable(),
});

/** One step of a run, QStash's log and the journal merged. */
export const runStepSchema = z.object({
  /** Position in the run, from 1 (QStash's stepId; the initial call is 0). */
  position: z.number().int().nonnegative(),
  name: z.string(),
  /** Run, SleepFor, SleepUntil, Call, Wait, Notify, Invoke, Initial... */
  type: z.string(),
  /** sequential, parallel (steps of one Promise.all share a groupIndex), or next (the frontier). */
  group: z.enum(['sequential', 'parallel', 'next']),
  groupIndex: z.number().int().nonnegative(),
  state: stepStateSchema,
  /** Executions so far (attempts of the step). */
  attempts: z.number().int().nonnegative(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  /** The step's result as text (JSON as returned), possibly shortened. */
  output: z.string().nullable(),
  error: z.string().nullable(),
  attemptLog: z.array(stepAttemptSchema),
});

export const listRunsQuerySchema = z.object({
  workflow: z.string().min(1).optional(),
  state: runStatusSchema.optional(),
  /** Runs having a step with this name (exact). */
  step: z.string().min(1).optional(),
  /** Runs whose error contains this text (case-insensitive). */
  error: z.string().min(1).max(200).optional(),
  label: z.string().min(1).optional(),
  /** ISO timestamps bounding the start time: from inclusive, to exclusive. */
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const listRunsResponseSchema = z.object({
  items: z.array(workflowRunSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export const getRunResponseSchema = z.object({
  run: workflowRunSchema,
  steps: z.array(runStepSchema),
});

const headerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]+$/, 'a header name is letters, digits and dashes');

export const triggerRunRequestSchema = z.object({
  /** The workflow's initial payload, any JSON value. */
  body: z.unknown().optional(),
  /** Extra request headers forwarded to the workflow. */
  headers: z.record(headerNameSchema, z.string()).optional(),
  /** QStash label, to find the run again ([A-Za-z0-9._-]). */
  label: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'a label is letters, digits, ".", "_", "-"')
    .max(128)
    .optional(),
});

export const triggerRunResponseSchema = z.object({
  runId: z.string(),
  workflowId: z.string(),
});

export const cancelRunResponseSchema = z.object({
  run: workflowRunSchema,
});

/** What the run stream sends: the whole run again whenever it changed. */
export const runStreamEventSchema = getRunResponseSchema;

export type RunStatus = z.infer<typeof runStatusSchema>;
export type StepState = z.infer<typeof stepStateSchema>;
export type WorkflowRun = z.infer<typeof workflowRunSchema>;
export type StepAttempt = z.infer<typeof stepAttemptSchema>;
export type RunStep = z.infer<typeof runStepSchema>;
export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;
export type ListRunsResponse = z.infer<typeof listRunsResponseSchema>;
export type GetRunResponse = z.infer<typeof getRunResponseSchema>;
export type TriggerRunRequest = z.infer<typeof triggerRunRequestSchema>;
export type TriggerRunResponse = z.infer<typeof triggerRunResponseSchema>;
export type CancelRunResponse = z.infer<typeof cancelRunResponseSchema>;
