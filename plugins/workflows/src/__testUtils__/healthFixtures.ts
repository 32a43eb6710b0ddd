import type {
  EnvVarCheck,
  ProbeResult,
  WorkflowHealth,
} from '@internal/plugin-workflows-common';
import { fromNow } from './fixtures';

export function aVariable(overrides: Partial<EnvVarCheck> = {}): EnvVarCheck {
  return {
    name: 'QSTASH_TOKEN',
    kind: 'env',
    state: 'present',
    problem: null,
    fix: null,
    ...overrides,
  };
}

export function aProbe(overrides: Partial<ProbeResult> = {}): ProbeResult {
  return {
    id: 'database',
    title: 'Database',
    verdict: 'ok',
    message: 'answered in 4 ms',
    fix: null,
    latencyMs: 4,
    checkedAt: fromNow(-2 * 60_000),
    cached: false,
    ...overrides,
  };
}

export function aWorkflowHealth(
  overrides: Partial<WorkflowHealth> = {},
): WorkflowHealth {
  return {
    workflowId: 'cars',
    workflowTitle: 'Car registrations update',
    verdict: 'ok',
    variables: [aVariable()],
    probes: [aProbe()],
    ...overrides,
  };
}

/** One check of each verdict, and a variable of each state, as the cars workflow reports them. */
export const carsWithEveryVerdict = aWorkflowHealth({
  verdict: 'failing',
  variables: [
    aVariable(),
    aVariable({
      name: 'TELEGRAM_BOT_TOKEN',
      state: 'missing',
      fix: 'set TELEGRAM_BOT_TOKEN',
    }),
    aVariable({
      name: 'workflows.sources.lta.url',
      kind: 'config',
      state: 'invalid',
      problem: 'not a URL',
      fix: 'set workflows.sources.lta.url to the DataMall address',
    }),
  ],
  probes: [
    aProbe(),
    aProbe({
      id: 'signing-keys',
      title: 'QStash signing keys',
      verdict: 'warning',
      message: 'one rotation behind',
      fix: 'rotate: the next key is now current on QStash',
      latencyMs: 180,
      cached: true,
    }),
    aProbe({
      id: 'lta-source',
      title: 'LTA DataMall',
      verdict: 'failing',
      message: 'answered HTTP 401',
      fix: 'check LTA_ACCOUNT_KEY with LTA',
      latencyMs: 1250,
    }),
    aProbe({
      id: 'telegram',
      title: 'Telegram credentials (getMe)',
      verdict: 'not-probed',
      message: 'platforms are probed only on request',
      fix: null,
      latencyMs: null,
    }),
  ],
});
