import type { ScheduleField } from '@internal/plugin-workflows-common';

/** How each editable field is named on screen, in diffs, warnings and errors. */
export const SCHEDULE_FIELD_LABELS: Record<ScheduleField, string> = {
  destination: 'Destination',
  method: 'Method',
  cron: 'Cron',
  timezone: 'Time zone',
  body: 'Body',
  headers: 'Headers',
  retries: 'Retries',
  timeoutSeconds: 'Timeout',
  callback: 'Callback',
  failureCallback: 'Failure callback',
};

/** "timeout and headers", for sentences. */
export function fieldsText(fields: ScheduleField[]): string {
  const names = fields.map(field => SCHEDULE_FIELD_LABELS[field].toLowerCase());
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What an empty value means for a field. */
const EMPTY_TEXT: Record<ScheduleField, string> = {
  destination: 'None',
  method: 'None',
  cron: 'None',
  timezone: 'UTC',
  body: 'No body',
  headers: 'No headers',
  retries: "QStash's default",
  timeoutSeconds: "The plan's default",
  callback: 'None',
  failureCallback: 'None',
};

/** A field's value as diffs and version tables show it. */
export function fieldValueText(
  field: ScheduleField,
  value: string | number | null,
): string {
  if (value === null || value === '') return EMPTY_TEXT[field];
  if (field === 'timeoutSeconds') return `${value} s`;
  return String(value);
}
