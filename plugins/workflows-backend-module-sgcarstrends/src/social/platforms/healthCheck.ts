import type { HealthResult, PlatformEnv } from '../SocialPlatform';
import { missingEnvNames } from './envVars';
import { redactSecrets } from './redactSecrets';

/**
 * Runs a credentials check and turns every outcome into a HealthResult:
 * missing variables (by name), the platform's refusal, or the success text.
 * Messages are redacted once more here as the last line of defence.
 */
export async function runHealthCheck(options: {
  requiredEnv: readonly string[];
  env: PlatformEnv;
  secrets: () => ReadonlyArray<string | undefined>;
  /** Returns the success text; receives the secrets for its own requests. */
  check: (secrets: ReadonlyArray<string | undefined>) => Promise<string>;
}): Promise<HealthResult> {
  const missing = missingEnvNames(options.requiredEnv, options.env);
  if (missing.length > 0) {
    return {
      ok: false,
      message: `Not configured: missing ${missing.join(', ')}`,
    };
  }
  const secrets = options.secrets();
  try {
    return {
      ok: true,
      message: redactSecrets(await options.check(secrets), secrets),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message: redactSecrets(message, secrets) };
  }
}
