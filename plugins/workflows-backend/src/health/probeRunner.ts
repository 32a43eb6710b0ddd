import type { ProbeResult } from '@internal/plugin-workflows-common';
import {
  HealthProbe,
  HealthProbeOutcome,
  redactSecrets,
} from '@internal/plugin-workflows-node';

/** How long any probe may take, unless configured otherwise. */
export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

/** A probe result as it is cached: everything but whether it came from the cache. */
export type ProbeRecord = Omit<ProbeResult, 'cached'>;

export interface ProbeRunOptions {
  timeoutMs: number;
  probePlatforms: boolean;
  /** Configured secret values; none may survive in a message or fix. */
  secrets: ReadonlyArray<string | undefined>;
  now?: () => Date;
}

const VERDICTS = new Set<string>(['ok', 'warning', 'failing', 'not-probed']);

function secondsText(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * Runs one probe: aborts it when its time is up, measures it, turns a
 * thrown error into a failing verdict and removes every configured secret
 * from what it says, whatever the probe itself already did.
 */
export async function runProbe(
  probe: HealthProbe,
  options: ProbeRunOptions,
): Promise<ProbeRecord> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<HealthProbeOutcome>(resolve => {
    timer = setTimeout(() => {
      const message = `timed out after ${secondsText(options.timeoutMs)}`;
      controller.abort(new Error(`${probe.title} ${message}`));
      resolve({
        verdict: 'failing',
        message,
        fix: `Check that it answers this backend within ${secondsText(
          options.timeoutMs,
        )} (network, firewall, proxy, or an overloaded service)`,
      });
    }, options.timeoutMs);
  });

  let outcome: HealthProbeOutcome;
  try {
    outcome = await Promise.race([
      probe
        .probe({
          signal: controller.signal,
          probePlatforms: options.probePlatforms,
        })
        .catch(
          (error): HealthProbeOutcome => ({
            verdict: 'failing',
            message: error instanceof Error ? error.message : String(error),
          }),
        ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
  const latencyMs = Math.round(performance.now() - started);

  const verdict = VERDICTS.has(outcome?.verdict) ? outcome.verdict : 'failing';
  const redact = (text: string) => redactSecrets(text, options.secrets);
  return {
    id: probe.id,
    title: probe.title,
    verdict,
    message: redact(
      typeof outcome?.message === 'string' && outcome.message
        ? outcome.message
        : 'the probe gave no answer',
    ),
    fix: verdict === 'ok' || !outcome?.fix ? null : redact(outcome.fix),
    latencyMs: verdict === 'not-probed' ? null : latencyMs,
    checkedAt: (options.now?.() ?? new Date()).toISOString(),
  };
}
