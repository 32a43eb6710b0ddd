import {
  ScheduleChange,
  ScheduleField,
  scheduleFieldSchema,
} from '@internal/plugin-workflows-common';
import { headerNames, ScheduleDefinition } from './scheduleDefinition';

function lowerCaseKeys(headers: Record<string, string>) {
  return new Map(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/** Header names (never values); names whose value changes are marked in `after`. */
function headersText(
  headers: Record<string, string>,
  changedValues: Set<string> = new Set(),
): string | null {
  const names = headerNames(headers);
  if (names.length === 0) return null;
  return names
    .map(name =>
      changedValues.has(name.toLowerCase()) ? `${name} (new value)` : name,
    )
    .join(', ');
}

function fieldText(
  definition: ScheduleDefinition,
  field: ScheduleField,
): string | null {
  if (field === 'headers') return headersText(definition.headers);
  const value = definition[field];
  return value === null || value === '' ? null : String(value);
}

/** Names (lower case) present on both sides whose value differs. */
function changedHeaderValues(
  before: Record<string, string>,
  after: Record<string, string>,
): Set<string> {
  const old = lowerCaseKeys(before);
  return new Set(
    [...lowerCaseKeys(after)]
      .filter(([name, value]) => old.has(name) && old.get(name) !== value)
      .map(([name]) => name),
  );
}

function sameHeaders(
  a: Record<string, string>,
  b: Record<string, string>,
): boolean {
  const left = lowerCaseKeys(a);
  const right = lowerCaseKeys(b);
  return (
    left.size === right.size &&
    [...left].every(([name, value]) => right.get(name) === value)
  );
}

/**
 * What saving `after` changes, field by field, as text to show. Without
 * `before` (a new schedule) every set field is listed. An unknown field is
 * always listed: the portal cannot tell whether the save changes it.
 */
export function diffDefinitions(
  before: ScheduleDefinition | undefined,
  unknown: ScheduleField[],
  after: ScheduleDefinition,
): ScheduleChange[] {
  const changes: ScheduleChange[] = [];
  for (const field of scheduleFieldSchema.options) {
    const afterText = fieldText(after, field);
    if (!before) {
      if (afterText !== null) {
        changes.push({
          field,
          before: null,
          after: afterText,
          beforeUnknown: false,
        });
      }
      continue;
    }
    if (unknown.includes(field)) {
      changes.push({
        field,
        before: null,
        after: afterText,
        beforeUnknown: true,
      });
      continue;
    }
    if (field === 'headers') {
      if (!sameHeaders(before.headers, after.headers)) {
        changes.push({
          field,
          before: headersText(before.headers),
          after: headersText(
            after.headers,
            changedHeaderValues(before.headers, after.headers),
          ),
          beforeUnknown: false,
        });
      }
      continue;
    }
    const beforeText = fieldText(before, field);
    if (beforeText !== afterText) {
      changes.push({
        field,
        before: beforeText,
        after: afterText,
        beforeUnknown: false,
      });
    }
  }
  return changes;
}
