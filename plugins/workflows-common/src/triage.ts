import { z } from 'zod';
import { runStatusSchema } from './runs';

/**
 * What probably made a run fail, recognised from its error text. `unknown`
 * when nothing matched: the group still forms, by signature.
 */
export const failureCauseKindSchema = z.enum([
  'missing-env',
  'invalid-env',
  'signature',
  'upstream-4xx',
  'upstream-5xx',
  'timeout',
  'invalid-data',
  'non-retryable',
  'unknown',
]);

/** Where the operator goes to fix a cause. */
export const failureFixTargetSchema = z.enum([
  /** The environment variables of the workflow. */
  'env-health',
  /** The run: its steps, errors and retries. */
  'run',
  /** The upstream URL that answered badly (outside the portal). */
  'source-url',
]);

export const failureCauseSchema = z.object({
  kind: failureCauseKindSchema,
  /** One line for the operator: "LTA DataMall answered HTTP 404". */
  summary: z.string(),
  /** The upstream HTTP status, for upstream causes. */
  status: z.number().int().nullable(),
  /** The environment variable named by the error. */
  envVar: z.string().nullable(),
  /** File and line of a parse error. */
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  /** The upstream URL the error names, without its query string. */
  url: z.string().nullable(),
  /** Seconds the upstream asked to wait (429 retry_after / Retry-After). */
  retryAfterSeconds: z.number().nonnegative().nullable(),
  fix: failureFixTargetSchema,
});

/** Which dead letter queue an entry is in. */
export const dlqSourceSchema = z.enum(['workflow', 'message']);

/**
 * Where a dead letter entry stands: still in the DLQ, or how it left it.
 * `gone`: QStash no longer lists it (expired, or handled outside the portal).
 */
export const dlqEntryStateSchema = z.enum([
  'in-dlq',
  'resumed',
  'restarted',
  'retried',
  'deleted',
  'gone',
]);

const isoTime = z.string().datetime({ offset: true });

export const triageQuerySchema = z.object({
  /** ISO timestamps: from inclusive, to exclusive. Default: the last 24 hours. */
  from: isoTime.optional(),
  to: isoTime.optional(),
  workflow: z.string().min(1).optional(),
});

/** Failures of one workflow at one step with one error signature. */
export const triageGroupSchema = z.object({
  /** Stable across windows and days: workflow, step and signature hashed. */
  groupId: z.string(),
  workflowId: z.string(),
  workflowTitle: z.string(),
  /** The failing step, null when the failure came before any step. */
  step: z.string().nullable(),
  /** The error with volatile parts (numbers, ids, URLs, times, quoted values) masked. */
  signature: z.string(),
  /** The newest error text of the group, as it was. */
  latestError: z.string(),
  cause: failureCauseSchema,
  /** Failed runs plus dead letter entries that have no run here, in the window. */
  count: z.number().int().nonnegative(),
  /** Of those, how many are still in a dead letter queue. */
  inDlqCount: z.number().int().nonnegative(),
  /** The same group in the window of equal length before this one. */
  previousCount: z.number().int().nonnegative(),
  trend: z.enum(['new', 'rising', 'steady', 'falling']),
  firstSeen: isoTime,
  lastSeen: isoTime,
  /** Failures per bucket of `bucketMs`, oldest first: the sparkline. */
  series: z.array(z.number().int().nonnegative()),
  /** The newest runs of the group (at most 5). */
  exampleRunIds: z.array(z.string()),
  /** The newest entries of the group still in a dead letter queue (at most 50; `inDlqCount` counts them all, the group's failures list shows each). */
  dlqIds: z.array(z.string()),
});

export const triageResponseSchema = z.object({
  from: isoTime,
  to: isoTime,
  bucketMs: z.number().int().positive(),
  groups: z.array(triageGroupSchema),
  /** When the run and DLQ sync last finished, null before the first pass. */
  lastSyncedAt: isoTime.nullable(),
});

/** One failure of a group: a failed run, a dead letter entry, or both. */
export const triageFailureSchema = z.object({
  runId: z.string().nullable(),
  /** The run's state now (a resumed run stays failed; its new run is `resolvedRunId`). */
  runStatus: runStatusSchema.nullable(),
  occurredAt: isoTime,
  step: z.string().nullable(),
  error: z.string(),
  dlq: z
    .object({
      dlqId: z.string(),
      source: dlqSourceSchema,
      state: dlqEntryStateSchema,
      /** The run a resume or restart started. */
      resolvedRunId: z.string().nullable(),
      resolvedRunStatus: runStatusSchema.nullable(),
    })
    .nullable(),
});

export const triageGroupFailuresResponseSchema = z.object({
  groupId: z.string(),
  items: z.array(triageFailureSchema),
  /** All failures of the group in the window; `items` holds the newest 100. */
  totalCount: z.number().int().nonnegative(),
});

export const dlqActionSchema = z.enum([
  /** Workflow DLQ: continue from the failed step, keeping finished steps. */
  'resume',
  /** Workflow DLQ: run again from the first step. */
  'restart',
  /** Workflow DLQ: call the failure function again. */
  'retry-failure-function',
  /** Message DLQ: deliver the message again. */
  'redeliver',
  /** Either DLQ: drop the entry. */
  'delete',
]);

/** Resume and restart only: overrides the retries of the new run's steps. */
export const dlqRetriesSchema = z.number().int().min(0).max(10);

/** Entries of one group still in a dead letter queue, a page at a time. */
export const dlqGroupSelectionSchema = z.object({
  groupId: z.string().min(1),
  /** The window the operator looked at: from inclusive, to exclusive. */
  from: isoTime,
  to: isoTime,
  /** `nextCursor` of the previous page; absent for the first page. */
  after: z.string().min(1).optional(),
});

export const dlqActionRequestSchema = z
  .object({
    action: dlqActionSchema,
    /** An explicit selection. */
    dlqIds: z
      .array(z.string().regex(/^[A-Za-z0-9._-]+$/, 'a DLQ id'))
      .min(1, 'select at least one dead letter entry')
      .max(1000)
      .optional(),
    /** Or every entry of a group in the DLQ, however many the page lists. */
    group: dlqGroupSelectionSchema.optional(),
    retries: dlqRetriesSchema.optional(),
  })
  .superRefine((request, ctx) => {
    if (!request.dlqIds && !request.group) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['dlqIds'],
        message:
          'select at least one dead letter entry (dlqIds) or a whole group (group)',
      });
    }
    if (request.dlqIds && request.group) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['group'],
        message: 'give either dlqIds or group, not both',
      });
    }
  });

export const dlqActionOutcomeSchema = z.object({
  dlqId: z.string(),
  ok: z.boolean(),
  /** The run a resume or restart started. */
  workflowRunId: z.string().nullable(),
  /** Why this entry was not handled. */
  error: z.string().nullable(),
});

export const dlqActionResponseSchema = z.object({
  action: dlqActionSchema,
  outcomes: z.array(dlqActionOutcomeSchema),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Group selections: the cursor of the next page, null after the last. */
  nextCursor: z.string().nullable().optional(),
  /** Group selections: the group's entries in the DLQ from this page on, counted before acting. */
  groupPending: z.number().int().nonnegative().optional(),
});

export type FailureCauseKind = z.infer<typeof failureCauseKindSchema>;
export type FailureCause = z.infer<typeof failureCauseSchema>;
export type DlqSource = z.infer<typeof dlqSourceSchema>;
export type DlqEntryState = z.infer<typeof dlqEntryStateSchema>;
export type TriageQuery = z.infer<typeof triageQuerySchema>;
export type TriageGroup = z.infer<typeof triageGroupSchema>;
export type TriageResponse = z.infer<typeof triageResponseSchema>;
export type TriageFailure = z.infer<typeof triageFailureSchema>;
export type TriageGroupFailuresResponse = z.infer<
  typeof triageGroupFailuresResponseSchema
>;
export type DlqAction = z.infer<typeof dlqActionSchema>;
export type DlqActionRequest = z.infer<typeof dlqActionRequestSchema>;
export type DlqGroupSelection = z.infer<typeof dlqGroupSelectionSchema>;
export type DlqActionOutcome = z.infer<typeof dlqActionOutcomeSchema>;
export type DlqActionResponse = z.infer<typeof dlqActionResponseSchema>;
