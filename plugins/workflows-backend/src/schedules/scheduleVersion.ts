import { createHash } from 'node:crypto';
import type { QStashSchedule } from '../qstash/QStashGateway';
import type { CurrentSchedule } from './scheduleDefinition';

/**
 * The fields of QStash's view that make up the definition. Tick state
 * (last/next time, states), the pause flag (saving keeps it), the creation
 * time and the caller's IP change without the definition changing.
 */
const DEFINITION_FIELDS = [
  'destination',
  'cron',
  'method',
  'header',
  'body',
  'bodyBase64',
  'retries',
  'delay',
  'callback',
  'failureCallback',
  'retryDelayExpression',
  'label',
  'labels',
  'flowControlKey',
  'parallelism',
  'rate',
  'period',
] as const satisfies ReadonlyArray<keyof QStashSchedule>;

/** JSON with object keys sorted, so equal values hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      // Keys of one object are distinct: never equal.
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function digest(value: unknown, length: number): string {
  return createHash('sha256')
    .update(canonicalJson(value))
    .digest('hex')
    .slice(0, length);
}

/** A hash of what QStash shows of the definition: tells whether it changed since. */
export function visibleFingerprint(schedule: QStashSchedule): string {
  const picked: Record<string, unknown> = {};
  for (const field of DEFINITION_FIELDS) picked[field] = schedule[field];
  return digest(picked, 64);
}

/**
 * The version an editor sends back on save: QStash's view plus, when the
 * portal's stored definition applies, the fields QStash does not return
 * (another portal user changing only the timeout changes it too).
 */
export function scheduleVersion(current: CurrentSchedule): string {
  const { body, headers, timeoutSeconds } = current.definition;
  return digest(
    {
      visible: visibleFingerprint(current.schedule),
      hidden:
        current.source === 'portal' ? { body, headers, timeoutSeconds } : null,
    },
    24,
  );
}
