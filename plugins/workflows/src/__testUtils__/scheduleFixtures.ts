import type {
  ScheduleFireTime,
  SchedulePreviewResponse,
  ScheduleView,
} from '@internal/plugin-workflows-common';

/** 09:00 in Singapore on five weekdays, 1 to 5 March 2027. */
export const SINGAPORE_9AM: ScheduleFireTime[] = [1, 2, 3, 4, 5].map(day => ({
  at: `2027-03-0${day}T01:00:00.000Z`,
  local: `2027-03-0${day}T09:00:00+08:00`,
}));

/** 09:00 in New York on five days from 8 March 2027, daylight saving from the 14th. */
export const NEW_YORK_9AM: ScheduleFireTime[] = [
  { at: '2027-03-08T14:00:00.000Z', local: '2027-03-08T09:00:00-05:00' },
  { at: '2027-03-09T14:00:00.000Z', local: '2027-03-09T09:00:00-05:00' },
  { at: '2027-03-10T14:00:00.000Z', local: '2027-03-10T09:00:00-05:00' },
  { at: '2027-03-15T13:00:00.000Z', local: '2027-03-15T09:00:00-04:00' },
  { at: '2027-03-16T13:00:00.000Z', local: '2027-03-16T09:00:00-04:00' },
];

export function aSchedule(overrides: Partial<ScheduleView> = {}): ScheduleView {
  return {
    scheduleId: 'cars-weekdays',
    destination: 'http://localhost:7007/api/workflows/runners/cars',
    method: 'POST',
    cron: '0 9 * * 1-5',
    timezone: 'Asia/Singapore',
    body: null,
    headerNames: ['Content-Type'],
    retries: 3,
    timeoutSeconds: 300,
    callback: null,
    failureCallback: null,
    workflowId: 'cars',
    workflowTitle: 'Car registrations update',
    qstashCron: 'CRON_TZ=Asia/Singapore 0 9 * * 1-5',
    description: 'At 09:00, Monday through Friday',
    nextFireTimes: SINGAPORE_9AM,
    qstashNextFireTime: SINGAPORE_9AM[0].at,
    isPaused: false,
    lastFireTime: '2026-11-30T01:00:00.000Z',
    lastFireState: 'SUCCESS',
    createdAt: '2026-11-01T00:00:00.000Z',
    unknownFields: [],
    definitionSource: 'portal',
    version: 'v1',
    ...overrides,
  };
}

/** A schedule created on the QStash console: nothing links it to a workflow. */
export function anUnknownDestinationSchedule(
  overrides: Partial<ScheduleView> = {},
): ScheduleView {
  return aSchedule({
    scheduleId: 'scd_console',
    destination: 'https://hooks.example.com/nightly',
    cron: '30 2 * * *',
    timezone: 'UTC',
    qstashCron: '30 2 * * *',
    description: 'At 02:30',
    workflowId: null,
    workflowTitle: null,
    retries: null,
    timeoutSeconds: null,
    headerNames: [],
    unknownFields: ['headers', 'retries', 'timeoutSeconds'],
    definitionSource: 'qstash',
    nextFireTimes: [],
    lastFireState: 'FAIL',
    ...overrides,
  });
}

export function aPreview(
  overrides: Partial<SchedulePreviewResponse> = {},
): SchedulePreviewResponse {
  return {
    cron: '0 9 * * 1-5',
    timezone: 'Asia/Singapore',
    qstashCron: 'CRON_TZ=Asia/Singapore 0 9 * * 1-5',
    description: 'At 09:00, Monday through Friday',
    nextFireTimes: SINGAPORE_9AM,
    changes: [],
    unknownFields: [],
    currentVersion: 'v1',
    ...overrides,
  };
}
