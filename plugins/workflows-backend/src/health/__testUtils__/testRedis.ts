import { spawnSync } from 'node:child_process';

/** The Redis these machines and CI run for the tests. */
export const TEST_REDIS_HOST = '127.0.0.1';
export const TEST_REDIS_PORT = 6379;
export const TEST_REDIS_URL = `redis://${TEST_REDIS_HOST}:${TEST_REDIS_PORT}`;

// Run in a child so that the answer is there before jest collects the tests.
const PING_SCRIPT = `
const socket = require('node:net').connect(Number(process.argv[2]), process.argv[1]);
let reply = '';
socket.setTimeout(2000, () => process.exit(1));
socket.on('connect', () => socket.write('PING\\r\\n'));
socket.on('data', data => {
  reply += data;
  if (reply.includes('\\r\\n')) process.exit(reply.startsWith('+PONG') ? 0 : 1);
});
socket.on('error', () => process.exit(1));
`;

function isCi(): boolean {
  const ci = process.env.CI;
  return !!ci && ci !== 'false' && ci !== '0';
}

/**
 * Whether the test Redis answers a PING without a password. Outside CI a
 * missing Redis skips the tests that need it, saying so; in CI it is an error.
 */
export function testRedisAvailable(): boolean {
  const ping = spawnSync(
    process.execPath,
    ['-e', PING_SCRIPT, TEST_REDIS_HOST, String(TEST_REDIS_PORT)],
    { timeout: 5_000, stdio: 'ignore' },
  );
  if (ping.status === 0) return true;
  const message = `No Redis answers PING without a password at ${TEST_REDIS_URL}`;
  if (isCi()) {
    throw new Error(
      `${message}. The Redis tests are required when CI is set: start redis-server there.`,
    );
  }
  process.stderr.write(
    `${message}: the tests against a real Redis are skipped. Start redis-server to run them.\n`,
  );
  return false;
}
