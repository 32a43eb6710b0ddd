import type {
  GetRunResponse,
  RunStep,
  TriageFailure,
  TriageGroup,
  TriageResponse,
  WorkflowOverview,
  WorkflowRun,
} from '@internal/plugin-workflows-common';

/** An ISO time `ms` milliseconds from now (negative: in the past). */
export const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

export function aWorkflow(
  overrides: Partial<WorkflowOverview> = {},
): WorkflowOverview {
  return {
    id: 'cars',
    title: 'Car registrations update',
    description: 'Monthly new registrations by make',
    owner: 'group:default/data-platform',
    source: 'runner',
    endpoint: 'http://localhost:7007/api/workflows/runners/cars',
    schedule: { cron: '0 0-10 * * 1-5', timezone: 'UTC' },
    requiredEnv: ['QSTASH_TOKEN'],
    updatedAt: '2026-11-25T00:00:00.000Z',
    stats: {
      lastRun: null,
      nextRunAt: null,
      runs7d: 0,
      successRate7d: null,
      p50DurationMs7d: null,
    },
    ...overrides,
  };
}

export function aRun(overrides: Partial<WorkflowRun> = {}): WorkflowRun {
  return {
    runId: 'wfr_ok',
    workflowId: 'cars',
    status: 'succeeded',
    startedAt: '2026-11-25T01:00:00.000Z',
    finishedAt: '2026-11-25T01:00:10.000Z',
    durationMs: 10_000,
    failedStep: null,
    error: null,
    label: null,
    dlqId: null,
    stepCount: 2,
    updatedAt: '2026-11-25T01:00:10.000Z',
    ...overrides,
  };
}

export function aStep(overrides: Partial<RunStep> = {}): RunStep {
  return {
    position: 1,
    name: 'Processing "cars" data',
    type: 'Run',
    group: 'sequential',
    groupIndex: 1,
    state: 'succeeded',
    attempts: 1,
    startedAt: '2026-11-25T01:00:00.000Z',
    finishedAt: '2026-11-25T01:00:02.000Z',
    durationMs: 2000,
    output: null,
    error: null,
    attemptLog: [],
    ...overrides,
  };
}

export function aRunResponse(
  run: Partial<WorkflowRun> = {},
  steps: RunStep[] = [],
): GetRunResponse {
  return { run: aRun({ stepCount: steps.length, ...run }), steps };
}

export function aTriageGroup(
  overrides: Partial<TriageGroup> = {},
): TriageGroup {
  return {
    groupId: 'grp_telegram',
    workflowId: 'cars',
    workflowTitle: 'Car registrations update',
    step: 'Publish to Telegram',
    signature: 'Telegram answered HTTP <n>: chat <id> not found',
    latestError: 'Telegram answered HTTP 400: chat 12345 not found',
    cause: {
      kind: 'upstream-4xx',
      summary: 'Telegram answered HTTP 400',
      status: 400,
      envVar: null,
      file: null,
      line: null,
      url: 'https://api.telegram.org/bot/sendMessage',
      retryAfterSeconds: null,
      fix: 'source-url',
    },
    count: 5,
    inDlqCount: 2,
    previousCount: 1,
    trend: 'rising',
    firstSeen: fromNow(-5 * 3_600_000),
    lastSeen: fromNow(-10 * 60_000),
    series: [0, 2, 3],
    exampleRunIds: ['wfr_failed'],
    dlqIds: ['dlq-1', 'dlq-2'],
    ...overrides,
  };
}

export function aTriageResponse(
  groups: TriageGroup[],
  overrides: Partial<TriageResponse> = {},
): TriageResponse {
  return {
    from: fromNow(-86_400_000),
    to: fromNow(0),
    bucketMs: 3_600_000,
    groups,
    lastSyncedAt: fromNow(-2 * 60_000),
    ...overrides,
  };
}

export function aTriageFailure(
  overrides: Partial<TriageFailure> = {},
): TriageFailure {
  return {
    runId: 'wfr_failed',
    runStatus: 'failed',
    occurredAt: fromNow(-10 * 60_000),
    step: 'Publish to Telegram',
    error: 'Telegram answered HTTP 400: chat 12345 not found',
    dlq: null,
    ...overrides,
  };
}
