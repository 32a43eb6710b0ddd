import {
  scheduleDefinitionPatchSchema,
  scheduleFieldSchema,
  scheduleIdSchema,
  type CreateScheduleRequest,
  type ScheduleDefinitionPatch,
  type ScheduleField,
  type ScheduleMethod,
  type ScheduleView,
} from '@internal/plugin-workflows-common';

export type HeaderRow = { name: string; value: string };

/** The editor's fields as typed: text until the patch is built. */
export type ScheduleFormValues = {
  /** Create only; empty lets the backend pick one. */
  scheduleId: string;
  destination: string;
  /** As QStash holds it; a new value is one of the API's methods. */
  method: string;
  cron: string;
  timezone: string;
  /** Empty: no body. */
  body: string;
  /**
   * Editing: false keeps the headers QStash holds, whose values the portal
   * never shows; true sends `headers` as the whole new set.
   */
  replaceHeaders: boolean;
  headers: HeaderRow[];
  /** Empty: QStash's default. */
  retries: string;
  /** Empty: the plan's default. */
  timeoutSeconds: string;
  callback: string;
  failureCallback: string;
};

export type FormField = ScheduleField | 'scheduleId';
export type FieldProblems = Partial<Record<FormField, string>>;

/** The schedule a patch is built against: none (create) or the loaded one. */
export type FormBase =
  | { kind: 'create' }
  | { kind: 'edit'; initial: ScheduleFormValues };

export const DEFAULT_TIMEZONE = 'UTC';

const RANGE_HINTS: Partial<Record<ScheduleField, string>> = {
  retries: 'A whole number from 0 to 20',
  timeoutSeconds: 'Whole seconds from 1 to 7200 (2 hours)',
};

export function newFormValues(
  prefill: { destination?: string; cron?: string; timezone?: string } = {},
): ScheduleFormValues {
  return {
    scheduleId: '',
    destination: prefill.destination ?? '',
    method: 'POST',
    cron: prefill.cron ?? '',
    timezone: prefill.timezone ?? DEFAULT_TIMEZONE,
    body: '',
    replaceHeaders: true,
    headers: [],
    retries: '',
    timeoutSeconds: '',
    callback: '',
    failureCallback: '',
  };
}

export function formValuesOf(schedule: ScheduleView): ScheduleFormValues {
  return {
    scheduleId: schedule.scheduleId,
    destination: schedule.destination,
    method: schedule.method,
    cron: schedule.cron,
    timezone: schedule.timezone,
    body: schedule.body ?? '',
    replaceHeaders: false,
    // Names only: values stay on the server and must be typed again to replace.
    headers: schedule.headerNames.map(name => ({ name, value: '' })),
    retries: schedule.retries === null ? '' : String(schedule.retries),
    timeoutSeconds:
      schedule.timeoutSeconds === null ? '' : String(schedule.timeoutSeconds),
    callback: schedule.callback ?? '',
    failureCallback: schedule.failureCallback ?? '',
  };
}

const orNull = (text: string) => (text === '' ? null : text);

type Parsed<T> = { value: T } | { problem: string };

function wholeNumber(text: string, field: ScheduleField): Parsed<number> {
  return /^\d+$/.test(text)
    ? { value: Number(text) }
    : { problem: RANGE_HINTS[field] ?? 'A whole number' };
}

function headersOf(rows: HeaderRow[]): Parsed<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (!name && !row.value) continue;
    if (!name) return { problem: 'Every header needs a name' };
    if (!row.value) {
      // Replacing sends the whole set: an empty value would wipe a secret.
      return {
        problem: `Enter the value of ${name}; current values are never shown, so each must be typed again`,
      };
    }
    headers[name] = row.value;
  }
  return { value: headers };
}

/**
 * The definition fields to send: every set field for a new schedule, only
 * the changed ones for an edit (absent fields stay as they are). Problems
 * the common schema finds are named by field; cron and zone are checked by
 * the server's preview.
 */
export function patchOf(
  values: ScheduleFormValues,
  base: FormBase,
): { patch: ScheduleDefinitionPatch; problems: FieldProblems } {
  const initial = base.kind === 'edit' ? base.initial : undefined;
  const patch: ScheduleDefinitionPatch = {};
  const problems: FieldProblems = {};
  for (const field of ['destination', 'cron', 'timezone'] as const) {
    const text = values[field].trim();
    if (!initial || text !== initial[field].trim()) patch[field] = text;
  }
  if (!initial && !patch.destination) {
    problems.destination = 'Enter the URL QStash calls';
  }
  if (!initial || values.method !== initial.method) {
    // The schema check below refuses anything else.
    patch.method = values.method as ScheduleMethod;
  }

  for (const field of ['callback', 'failureCallback'] as const) {
    const value = orNull(values[field].trim());
    if (initial ? value !== orNull(initial[field].trim()) : value !== null) {
      patch[field] = value;
    }
  }
  const body = orNull(values.body);
  if (initial ? body !== orNull(initial.body) : body !== null) {
    patch.body = body;
  }

  const retries = values.retries.trim();
  if (retries) {
    const parsed = wholeNumber(retries, 'retries');
    if ('problem' in parsed) problems.retries = parsed.problem;
    else if (!initial || retries !== initial.retries.trim()) {
      patch.retries = parsed.value;
    }
  } else if (initial?.retries.trim()) {
    // The API takes a number only: QStash's default cannot be asked for again.
    problems.retries = `${RANGE_HINTS.retries}; the default cannot be set back`;
  }

  const timeout = values.timeoutSeconds.trim();
  if (timeout) {
    const parsed = wholeNumber(timeout, 'timeoutSeconds');
    if ('problem' in parsed) problems.timeoutSeconds = parsed.problem;
    else if (!initial || timeout !== initial.timeoutSeconds.trim()) {
      patch.timeoutSeconds = parsed.value;
    }
  } else if (initial?.timeoutSeconds.trim()) {
    patch.timeoutSeconds = null;
  }

  if (values.replaceHeaders) {
    const parsed = headersOf(values.headers);
    if ('problem' in parsed) problems.headers = parsed.problem;
    else if (initial || Object.keys(parsed.value).length > 0) {
      patch.headers = parsed.value;
    }
  }

  const checked = scheduleDefinitionPatchSchema.safeParse(patch);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = scheduleFieldSchema.safeParse(issue.path[0]);
      if (!field.success || problems[field.data]) continue;
      problems[field.data] =
        RANGE_HINTS[field.data] ??
        (issue.path.length > 1
          ? `${issue.path.slice(1).join('.')}: ${issue.message}`
          : issue.message);
    }
  }

  if (!initial && values.scheduleId.trim()) {
    const id = scheduleIdSchema.safeParse(values.scheduleId.trim());
    if (!id.success) problems.scheduleId = id.error.issues[0]?.message;
  }
  return { patch, problems };
}

/** The body of `POST /schedules` for a new schedule's checked patch. */
export function createRequestOf(
  values: ScheduleFormValues,
  patch: ScheduleDefinitionPatch,
): CreateScheduleRequest {
  const scheduleId = values.scheduleId.trim();
  return {
    ...patch,
    destination: patch.destination ?? '',
    cron: patch.cron ?? '',
    ...(scheduleId ? { scheduleId } : {}),
  };
}

/**
 * The editor's values moved onto a newer version of the schedule: fields
 * the user changed keep the user's value, all others take the new one.
 */
export function rebaseFormValues(
  values: ScheduleFormValues,
  oldInitial: ScheduleFormValues,
  newInitial: ScheduleFormValues,
): ScheduleFormValues {
  const rebased = { ...newInitial };
  const keys = Object.keys(values) as (keyof ScheduleFormValues)[];
  for (const key of keys) {
    if (JSON.stringify(values[key]) !== JSON.stringify(oldInitial[key])) {
      (rebased as Record<string, unknown>)[key] = values[key];
    }
  }
  // Header rows typed for replacing belong with the choice to replace them.
  if (!values.replaceHeaders) rebased.headers = newInitial.headers;
  return rebased;
}
