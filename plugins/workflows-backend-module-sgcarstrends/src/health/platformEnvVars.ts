import type {
  EnvVarDeclaration,
  EnvVarFormat,
} from '@internal/plugin-workflows-node';
import type { SocialPlatform } from '../social';

/** What each platform variable must look like, and whether it is a secret. */
const PLATFORM_VARIABLES: Record<
  string,
  { format: EnvVarFormat; secret: boolean }
> = {
  // Plain http is allowed to this machine only, as the Discord client does.
  DISCORD_WEBHOOK_URL: { format: 'https-url', secret: true },
  TELEGRAM_BOT_TOKEN: { format: 'telegram-bot-token', secret: true },
  TELEGRAM_CHANNEL_ID: { format: 'telegram-chat-id', secret: false },
  LINKEDIN_CLIENT_ID: { format: 'token', secret: false },
  LINKEDIN_CLIENT_SECRET: { format: 'token', secret: true },
  LINKEDIN_REFRESH_TOKEN: { format: 'token', secret: true },
  LINKEDIN_ORGANISATION_ID: { format: 'numeric-id', secret: false },
  TWITTER_APP_KEY: { format: 'token', secret: true },
  TWITTER_APP_SECRET: { format: 'token', secret: true },
  TWITTER_ACCESS_TOKEN: { format: 'token', secret: true },
  TWITTER_ACCESS_SECRET: { format: 'token', secret: true },
};

/** Overrides the LinkedIn API version the client is written against. */
const LINKEDIN_API_VERSION: EnvVarDeclaration = {
  name: 'LINKEDIN_API_VERSION',
  format: 'numeric-id',
  optional: true,
  secret: false,
  fix: 'set LINKEDIN_API_VERSION to a LinkedIn API version as YYYYMM, or unset it to use the one the module is written against',
};

/**
 * The variables of the platforms a workflow posts to. In dry run nothing is
 * sent, so they are optional there (checked only when set).
 */
export function platformEnvVars(
  platforms: readonly SocialPlatform[],
  dryRun: boolean,
): EnvVarDeclaration[] {
  return platforms.flatMap(platform => [
    ...platform.requiredEnv.map(
      (name): EnvVarDeclaration => ({
        name,
        format: PLATFORM_VARIABLES[name]?.format ?? 'token',
        secret: PLATFORM_VARIABLES[name]?.secret ?? true,
        optional: dryRun,
        fix: dryRun
          ? `set ${name} before turning off dry run (workflows.sgcarstrends.social.dryRun), or remove ${platform.id} from workflows.sgcarstrends.social.platforms`
          : `set ${name}, or remove ${platform.id} from workflows.sgcarstrends.social.platforms`,
      }),
    ),
    ...(platform.id === 'linkedin' ? [LINKEDIN_API_VERSION] : []),
  ]);
}
