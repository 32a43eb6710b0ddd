import { Config } from '@backstage/config';
import { DEFAULT_PROBE_TIMEOUT_MS } from './probeRunner';

/** `workflows.health`: how long a live probe may take. */
export function readProbeTimeoutMs(config: Config): number {
  const seconds = config.getOptionalNumber(
    'workflows.health.probeTimeoutSeconds',
  );
  if (seconds === undefined) return DEFAULT_PROBE_TIMEOUT_MS;
  if (!(seconds > 0 && seconds <= 60)) {
    throw new Error(
      `workflows.health.probeTimeoutSeconds must be more than 0 and at most 60, got ${seconds}`,
    );
  }
  return seconds * 1000;
}
