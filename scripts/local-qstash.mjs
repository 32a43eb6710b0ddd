// Starts packages/qstash-local as a child process and reads the QStash
// variables it prints once it listens.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

const QSTASH_VARIABLES = [
  'QSTASH_URL',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
];

/**
 * Resolves with `{ child, variables }` once the server printed all four
 * variables. `dataFile` undefined keeps its state in memory; `spawnChild`
 * replaces `child_process.spawn` (the portal starts it in a group of its own).
 */
export function startLocalQStash({
  nodeBin = process.execPath,
  env = process.env,
  port = '8080',
  dataFile,
  echo = true,
  retryTimeScale,
  spawnChild = spawn,
} = {}) {
  const args = [
    join(ROOT, 'packages', 'qstash-local', 'bin', 'qstash-local'),
    '--port',
    port,
  ];
  if (dataFile) args.push('--data', dataFile);
  if (retryTimeScale) args.push('--retry-time-scale', String(retryTimeScale));
  const child = spawnChild(nodeBin, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const found = {};
    let buffer = '';
    child.once('exit', code =>
      reject(new Error(`The local QStash server exited with ${code}`)),
    );
    child.stdout.on('data', chunk => {
      if (echo) process.stdout.write(chunk);
      buffer += chunk.toString();
      for (const match of buffer.matchAll(/^(QSTASH_[A-Z_]+)=(\S+)\s*$/gm)) {
        found[match[1]] = match[2];
      }
      if (QSTASH_VARIABLES.every(name => found[name])) {
        resolve({ child, variables: found });
      }
    });
  });
}
