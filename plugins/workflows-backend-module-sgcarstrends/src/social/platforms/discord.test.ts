import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { discordPlatform, escapeDiscordMarkdown } from './discord';
import { SocialPlatformError } from './SocialPlatformError';

const WEBHOOK_URL =
  'https://discord.com/api/webhooks/112233/webhook-token-abcdef123456';
const env = { DISCORD_WEBHOOK_URL: WEBHOOK_URL };

describe('Discord', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('posts the text to the webhook with wait=true and returns the message id', async () => {
    const received: Array<{
      url: string;
      contentType: string | null;
      body: unknown;
    }> = [];
    server.use(
      http.post(WEBHOOK_URL, async ({ request }) => {
        received.push({
          url: request.url,
          contentType: request.headers.get('content-type'),
          body: await request.json(),
        });
        return HttpResponse.json({ id: '1240001', channel_id: '77' });
      }),
    );

    const result = await discordPlatform.publish(
      'Updated car registration data for 2024-05\n\nhttps://sgcarstrends.com/cars?month=2024-05&utm_source=discord',
      env,
    );

    expect(result).toEqual({ postId: '1240001' });
    expect(received).toEqual([
      {
        url: `${WEBHOOK_URL}?wait=true`,
        contentType: 'application/json',
        body: {
          content:
            'Updated car registration data for 2024-05\n\nhttps://sgcarstrends.com/cars?month=2024-05&utm_source=discord',
          allowed_mentions: { parse: [] },
        },
      },
    ]);
  });

  it('escapes markdown in the text but not in links', () => {
    expect(
      escapeDiscordMarkdown(
        'Make *X* _Y_ `z` ~w~ <@1> # h\nhttps://e.com/a?utm_source=discord',
      ),
    ).toBe(
      'Make \\*X\\* \\_Y\\_ \\`z\\` \\~w\\~ \\<@1\\> \\# h\nhttps://e.com/a?utm_source=discord',
    );
  });

  it('throws an error naming Discord and the status, with a short excerpt of the reply', async () => {
    server.use(
      http.post(WEBHOOK_URL, () =>
        HttpResponse.json(
          {
            message: 'Invalid Form Body',
            code: 50035,
            filler: 'x'.repeat(1000),
          },
          { status: 400 },
        ),
      ),
    );
    const error = await discordPlatform.publish('hello', env).catch(e => e);
    expect(error).toBeInstanceOf(SocialPlatformError);
    expect(error.status).toBe(400);
    expect(error.mayHavePosted).toBe(false);
    expect(error.message).toMatch(
      /^Discord refused to post the message: HTTP 400: \{"message":"Invalid Form Body","code":50035/,
    );
    expect(error.message.length).toBeLessThan(400);
  });

  it('reports a 2xx without a message id as possibly posted', async () => {
    server.use(
      http.post(WEBHOOK_URL, () => new HttpResponse(null, { status: 204 })),
    );
    const error = await discordPlatform.publish('hello', env).catch(e => e);
    expect(error).toBeInstanceOf(SocialPlatformError);
    expect(error.mayHavePosted).toBe(true);
  });

  it('checks health by reading the webhook', async () => {
    server.use(
      http.get(WEBHOOK_URL, () =>
        HttpResponse.json({ id: '112233', name: 'sgcarstrends' }),
      ),
    );
    await expect(discordPlatform.checkHealth(env)).resolves.toEqual({
      ok: true,
      message: 'Webhook "sgcarstrends" is valid',
    });

    server.use(
      http.get(WEBHOOK_URL, () =>
        HttpResponse.json(
          { message: 'Unknown Webhook', code: 10015 },
          { status: 404 },
        ),
      ),
    );
    await expect(discordPlatform.checkHealth(env)).resolves.toEqual({
      ok: false,
      message:
        'Discord refused to read the webhook: HTTP 404: {"message":"Unknown Webhook","code":10015}',
      status: 404,
    });
  });

  it('is not configured without DISCORD_WEBHOOK_URL, and says so by name', async () => {
    expect(discordPlatform.isConfigured({})).toBe(false);
    expect(discordPlatform.isConfigured({ DISCORD_WEBHOOK_URL: '  ' })).toBe(
      false,
    );
    expect(discordPlatform.missingEnv({})).toEqual(['DISCORD_WEBHOOK_URL']);
    expect(discordPlatform.isConfigured(env)).toBe(true);
    await expect(discordPlatform.checkHealth({})).resolves.toEqual({
      ok: false,
      message: 'Not configured: missing DISCORD_WEBHOOK_URL',
    });
  });

  it('refuses a plain http webhook except on this machine', async () => {
    await expect(
      discordPlatform.publish('hello', {
        DISCORD_WEBHOOK_URL: 'http://discord.com/api/webhooks/1/token-abc',
      }),
    ).rejects.toThrow('DISCORD_WEBHOOK_URL must be an https URL');
    const local = 'http://127.0.0.1:7118/api/webhooks/1/token-abc';
    server.use(http.post(local, () => HttpResponse.json({ id: 'local-1' })));
    await expect(
      discordPlatform.publish('hello', { DISCORD_WEBHOOK_URL: local }),
    ).resolves.toEqual({ postId: 'local-1' });
  });
});
