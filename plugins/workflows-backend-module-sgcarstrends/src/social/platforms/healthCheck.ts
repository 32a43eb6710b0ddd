import { redactSecrets } from '@internal/plugin-workflows-node';
import type { HealthResult, PlatformEnv } from '../SocialPlatform';
import { missingEnvNames } from './envVars';
import { SocialPlatformError } from './SocialPlatformError';

/**
 * Runs a credentials check and turns every outcome into a HealthResult:
 * missing variables (by name), the platform's refusal, or the success text.
 * Messages are redacted once more here as the last line of defence.
 */
export async function runHealthCheck(options: {
  requiredEnv: readonly string[];
  env: PlatformEnv;
  secrets: () => ReadonlyArray<string | undefined>;
  /**
   * Returns the success text, or the text and whether it needs attention
   * soon; receives the secrets for its own requests.
   */
  check: (
    secrets: ReadonlyArray<string | undefined>,
  ) => Promise<string | { message: string; attention: boolean }>;
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
    const checked = await options.check(secrets);
    const { message, attention } =
      typeof checked === 'string'
        ? { message: checked, attention: false }
        : checked;
    return {
      ok: true,
      message: redactSecrets(message, secrets),
      ...(attention ? { attention } : {}),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const status =
      error instanceof SocialPlatformError ? error.status : undefined;
    return {
      ok: false,
      message: redactSecrets(message, secrets),
      ...(status !== undefined ? { status } : {}),
    };
  }
}
