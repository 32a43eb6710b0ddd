import type {
  EnvVarCheck,
  ProbeVerdict,
} from '@internal/plugin-workflows-common';
import type { EnvVarFormat } from '@internal/plugin-workflows-node';
import { formatProblem } from './envVarFormats';

/** One environment variable or config key a workflow needs. */
export interface VariableSpec {
  /** `TELEGRAM_BOT_TOKEN`, or a config key such as `workflows.qstash.token`. */
  name: string;
  kind: 'env' | 'config';
  format?: EnvVarFormat;
  /** The workflow works without it: missing is fine, invalid is not. */
  optional?: boolean;
  /** Its value is removed from every probe message. */
  secret: boolean;
  /** What to do when it is missing or invalid. */
  fix?: string;
  /** Env only: a config key that supplies the same value when the variable is unset. */
  configKey?: string;
}

/** What was read for a spec: the value, or why it could not be read. */
export interface VariableReading {
  value?: string;
  /** "not a string": a config key holding a list, say. */
  unreadable?: string;
  /** Where the value came from, for a spec with a config key. */
  suppliedBy?: EnvVarCheck['suppliedBy'];
}

export interface CheckedVariable {
  check: EnvVarCheck;
  /** What it adds to the workflow's verdict. */
  verdict: ProbeVerdict;
}

function missingFix(spec: VariableSpec): string {
  if (spec.fix) return spec.fix;
  if (spec.configKey) {
    return `set ${spec.name}, or ${spec.configKey} in the app config`;
  }
  return spec.kind === 'config'
    ? `set ${spec.name} in the app config`
    : `set ${spec.name}`;
}

/**
 * Present, missing or invalid, never the value. A blank value counts as
 * missing, as the runners treat it.
 */
export function checkVariable(
  spec: VariableSpec,
  reading: VariableReading,
): CheckedVariable {
  const base = { name: spec.name, kind: spec.kind };
  const supplied = reading.suppliedBy ? { suppliedBy: reading.suppliedBy } : {};
  const problem =
    reading.unreadable ??
    (reading.value?.trim() && spec.format
      ? formatProblem(spec.format, reading.value.trim())
      : undefined);
  if (problem) {
    return {
      check: {
        ...base,
        ...supplied,
        state: 'invalid',
        problem,
        // Where the value is, which may be the config key standing in for the variable.
        fix:
          spec.fix ??
          `correct ${reading.suppliedBy?.name ?? spec.name} (${problem})`,
      },
      verdict: 'failing',
    };
  }
  if (!reading.value?.trim()) {
    return {
      check: {
        ...base,
        state: 'missing',
        problem: null,
        fix: missingFix(spec),
      },
      verdict: spec.optional ? 'ok' : 'failing',
    };
  }
  return {
    check: { ...base, ...supplied, state: 'present', problem: null, fix: null },
    verdict: 'ok',
  };
}
