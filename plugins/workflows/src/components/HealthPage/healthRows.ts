import type {
  EnvVarCheck,
  EnvVarState,
  ProbeVerdict,
  WorkflowHealth,
} from '@internal/plugin-workflows-common';

export type HealthCheckKind = 'variable' | 'config' | 'probe';

export const HEALTH_CHECK_KIND_LABELS: Record<HealthCheckKind, string> = {
  variable: 'Variable',
  config: 'Config key',
  probe: 'Probe',
};

/** One line of a workflow's health: a variable, a config key or a probe. */
export type HealthCheckRow = {
  key: string;
  name: string;
  kind: HealthCheckKind;
  verdict: ProbeVerdict;
  /** What was found, never a value. */
  finding: string;
  fix: string | null;
  latencyMs: number | null;
  checkedAt: string | null;
  cached: boolean;
};

// A run stops at a missing or malformed variable, so both fail the workflow.
const VARIABLE_VERDICT: Record<EnvVarState, ProbeVerdict> = {
  present: 'ok',
  missing: 'failing',
  invalid: 'failing',
};

/** "in config: workflows.qstash.token", for a variable a config key can supply. */
function sourceOf(variable: EnvVarCheck): string | undefined {
  const source = variable.suppliedBy;
  if (!source) return undefined;
  return source.kind === 'config'
    ? `in config: ${source.name}`
    : `in the environment: ${source.name}`;
}

function findingOf(variable: EnvVarCheck): string {
  const source = sourceOf(variable);
  switch (variable.state) {
    case 'present':
      return source ? `Set ${source}` : 'Set';
    case 'missing':
      return 'Not set';
    default: {
      const invalid = source ? `Invalid ${source}` : 'Invalid';
      return variable.problem ? `${invalid}: ${variable.problem}` : invalid;
    }
  }
}

/** The variables and config keys first, then the probes, each in the backend's order. */
export function healthRowsOf(health: WorkflowHealth): HealthCheckRow[] {
  const variables = health.variables.map(
    (variable): HealthCheckRow => ({
      key: `${variable.kind}:${variable.name}`,
      name: variable.name,
      kind: variable.kind === 'env' ? 'variable' : 'config',
      verdict: VARIABLE_VERDICT[variable.state],
      finding: findingOf(variable),
      fix: variable.fix,
      latencyMs: null,
      checkedAt: null,
      cached: false,
    }),
  );
  const probes = health.probes.map(
    (probe): HealthCheckRow => ({
      key: `probe:${probe.id}`,
      name: probe.title,
      kind: 'probe',
      verdict: probe.verdict,
      finding: probe.message,
      fix: probe.fix,
      latencyMs: probe.latencyMs,
      checkedAt: probe.checkedAt,
      cached: probe.cached,
    }),
  );
  return [...variables, ...probes];
}
