import type { HealthProbe } from '@internal/plugin-workflows-node';
import { DEFAULT_PROBE_TIMEOUT_MS, runProbe } from './probeRunner';

const SECRET = 'tok_8sQw2LpX-very-secret';

const options = {
  timeoutMs: DEFAULT_PROBE_TIMEOUT_MS,
  probePlatforms: false,
  secrets: [SECRET],
};

function probeOf(probe: HealthProbe['probe']): HealthProbe {
  return { id: 'example', title: 'Example service', probe };
}

describe('the probe runner', () => {
  afterEach(() => jest.useRealTimers());

  it('gives up after 5 s, aborts the probe and says so', async () => {
    jest.useFakeTimers();
    let signal: AbortSignal | undefined;
    const pending = runProbe(
      probeOf(context => {
        signal = context.signal;
        return new Promise(() => {});
      }),
      options,
    );
    await jest.advanceTimersByTimeAsync(4_999);
    expect(signal?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(result).toMatchObject({
      id: 'example',
      title: 'Example service',
      verdict: 'failing',
      message: 'timed out after 5 s',
      fix: expect.stringContaining('within 5 s'),
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(5_000);
    expect(signal?.aborted).toBe(true);
  });

  it('reports the verdict, latency and time of a probe that answers', async () => {
    const result = await runProbe(
      probeOf(async () => ({ verdict: 'ok', message: 'answered', fix: 'n/a' })),
      { ...options, now: () => new Date('2026-12-01T10:00:00Z') },
    );
    expect(result).toEqual({
      id: 'example',
      title: 'Example service',
      verdict: 'ok',
      message: 'answered',
      // No advice when all is well.
      fix: null,
      latencyMs: expect.any(Number),
      checkedAt: '2026-12-01T10:00:00.000Z',
    });
  });

  it('turns a thrown error into failing and removes secrets from it', async () => {
    const result = await runProbe(
      probeOf(async () => {
        throw new Error(`GET https://api.example.com/${SECRET}/me failed`);
      }),
      options,
    );
    expect(result.verdict).toBe('failing');
    expect(result.message).toBe(
      'GET https://api.example.com/[redacted]/me failed',
    );
  });

  it('removes secrets from what a careless probe says, in any spelling', async () => {
    const result = await runProbe(
      probeOf(async () => ({
        verdict: 'warning',
        message: `token ${encodeURIComponent(`${SECRET}/x`)}`,
        fix: `set TOKEN (now ${SECRET})`,
      })),
      { ...options, secrets: [`${SECRET}/x`, SECRET] },
    );
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(result.fix).toBe('set TOKEN (now [redacted])');
  });

  it('has no latency for a probe that was not made, and passes probePlatforms on', async () => {
    const result = await runProbe(
      probeOf(async ({ probePlatforms }) => ({
        verdict: 'not-probed',
        message: probePlatforms ? 'asked' : 'not probed: dry run',
      })),
      options,
    );
    expect(result).toMatchObject({
      verdict: 'not-probed',
      message: 'not probed: dry run',
      latencyMs: null,
    });
    const asked = await runProbe(
      probeOf(async ({ probePlatforms }) => ({
        verdict: 'not-probed',
        message: probePlatforms ? 'asked' : 'not probed: dry run',
      })),
      { ...options, probePlatforms: true },
    );
    expect(asked.message).toBe('asked');
  });
});
