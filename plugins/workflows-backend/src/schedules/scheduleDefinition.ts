import { scheduleFieldSchema } from '@internal/plugin-workflows-common';
import type {
  ScheduleDefinitionPatch,
  ScheduleDefinitionView,
  ScheduleField,
} from '@internal/plugin-workflows-common';
import type {
  QStashFlowControl,
  QStashSchedule,
  QStashScheduleDefinition,
} from '../qstash/QStashGateway';
import { cronWithTimezone, readQStashCron } from './cronTz';
import { visibleFingerprint } from './scheduleVersion';

/** Settings QStash returns that the portal does not edit: a save carries them over. */
export interface CarriedSettings {
  delaySeconds?: number;
  labels?: string[];
  retryDelay?: string;
  flowControl?: QStashFlowControl;
}

/** A whole schedule definition; header values never leave the backend. */
export interface ScheduleDefinition {
  destination: string;
  method: string;
  /** Five fields. */
  cron: string;
  timezone: string;
  body: string | null;
  /** What the destination receives: Content-Type and forwarded headers. */
  headers: Record<string, string>;
  /** Null: QStash's default. */
  retries: number | null;
  /** Null: the plan's default. */
  timeoutSeconds: number | null;
  callback: string | null;
  failureCallback: string | null;
}

/** What the portal last wrote for a schedule, with how QStash showed it right after. */
export interface StoredScheduleDefinition extends ScheduleDefinition {
  scheduleId: string;
  /** `visibleFingerprint` of the schedule as QStash returned it after the write. */
  qstashFingerprint: string;
  writtenAt: string;
}

/** A schedule as QStash has it, with the fields QStash does not return filled in where known. */
export interface CurrentSchedule {
  scheduleId: string;
  schedule: QStashSchedule;
  /** Unknown fields hold "none" here; see `unknown`. */
  definition: ScheduleDefinition;
  carried: CarriedSettings;
  unknown: ScheduleField[];
  /** `portal` when the stored definition is what QStash holds now. */
  source: 'portal' | 'qstash';
}

const REDACTED = /^REDACTED:/;

/** QStash's header record as headers to forward; undefined when any value is redacted. */
function forwardedHeaders(
  header: Record<string, string[]> | undefined,
): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const [rawName, values] of Object.entries(header ?? {})) {
    const lower = rawName.toLowerCase();
    let name = rawName;
    if (lower.startsWith('upstash-forward-')) {
      name = rawName.slice('upstash-forward-'.length);
    } else if (lower.startsWith('upstash-')) {
      // A setting of the schedule, not something the destination receives.
      continue;
    }
    if (values.some(value => REDACTED.test(value))) return undefined;
    headers[name] = values.join(', ');
  }
  return headers;
}

function carriedSettings(schedule: QStashSchedule): CarriedSettings {
  const labels =
    schedule.labels ?? (schedule.label ? [schedule.label] : undefined);
  return {
    ...(schedule.delay ? { delaySeconds: schedule.delay } : {}),
    ...(labels?.length ? { labels } : {}),
    ...(schedule.retryDelayExpression
      ? { retryDelay: schedule.retryDelayExpression }
      : {}),
    ...(schedule.flowControlKey
      ? {
          flowControl: {
            key: schedule.flowControlKey,
            parallelism: schedule.parallelism,
            rate: schedule.rate,
            period: schedule.period,
          },
        }
      : {}),
  };
}

/**
 * Fills in what QStash does not return. The stored definition is trusted
 * only while QStash still shows what the portal wrote; otherwise the
 * schedule was changed elsewhere and QStash's own view is all there is.
 */
export function resolveCurrent(
  schedule: QStashSchedule,
  stored: StoredScheduleDefinition | undefined,
): CurrentSchedule {
  const trusted =
    stored?.qstashFingerprint === visibleFingerprint(schedule)
      ? stored
      : undefined;
  const zoned = readQStashCron(schedule.cron);
  const unknown: ScheduleField[] = [];
  let body: string | null;
  let headers: Record<string, string>;
  let timeoutSeconds: number | null;
  if (trusted) {
    ({ body, headers, timeoutSeconds } = trusted);
  } else {
    const bodyUnreadable =
      schedule.bodyBase64 !== undefined ||
      (schedule.body !== undefined && REDACTED.test(schedule.body));
    if (bodyUnreadable) unknown.push('body');
    body = bodyUnreadable ? null : schedule.body || null;
    const forwarded = forwardedHeaders(schedule.header);
    if (!forwarded) unknown.push('headers');
    headers = forwarded ?? {};
    // QStash never returns the timeout.
    unknown.push('timeoutSeconds');
    timeoutSeconds = null;
  }
  const retries = schedule.retries ?? trusted?.retries ?? null;
  if (schedule.retries === undefined && !trusted) unknown.push('retries');
  return {
    scheduleId: schedule.scheduleId,
    schedule,
    definition: {
      destination: schedule.destination,
      method: (schedule.method ?? 'POST').toUpperCase(),
      cron: zoned.cron,
      timezone: zoned.timezone,
      body,
      headers,
      retries,
      timeoutSeconds,
      callback: schedule.callback || null,
      failureCallback: schedule.failureCallback || null,
    },
    carried: carriedSettings(schedule),
    unknown,
    source: trusted ? 'portal' : 'qstash',
  };
}

/** The starting point of a new schedule: QStash's defaults, nothing unknown. */
export function newSchedule(
  destination: string,
  cron: string,
): Pick<CurrentSchedule, 'definition' | 'unknown'> {
  return {
    definition: {
      destination,
      method: 'POST',
      cron,
      timezone: 'UTC',
      body: null,
      headers: {},
      retries: null,
      timeoutSeconds: null,
      callback: null,
      failureCallback: null,
    },
    unknown: [],
  };
}

const PATCH_KEYS: ReadonlyArray<
  keyof ScheduleDefinitionPatch & keyof ScheduleDefinition & ScheduleField
> = scheduleFieldSchema.options;

/**
 * The definition a save writes: given fields replace, absent ones stay.
 * `unset` lists the fields that were unknown and not given: they go out
 * unset, so QStash uses its default.
 */
export function applyPatch(
  base: Pick<CurrentSchedule, 'definition' | 'unknown'>,
  patch: ScheduleDefinitionPatch,
): { proposed: ScheduleDefinition; unset: ScheduleField[] } {
  const proposed: ScheduleDefinition = { ...base.definition };
  const unset: ScheduleField[] = [];
  for (const key of PATCH_KEYS) {
    if (patch[key] !== undefined) {
      (proposed as unknown as Record<string, unknown>)[key] = patch[key];
    } else if (base.unknown.includes(key)) {
      unset.push(key);
    }
  }
  return { proposed, unset };
}

/** What the gateway sends for a definition, carried settings included. */
export function toGatewayDefinition(
  scheduleId: string,
  definition: ScheduleDefinition,
  carried: CarriedSettings,
): QStashScheduleDefinition {
  return {
    scheduleId,
    destination: definition.destination,
    cron: cronWithTimezone(definition.cron, definition.timezone),
    method: definition.method,
    body: definition.body ?? undefined,
    headers: definition.headers,
    retries: definition.retries ?? undefined,
    timeoutSeconds: definition.timeoutSeconds ?? undefined,
    callback: definition.callback ?? undefined,
    failureCallback: definition.failureCallback ?? undefined,
    ...carried,
  };
}

/** Header names in a stable order, for views and diffs. */
export function headerNames(headers: Record<string, string>): string[] {
  return Object.keys(headers).sort((a, b) =>
    a.toLowerCase().localeCompare(b.toLowerCase()),
  );
}

/** The definition as the API shows it: header names, never their values. */
export function toDefinitionView(
  definition: ScheduleDefinition,
): ScheduleDefinitionView {
  return {
    destination: definition.destination,
    method: definition.method,
    cron: definition.cron,
    timezone: definition.timezone,
    body: definition.body,
    headerNames: headerNames(definition.headers),
    retries: definition.retries,
    timeoutSeconds: definition.timeoutSeconds,
    callback: definition.callback,
    failureCallback: definition.failureCallback,
  };
}
