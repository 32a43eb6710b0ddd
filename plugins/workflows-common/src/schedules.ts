import { z } from 'zod';

const isoTime = z.string().datetime({ offset: true });

const SCHEDULE_ID = /^[A-Za-z0-9._-]+$/;

export const scheduleIdSchema = z
  .string()
  .regex(SCHEDULE_ID, 'a schedule id is letters, digits, ".", "_" or "-"')
  .max(128);

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function httpUrl() {
  return z.string().max(2048).refine(isHttpUrl, 'must be an http(s) URL');
}

/** Headers the destination receives; QStash's own settings are fields here. */
const forwardedHeaderNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]+$/, 'a header name is letters, digits and dashes')
  .refine(
    name => !name.toLowerCase().startsWith('upstash-'),
    'Upstash-* headers configure QStash; use the schedule fields instead',
  );

/** The parts of a schedule an operator edits. */
export const scheduleFieldSchema = z.enum([
  'destination',
  'method',
  'cron',
  'timezone',
  'body',
  'headers',
  'retries',
  'timeoutSeconds',
  'callback',
  'failureCallback',
]);

export const scheduleMethodSchema = z.enum([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
]);

/** One time a schedule fires: the instant, and the wall time in its zone. */
export const scheduleFireTimeSchema = z.object({
  at: isoTime,
  /** In the schedule's zone with its offset then: 2026-03-09T09:00:00-04:00. */
  local: z.string(),
});

/**
 * A schedule's definition as the portal shows it. Header values stay on the
 * server (they often carry credentials): only their names are shown.
 */
export const scheduleDefinitionViewSchema = z.object({
  destination: z.string(),
  method: z.string(),
  /** Five fields, without the CRON_TZ prefix. */
  cron: z.string(),
  /** IANA zone the fields are read in. */
  timezone: z.string(),
  body: z.string().nullable(),
  headerNames: z.array(z.string()),
  /** Null: QStash's default. */
  retries: z.number().int().nullable(),
  /** Null: the plan's default. */
  timeoutSeconds: z.number().int().nullable(),
  callback: z.string().nullable(),
  failureCallback: z.string().nullable(),
});

/** A QStash schedule, joined to its workflow when the destination is one. */
export const scheduleViewSchema = scheduleDefinitionViewSchema.extend({
  scheduleId: z.string(),
  /** Null when the destination is no workflow the portal knows. */
  workflowId: z.string().nullable(),
  workflowTitle: z.string().nullable(),
  /** The cron as QStash holds it, with the CRON_TZ prefix when not UTC. */
  qstashCron: z.string(),
  /** The cron in words, null when it cannot be read. */
  description: z.string().nullable(),
  /** The next five fire times; empty while paused or when the cron cannot be read. */
  nextFireTimes: z.array(scheduleFireTimeSchema),
  /** When QStash itself plans the next tick. */
  qstashNextFireTime: isoTime.nullable(),
  isPaused: z.boolean(),
  lastFireTime: isoTime.nullable(),
  /** SUCCESS, FAIL or IN_PROGRESS (an open string: QStash may add states). */
  lastFireState: z.string().nullable(),
  createdAt: isoTime.nullable(),
  /**
   * Fields whose value the portal cannot know: QStash does not return them
   * (timeout) or returns them redacted, and the portal did not write the
   * schedule as it stands.
   */
  unknownFields: z.array(scheduleFieldSchema),
  /**
   * `portal`: the fields QStash does not return come from what the portal
   * last wrote. `qstash`: the schedule was created or changed elsewhere.
   */
  definitionSource: z.enum(['portal', 'qstash']),
  /** Changes whenever the definition changes; send it back when saving. */
  version: z.string(),
});

export const listSchedulesResponseSchema = z.object({
  items: z.array(scheduleViewSchema),
  totalCount: z.number().int().nonnegative(),
});

/** The editable fields; absent ones take defaults (create) or stay (update). */
const definitionFields = {
  destination: httpUrl(),
  method: scheduleMethodSchema,
  /** Five fields; a `CRON_TZ=<zone> ` prefix is read as the time zone. */
  cron: z.string().min(1, 'a cron expression is needed').max(200),
  /** IANA zone, default UTC. */
  timezone: z.string().min(1).max(64),
  /** Sent as the message body on every tick; null for none. */
  body: z.string().max(1_000_000).nullable(),
  /** The whole set of headers the destination receives (replaces the current set). */
  headers: z.record(forwardedHeaderNameSchema, z.string().max(4096)),
  /** Plans cap retries lower; QStash then refuses the value. */
  retries: z.number().int().min(0).max(20),
  /** 1 s to 2 h; null for the plan's default. */
  timeoutSeconds: z.number().int().min(1).max(7200).nullable(),
  callback: httpUrl().nullable(),
  failureCallback: httpUrl().nullable(),
};

export const scheduleDefinitionPatchSchema = z
  .object(definitionFields)
  .partial()
  .strict();

export const createScheduleRequestSchema = scheduleDefinitionPatchSchema
  .extend({
    /** Generated when absent. */
    scheduleId: scheduleIdSchema.optional(),
    destination: definitionFields.destination,
    cron: definitionFields.cron,
  })
  .strict();

export const updateScheduleRequestSchema = scheduleDefinitionPatchSchema
  .extend({
    /** The `version` the editor loaded: a schedule changed since answers 409. */
    expectedVersion: z.string().min(1, 'send the version the editor loaded'),
  })
  .strict();

export const schedulePreviewRequestSchema = z
  .object({
    /** The schedule the proposal would replace; absent for a new one. */
    scheduleId: scheduleIdSchema.optional(),
    definition: scheduleDefinitionPatchSchema,
    /** Fire times after this instant (default: now). */
    from: isoTime.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (!value.scheduleId && value.definition.cron === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['definition', 'cron'],
        message: 'a cron expression is needed for a new schedule',
      });
    }
  });

/** One field a save would change, as text to show. */
export const scheduleChangeSchema = z.object({
  field: scheduleFieldSchema,
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** The current value is unknown to the portal (see `unknownFields`). */
  beforeUnknown: z.boolean(),
});

export const schedulePreviewResponseSchema = z.object({
  cron: z.string(),
  timezone: z.string(),
  qstashCron: z.string(),
  description: z.string().nullable(),
  nextFireTimes: z.array(scheduleFireTimeSchema),
  /** Against the current schedule; every set field for a new one. */
  changes: z.array(scheduleChangeSchema),
  /** Unknown fields the proposal leaves unset: saving sends QStash's default. */
  unknownFields: z.array(scheduleFieldSchema),
  currentVersion: z.string().nullable(),
});

export const scheduleSaveResponseSchema = z.object({
  schedule: scheduleViewSchema,
  /** Fields that were unknown and not given: QStash now uses its default. */
  unknownFields: z.array(scheduleFieldSchema),
});

export const scheduleResponseSchema = z.object({
  schedule: scheduleViewSchema,
});

/** The 409 a save gets when the schedule changed since the editor loaded it. */
export const scheduleConflictResponseSchema = z.object({
  error: z.object({ name: z.literal('ConflictError'), message: z.string() }),
  request: z.object({ method: z.string(), url: z.string() }),
  response: z.object({ statusCode: z.literal(409) }),
  /** The schedule as QStash holds it now. */
  current: scheduleViewSchema,
  /** What the save would have written. */
  proposed: scheduleDefinitionViewSchema,
  /** From `current` to `proposed`. */
  changes: z.array(scheduleChangeSchema),
});

export type ScheduleField = z.infer<typeof scheduleFieldSchema>;
export type ScheduleMethod = z.infer<typeof scheduleMethodSchema>;
export type ScheduleFireTime = z.infer<typeof scheduleFireTimeSchema>;
export type ScheduleDefinitionView = z.infer<
  typeof scheduleDefinitionViewSchema
>;
export type ScheduleView = z.infer<typeof scheduleViewSchema>;
export type ListSchedulesResponse = z.infer<typeof listSchedulesResponseSchema>;
export type ScheduleDefinitionPatch = z.infer<
  typeof scheduleDefinitionPatchSchema
>;
export type CreateScheduleRequest = z.infer<typeof createScheduleRequestSchema>;
export type UpdateScheduleRequest = z.infer<typeof updateScheduleRequestSchema>;
export type SchedulePreviewRequest = z.infer<
  typeof schedulePreviewRequestSchema
>;
export type ScheduleChange = z.infer<typeof scheduleChangeSchema>;
export type SchedulePreviewResponse = z.infer<
  typeof schedulePreviewResponseSchema
>;
export type ScheduleSaveResponse = z.infer<typeof scheduleSaveResponseSchema>;
export type ScheduleResponse = z.infer<typeof scheduleResponseSchema>;
export type ScheduleConflictResponse = z.infer<
  typeof scheduleConflictResponseSchema
>;
