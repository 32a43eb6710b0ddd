import type {
  EnvVarDeclaration,
  HealthProbe,
} from '@internal/plugin-workflows-node';
import type { VariableSpec } from './variableChecks';

/** A probe of a workflow, and where its result is cached. */
export interface PlannedProbe {
  /**
   * Probes that do not depend on the workflow (the QStash token, say) share
   * one key, so one run serves every workflow.
   */
  cacheKey: string;
  probe: HealthProbe;
}

/** Everything checked for one workflow. */
export interface WorkflowHealthPlan {
  variables: VariableSpec[];
  probes: PlannedProbe[];
}

/**
 * The environment variables of a workflow: the declared ones with their
 * formats, then every other `requiredEnv` name, checked for presence.
 * `configKeys`: the config key the host supplies a variable from, when the
 * declaration names none.
 */
export function envVariableSpecs(
  requiredEnv: readonly string[],
  declared: readonly EnvVarDeclaration[] = [],
  configKeys: ReadonlyMap<string, string> = new Map(),
): VariableSpec[] {
  const specs = new Map<string, VariableSpec>();
  const configKeyOf = (name: string, declaredKey?: string) =>
    declaredKey ?? configKeys.get(name);
  for (const declaration of declared) {
    specs.set(declaration.name, {
      name: declaration.name,
      kind: 'env',
      format: declaration.format,
      optional: declaration.optional,
      secret: declaration.secret ?? true,
      fix: declaration.fix,
      configKey: configKeyOf(declaration.name, declaration.configKey),
    });
  }
  for (const name of requiredEnv) {
    if (!specs.has(name)) {
      specs.set(name, {
        name,
        kind: 'env',
        secret: true,
        configKey: configKeyOf(name),
      });
    }
  }
  return [...specs.values()];
}

/** A runner's probes of a workflow, cached per workflow. */
export function runnerProbes(
  workflowId: string,
  probes: readonly HealthProbe[] = [],
): PlannedProbe[] {
  return probes.map(probe => ({
    cacheKey: `workflow:${workflowId}:${probe.id}`,
    probe,
  }));
}

/**
 * The backend's probes with a runner's own in their place where the ids
 * match (a module knows which database it writes to), then the runner's others.
 */
export function mergeProbes(
  backend: readonly PlannedProbe[],
  runner: readonly PlannedProbe[],
): PlannedProbe[] {
  const byId = new Map(runner.map(planned => [planned.probe.id, planned]));
  const backendIds = new Set(backend.map(planned => planned.probe.id));
  return [
    ...backend.map(planned => byId.get(planned.probe.id) ?? planned),
    ...runner.filter(planned => !backendIds.has(planned.probe.id)),
  ];
}
