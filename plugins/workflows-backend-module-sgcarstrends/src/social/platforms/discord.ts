import { z } from 'zod';
import type { SocialPlatform } from '../SocialPlatform';
import { mapTextOutsideUrls } from '../urlSegments';
import { readRequiredEnv } from './envVars';
import { definePlatform } from './definePlatform';
import { runHealthCheck } from './healthCheck';
import { requestJson } from './platformRequest';

const PLATFORM_NAME = 'Discord';
const REQUIRED_ENV = ['DISCORD_WEBHOOK_URL'] as const;

const createdMessageSchema = z.object({ id: z.string().min(1) });
const webhookSchema = z.object({ name: z.string().nullish() });

/**
 * Discord renders markdown in `content`; a backslash makes any punctuation
 * literal. URLs are left alone so they stay clickable.
 */
export function escapeDiscordMarkdown(text: string): string {
  return mapTextOutsideUrls(text, plain =>
    plain.replace(/[\\*_~`|[\]<>#]/g, character => `\\${character}`),
  );
}

/**
 * A webhook URL grants posting rights, so it is a secret, and so is its
 * token (the last path segment), which Discord may echo on its own.
 */
function webhookSecrets(webhookUrl: string): string[] {
  const secrets = [webhookUrl];
  try {
    const url = new URL(webhookUrl);
    const token = url.pathname.split('/').filter(Boolean).pop();
    if (token) {
      secrets.push(token);
    }
  } catch {
    // Not a URL: the whole value is still redacted.
  }
  return secrets;
}

function parseWebhookUrl(webhookUrl: string): URL {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    throw new Error('DISCORD_WEBHOOK_URL is not a valid URL');
  }
  if (url.protocol !== 'https:') {
    throw new Error('DISCORD_WEBHOOK_URL must be an https URL');
  }
  return url;
}

export const discordPlatform: SocialPlatform = definePlatform({
  id: 'discord',
  name: PLATFORM_NAME,
  requiredEnv: REQUIRED_ENV,

  async publish(text, env, fetchImpl) {
    const { DISCORD_WEBHOOK_URL: webhookUrl } = readRequiredEnv(
      PLATFORM_NAME,
      REQUIRED_ENV,
      env,
    );
    const url = parseWebhookUrl(webhookUrl);
    // wait=true makes Discord reply with the created message (and its id).
    url.searchParams.set('wait', 'true');
    const message = await requestJson(
      {
        platformName: PLATFORM_NAME,
        action: 'post the message',
        url: url.toString(),
        init: {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            content: escapeDiscordMarkdown(text),
            // Data never pings anyone, whatever text it contains.
            allowed_mentions: { parse: [] },
          }),
        },
        secrets: webhookSecrets(webhookUrl),
        fetchImpl,
      },
      createdMessageSchema,
      { accepted: true },
    );
    return { postId: message.id };
  },

  checkHealth(env, fetchImpl) {
    return runHealthCheck({
      requiredEnv: REQUIRED_ENV,
      env,
      secrets: () => webhookSecrets(env.DISCORD_WEBHOOK_URL!.trim()),
      check: async secrets => {
        const webhookUrl = env.DISCORD_WEBHOOK_URL!.trim();
        const webhook = await requestJson(
          {
            platformName: PLATFORM_NAME,
            action: 'read the webhook',
            url: parseWebhookUrl(webhookUrl).toString(),
            init: { method: 'GET' },
            secrets,
            fetchImpl,
          },
          webhookSchema,
          { accepted: false },
        );
        return webhook.name
          ? `Webhook "${webhook.name}" is valid`
          : 'Webhook is valid';
      },
    });
  },
});
