import type { PlatformEnv, SocialPlatform } from '../SocialPlatform';
import { missingEnvNames } from './envVars';

/** The parts of a platform that differ; the env checks follow from `requiredEnv`. */
export type PlatformDefinition = Omit<
  SocialPlatform,
  'isConfigured' | 'missingEnv'
>;

export function definePlatform(definition: PlatformDefinition): SocialPlatform {
  return {
    ...definition,
    isConfigured(env: PlatformEnv) {
      return missingEnvNames(definition.requiredEnv, env).length === 0;
    },
    missingEnv(env: PlatformEnv) {
      return missingEnvNames(definition.requiredEnv, env);
    },
  };
}
