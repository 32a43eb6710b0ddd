import { z } from 'zod';
import type { SocialPlatform } from '../SocialPlatform';
import { readRequiredEnv } from './envVars';
import { definePlatform } from './definePlatform';
import { runHealthCheck } from './healthCheck';
import { requestJson } from './platformRequest';

const PLATFORM_NAME = 'Telegram';
const REQUIRED_ENV = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHANNEL_ID'] as const;
const API_BASE = 'https://api.telegram.org';

/*
 * Telegram offers no way to tell whether a sendMessage whose reply was lost
 * went through: the Bot API's sendMessage has no idempotency key, and a bot
 * cannot read a channel's history (getUpdates does not return the bot's own
 * posts). The Bot API maintainers confirm that idempotent calls are not
 * possible (https://github.com/tdlib/telegram-bot-api/issues/126). Such a
 * post is marked uncertain for an operator.
 * Source: https://core.telegram.org/bots/api#sendmessage
 */

const sentMessageSchema = z.object({
  ok: z.literal(true),
  result: z.object({ message_id: z.number().int() }),
});
const botSchema = z.object({
  ok: z.literal(true),
  result: z.object({ username: z.string().optional() }),
});

/** The token is `<bot id>:<secret>`; the secret half may be echoed alone. */
function tokenSecrets(token: string): string[] {
  const secretHalf = token.slice(token.indexOf(':') + 1);
  return secretHalf && secretHalf !== token ? [token, secretHalf] : [token];
}

/** Public channels (`@name`) have shareable message links. */
function publicMessageUrl(
  channelId: string,
  messageId: number,
): string | undefined {
  return channelId.startsWith('@')
    ? `https://t.me/${encodeURIComponent(channelId.slice(1))}/${messageId}`
    : undefined;
}

export const telegramPlatform: SocialPlatform = definePlatform({
  id: 'telegram',
  name: PLATFORM_NAME,
  requiredEnv: REQUIRED_ENV,

  async publish(text, env, fetchImpl) {
    const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_CHANNEL_ID: channelId } =
      readRequiredEnv(PLATFORM_NAME, REQUIRED_ENV, env);
    const sent = await requestJson(
      {
        platformName: PLATFORM_NAME,
        action: 'send the message',
        url: `${API_BASE}/bot${token}/sendMessage`,
        init: {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          // No parse_mode: Telegram shows the text exactly as written, so
          // nothing in it needs escaping and no markup can leak in.
          body: JSON.stringify({ chat_id: channelId, text }),
        },
        secrets: tokenSecrets(token),
        fetchImpl,
        createsPost: true,
      },
      sentMessageSchema,
    );
    const messageId = sent.result.message_id;
    return {
      postId: String(messageId),
      url: publicMessageUrl(channelId, messageId),
    };
  },

  checkHealth(env, fetchImpl) {
    return runHealthCheck({
      requiredEnv: REQUIRED_ENV,
      env,
      secrets: () => tokenSecrets(env.TELEGRAM_BOT_TOKEN!.trim()),
      check: async secrets => {
        const token = env.TELEGRAM_BOT_TOKEN!.trim();
        const bot = await requestJson(
          {
            platformName: PLATFORM_NAME,
            action: 'identify the bot',
            url: `${API_BASE}/bot${token}/getMe`,
            init: { method: 'GET' },
            secrets,
            fetchImpl,
            createsPost: false,
          },
          botSchema,
        );
        return bot.result.username
          ? `Authenticated as @${bot.result.username}`
          : 'Bot token is valid';
      },
    });
  },
});
