import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { telegramPlatform } from './telegram';
import { SocialPlatformError } from './SocialPlatformError';

const TOKEN = '7001:telegram-secret-part';
const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHANNEL_ID: '@sgcarstrends' };

describe('Telegram', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('sends the text as plain text to the channel and returns the message id', async () => {
    const received: unknown[] = [];
    server.use(
      http.post(
        `https://api.telegram.org/bot${TOKEN}/sendMessage`,
        async ({ request }) => {
          received.push({
            contentType: request.headers.get('content-type'),
            body: await request.json(),
          });
          return HttpResponse.json({
            ok: true,
            result: { message_id: 4242, chat: { id: -100123 } },
          });
        },
      ),
    );

    // Characters that would be markup under parse_mode arrive untouched.
    const text =
      'Latest COE results for 2024-05 (2nd Bidding)\n\nCategory A: S$95,689 <b>*_\nhttps://e.com/coe?utm_source=telegram';
    const result = await telegramPlatform.publish(text, env);

    expect(result).toEqual({
      postId: '4242',
      url: 'https://t.me/sgcarstrends/4242',
    });
    expect(received).toEqual([
      {
        contentType: 'application/json',
        body: { chat_id: '@sgcarstrends', text },
      },
    ]);
  });

  it('gives no public link for a numeric (private) channel id', async () => {
    server.use(
      http.post(`https://api.telegram.org/bot${TOKEN}/sendMessage`, () =>
        HttpResponse.json({ ok: true, result: { message_id: 7 } }),
      ),
    );
    await expect(
      telegramPlatform.publish('hi', {
        ...env,
        TELEGRAM_CHANNEL_ID: '-1001234',
      }),
    ).resolves.toEqual({ postId: '7', url: undefined });
  });

  it('throws an error naming Telegram, the status and the description', async () => {
    server.use(
      http.post(`https://api.telegram.org/bot${TOKEN}/sendMessage`, () =>
        HttpResponse.json(
          {
            ok: false,
            error_code: 400,
            description: 'Bad Request: chat not found',
          },
          { status: 400 },
        ),
      ),
    );
    const error = await telegramPlatform.publish('hi', env).catch(e => e);
    expect(error).toBeInstanceOf(SocialPlatformError);
    expect(error.message).toBe(
      'Telegram refused to send the message: HTTP 400: {"ok":false,"error_code":400,"description":"Bad Request: chat not found"}',
    );
  });

  it('checks health with getMe', async () => {
    server.use(
      http.get(`https://api.telegram.org/bot${TOKEN}/getMe`, () =>
        HttpResponse.json({
          ok: true,
          result: { id: 7001, username: 'sgcarstrends_bot' },
        }),
      ),
    );
    await expect(telegramPlatform.checkHealth(env)).resolves.toEqual({
      ok: true,
      message: 'Authenticated as @sgcarstrends_bot',
    });
  });

  it('names both missing variables', () => {
    expect(telegramPlatform.missingEnv({})).toEqual([
      'TELEGRAM_BOT_TOKEN',
      'TELEGRAM_CHANNEL_ID',
    ]);
    expect(telegramPlatform.isConfigured({ TELEGRAM_BOT_TOKEN: TOKEN })).toBe(
      false,
    );
    expect(telegramPlatform.isConfigured(env)).toBe(true);
  });
});
