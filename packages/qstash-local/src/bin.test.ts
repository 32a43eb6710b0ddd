import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './__testUtils__/waitFor';

const BIN = path.resolve(__dirname, '../bin/qstash-local');

interface Started {
  child: ChildProcess;
  env: Record<string, string>;
  output: () => string;
}

async function startBin(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', chunk => {
    output += chunk;
  });
  child.stderr!.on('data', chunk => {
    output += chunk;
  });
  await waitFor(() => output.includes('QSTASH_NEXT_SIGNING_KEY='), {
    timeoutMs: 30_000,
    what: 'the start-up banner',
  }).catch(error => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}; output so far:\n${output}`);
  });
  const env = Object.fromEntries(
    output
      .split('\n')
      .filter(line => /^QSTASH_[A-Z_]+=/.test(line))
      .map(line => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  return { child, env, output: () => output };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise(resolve => child.once('exit', code => resolve(code)));
}

jest.setTimeout(60_000);

describe('bin/qstash-local', () => {
  let directory: string;

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'qstash-local-bin-'));
  });

  afterEach(() => {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('prints the dev-server style environment, serves it, and stops cleanly on SIGTERM and SIGINT', async () => {
    const dataFile = path.join(directory, 'state.sqlite');
    const first = await startBin(['--port', '0', '--data', dataFile]);
    expect(Object.keys(first.env)).toEqual([
      'QSTASH_URL',
      'QSTASH_TOKEN',
      'QSTASH_CURRENT_SIGNING_KEY',
      'QSTASH_NEXT_SIGNING_KEY',
    ]);
    expect(first.env.QSTASH_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const keys = await fetch(`${first.env.QSTASH_URL}/v2/keys`, {
      headers: { authorization: `Bearer ${first.env.QSTASH_TOKEN}` },
    });
    expect(await keys.json()).toEqual({
      current: first.env.QSTASH_CURRENT_SIGNING_KEY,
      next: first.env.QSTASH_NEXT_SIGNING_KEY,
    });
    const exited = exitOf(first.child);
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // Same data file: same credentials; SIGINT stops it as well.
    const second = await startBin(['--port', '0', '--data', dataFile]);
    expect(second.env.QSTASH_TOKEN).toBe(first.env.QSTASH_TOKEN);
    expect(second.env.QSTASH_CURRENT_SIGNING_KEY).toBe(
      first.env.QSTASH_CURRENT_SIGNING_KEY,
    );
    const secondExit = exitOf(second.child);
    second.child.kill('SIGINT');
    expect(await secondExit).toBe(0);
  });

  it('rejects a bad --port with usage help', async () => {
    const child = spawn(process.execPath, [BIN, '--port', 'eighty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toMatch(/--port must be a number/);
    expect(stderr).toMatch(/Usage: qstash-local/);
  });

  it('rejects a retry time scale that is not a positive number', async () => {
    const child = spawn(
      process.execPath,
      [BIN, '--port', '0', '--retry-time-scale', 'fast'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toMatch(
      /--retry-time-scale must be a positive number, got "fast"/,
    );
  });
});
