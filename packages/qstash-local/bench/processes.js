/*
 * Child processes of the delivery benchmark: the server started through its
 * own bin, as a user would run it, and the no-op endpoint.
 */
const { fork, spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const SERVER_BIN = path.join(__dirname, '..', 'bin', 'qstash-local');
const START_TIMEOUT_MS = 60_000;

/**
 * Starts `bin/qstash-local --port <port> --data <file>` and resolves once it
 * printed QSTASH_URL and QSTASH_TOKEN. `nodeArgs` go to node (e.g. --cpu-prof).
 */
function startServer({ port, dataFile, nodeArgs = [] }) {
  const child = spawn(
    process.execPath,
    [...nodeArgs, SERVER_BIN, '--port', String(port), '--data', dataFile],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderrTail = [];
  readline.createInterface({ input: child.stderr }).on('line', line => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    process.stderr.write(`[qstash-local] ${line}\n`);
  });
  return new Promise((resolve, reject) => {
    const found = {};
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `qstash-local did not start within ${START_TIMEOUT_MS / 1000} s`,
        ),
      );
    }, START_TIMEOUT_MS);
    const onExit = code => {
      clearTimeout(timer);
      reject(
        new Error(
          `qstash-local exited with ${code} before it started: ${stderrTail.join(
            '\n',
          )}`,
        ),
      );
    };
    child.once('exit', onExit);
    // Only the two values are kept; the banner (with the signing keys) is not echoed.
    readline.createInterface({ input: child.stdout }).on('line', line => {
      const match = /^(QSTASH_URL|QSTASH_TOKEN)=(.+)$/.exec(line);
      if (!match) return;
      found[match[1]] = match[2];
      if (found.QSTASH_URL && found.QSTASH_TOKEN) {
        clearTimeout(timer);
        child.off('exit', onExit);
        const exited = new Promise(done => {
          if (child.exitCode !== null || child.signalCode !== null) done();
          else child.once('exit', (code, signal) => done({ code, signal }));
        });
        resolve({
          url: found.QSTASH_URL,
          token: found.QSTASH_TOKEN,
          port: Number(new URL(found.QSTASH_URL).port),
          pid: child.pid,
          kill: signal => {
            child.kill(signal);
            return exited;
          },
          exited,
        });
      }
    });
  });
}

/** Forks the no-op endpoint and gives a small request/answer API over IPC. */
function startEndpoint() {
  const child = fork(path.join(__dirname, 'endpoint.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const pending = new Map();
  return new Promise((resolve, reject) => {
    child.once('exit', code => {
      for (const { fail } of pending.values())
        fail(new Error(`endpoint exited with ${code}`));
      reject(new Error(`endpoint exited with ${code}`));
    });
    child.on('message', message => {
      if (message.ready) {
        const ask = (cmd, fields = {}) =>
          new Promise((done, fail) => {
            const id = nextId++;
            pending.set(id, { done, fail });
            child.send({ ...fields, cmd, id });
          });
        resolve({
          url: `http://127.0.0.1:${message.port}/noop`,
          pid: child.pid,
          reset: capacity => ask('reset', { capacity }),
          stats: (fields = {}) =>
            ask('stats', fields).then(answer => answer.stats),
          close: () => {
            child.disconnect();
          },
        });
        return;
      }
      const waiting = pending.get(message.id);
      if (waiting) {
        pending.delete(message.id);
        waiting.done(message);
      }
    });
  });
}

module.exports = { startServer, startEndpoint };
