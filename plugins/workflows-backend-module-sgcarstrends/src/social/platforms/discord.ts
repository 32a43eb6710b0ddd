import { z } from 'zod';
import type { SocialPlatform } from '../SocialPlatform';
import { mapTextOutsideUrls } from '../urlSegments';
import { readRequiredEnv } from './envVars';
import { definePlatform } from './definePlatform';
import { runHealthCheck } from './healthCheck';
import { requestJson } from './platformRequest';

const PLATFORM_NAME = 'Discord';
const REQUIRED_ENV = ['DISCORD_WEBHOOK_URL'] as const;

/*
 * Whether a lost reply means a lost post cannot be asked of Discord here:
 * - Execute Webhook (POST /webhooks/{id}/{token}) takes no nonce: its JSON
 *   params are content, username, avatar_url, tts, embeds, allowed_mentions,
 *   components, files, payload_json, attachments, flags, thread_name,
 *   applied_tags and poll. `nonce` with `enforce_nonce` (the same nonce within
 *   a few minutes returns the existing message) is documented only for Create
 *   Message (POST /channels/{id}/messages), which needs a bot token, not a
 *   webhook.
 * - Get Webhook Message (GET /webhooks/{id}/{token}/messages/{message.id})
 *   needs the message id, which is what the lost reply carried; a webhook
 *   cannot list messages.
 * So a post whose outcome is unknown is marked uncertain for an operator.
 * Source: https://discord.com/developers/docs/resources/webhook (Execute
 * Webhook, Get Webhook Message) and .../resources/message (Create Message).
 */

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
  // Plain http only to this machine: a local stand-in for Discord in development.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(
      'DISCORD_WEBHOOK_URL must be an https URL (http only for 127.0.0.1 or localhost)',
    );
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
        createsPost: true,
      },
      createdMessageSchema,
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
            createsPost: false,
          },
          webhookSchema,
        );
        return webhook.name
          ? `Webhook "${webhook.name}" is valid`
          : 'Webhook is valid';
      },
    });
  },
});
