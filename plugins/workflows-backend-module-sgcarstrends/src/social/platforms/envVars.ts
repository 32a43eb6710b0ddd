import type { PlatformEnv } from '../SocialPlatform';

/** Names of required variables that are unset or blank (never their values). */
export function missingEnvNames(
  required: readonly string[],
  env: PlatformEnv,
): string[] {
  return required.filter(name => !env[name]?.trim());
}

/**
 * Reads the required variables, trimmed. Throws, naming only the missing
 * variables, when one is absent; publishOnce checks first, so this guards
 * direct calls.
 */
export function readRequiredEnv<Name extends string>(
  platformName: string,
  required: readonly Name[],
  env: PlatformEnv,
): Record<Name, string> {
  const missing = missingEnvNames(required, env);
  if (missing.length > 0) {
    throw new Error(
      `${platformName} is not configured: missing ${missing.join(', ')}`,
    );
  }
  const values = {} as Record<Name, string>;
  for (const name of required) {
    values[name] = env[name]!.trim();
  }
  return values;
}
