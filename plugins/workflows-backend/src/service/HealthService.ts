import type {
  ProbeResult,
  WorkflowHealth,
  WorkflowSummary,
} from '@internal/plugin-workflows-common';
import type { WorkflowRunner } from '@internal/plugin-workflows-node';
import type { BackendHealthChecks, HealthEnv } from '../health/backendChecks';
import {
  envVariableSpecs,
  mergeProbes,
  PlannedProbe,
  runnerProbes,
  WorkflowHealthPlan,
} from '../health/healthPlan';
import type { ProbeResultCache } from '../health/ProbeResultCache';
import { ProbeRecord, runProbe } from '../health/probeRunner';
import { secretValues } from '../health/secretValues';
import {
  checkVariable,
  VariableReading,
  VariableSpec,
} from '../health/variableChecks';
import { worstVerdict } from '../health/verdicts';

export interface HealthServiceOptions {
  /** The hosted runners by id, for what they declare. */
  runners: ReadonlyMap<string, WorkflowRunner<unknown>>;
  backend: BackendHealthChecks;
  cache: ProbeResultCache;
  env: HealthEnv;
  probeTimeoutMs: number;
}

export interface HealthRequest {
  /** Probe again even when a result is cached. */
  fresh: boolean;
  /** Probe social platforms even in dry run. */
  probePlatforms: boolean;
}

/**
 * A probe that ran for this request (not served from the cache), for the
 * audit. A type, not an interface, so that it is a JSON object to the auditor.
 */
export type ProbeRun = {
  workflowId: string;
  probeId: string;
  verdict: ProbeResult['verdict'];
};

export interface HealthReport {
  items: WorkflowHealth[];
  ran: ProbeRun[];
}

/**
 * Env-var health of workflows: each variable present, missing or invalid,
 * and live probes with results cached for 60 s. No permission checks here.
 */
export class HealthService {
  /** One run per probe at a time, shared by concurrent requests. */
  private readonly inFlight = new Map<string, Promise<ProbeRecord>>();

  constructor(private readonly options: HealthServiceOptions) {}

  private plan(workflow: WorkflowSummary): WorkflowHealthPlan {
    const runner =
      workflow.source === 'runner'
        ? this.options.runners.get(workflow.id)
        : undefined;
    const envSpecs = envVariableSpecs(
      workflow.requiredEnv,
      runner?.envVars,
      this.options.backend.configKeys,
    );
    const backend = this.options.backend.planFor(
      workflow,
      new Set(envSpecs.map(spec => spec.name)),
    );
    return {
      variables: [...backend.variables, ...envSpecs],
      probes: mergeProbes(
        backend.probes,
        runnerProbes(workflow.id, runner?.healthProbes),
      ),
    };
  }

  private read(spec: VariableSpec): VariableReading {
    if (spec.kind === 'config') {
      return this.options.backend.readConfig(spec.name);
    }
    const value = this.options.env[spec.name];
    if (!spec.configKey) return { value };
    // The variable when it is set, else the config key that stands in for it.
    if (value?.trim()) {
      return { value, suppliedBy: { kind: 'env', name: spec.name } };
    }
    const reading = this.options.backend.readConfig(spec.configKey);
    return reading.value?.trim() || reading.unreadable
      ? { ...reading, suppliedBy: { kind: 'config', name: spec.configKey } }
      : reading;
  }

  /** Every configured secret any workflow holds, so no probe can repeat one. */
  private secrets(plans: WorkflowHealthPlan[]): string[] {
    const envValues = plans.flatMap(plan =>
      plan.variables
        .filter(spec => spec.secret && spec.kind === 'env')
        .flatMap(spec => [
          this.options.env[spec.name],
          spec.configKey
            ? this.options.backend.readConfig(spec.configKey).value
            : undefined,
        ]),
    );
    return secretValues([
      ...this.options.backend.configSecrets(),
      ...envValues,
    ]);
  }

  private probeOnce(
    planned: PlannedProbe,
    request: HealthRequest,
    secrets: string[],
  ): Promise<ProbeRecord> {
    const key = `${planned.cacheKey}|${request.probePlatforms}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const run = runProbe(planned.probe, {
      timeoutMs: this.options.probeTimeoutMs,
      probePlatforms: request.probePlatforms,
      secrets,
    })
      .then(async record => {
        await this.options.cache.set(planned.cacheKey, record);
        return record;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, run);
    return run;
  }

  async health(
    workflows: WorkflowSummary[],
    request: HealthRequest,
  ): Promise<HealthReport> {
    const plans = workflows.map(workflow => this.plan(workflow));
    const secrets = this.secrets(plans);

    // Each distinct probe once, however many workflows share it.
    const unique = new Map<string, PlannedProbe>();
    for (const plan of plans) {
      for (const planned of plan.probes) unique.set(planned.cacheKey, planned);
    }
    const results = new Map<string, ProbeResult>();
    await Promise.all(
      [...unique.values()].map(async planned => {
        const cached = request.fresh
          ? undefined
          : await this.options.cache.get(planned.cacheKey);
        const record =
          cached ?? (await this.probeOnce(planned, request, secrets));
        results.set(planned.cacheKey, { ...record, cached: !!cached });
      }),
    );

    const ran: ProbeRun[] = [];
    const items = workflows.map((workflow, index): WorkflowHealth => {
      const plan = plans[index];
      const variables = plan.variables.map(spec =>
        checkVariable(spec, this.read(spec)),
      );
      const probes = plan.probes.map(planned => {
        const result = results.get(planned.cacheKey)!;
        if (!result.cached) {
          ran.push({
            workflowId: workflow.id,
            probeId: result.id,
            verdict: result.verdict,
          });
        }
        return result;
      });
      return {
        workflowId: workflow.id,
        workflowTitle: workflow.title,
        verdict: worstVerdict([
          ...variables.map(v => v.verdict),
          ...probes.map(p => p.verdict),
        ]),
        variables: variables.map(v => v.check),
        probes,
      };
    });
    return { items, ran };
  }
}
