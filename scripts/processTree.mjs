// Children in process groups of their own, stopped as a whole: a supervisor's
// SIGTERM reaches only this process, and must not orphan what it started.
import { spawn } from 'node:child_process';

/** How long a stopping group may take before it is killed. */
export const STOP_GRACE_MS = 20_000;

const groups = new Set();
let stopping;

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals a group, then waits until none of it is left. True when it ended
 * within the grace; otherwise it is killed.
 */
async function stopGroup(group, signal) {
  if (!groupAlive(group.pid)) return true;
  try {
    process.kill(-group.pid, signal);
  } catch {
    return true;
  }
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(group.pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(-group.pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
      return false;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Stops every group started here, newest first, each with the signal.
 * Resolves true when all of them ended within the grace.
 */
export function stopAll(signal = 'SIGTERM') {
  stopping ??= (async () => {
    let clean = true;
    for (const group of [...groups].reverse()) {
      clean = (await stopGroup(group, signal)) && clean;
      groups.delete(group);
    }
    return clean;
  })();
  return stopping;
}

/**
 * Spawns a command as the leader of a new process group, remembered so that
 * `stopAll` (and SIGTERM/SIGINT to this process) stop it with everything it
 * started.
 */
export function spawnGroup(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true });
  const group = { pid: child.pid };
  groups.add(group);
  child.on('exit', () => {
    // The leader left; the rest of its group may still run until stopAll.
    if (!groupAlive(group.pid)) groups.delete(group);
  });
  return child;
}

/**
 * SIGTERM and SIGINT stop every group (with the same signal) and wait for
 * them, then `afterStop`; the exit code is 0 when everything ended within
 * the grace, as a requested stop is not a failure.
 */
export function stopGroupsOnSignals(afterStop = async () => {}) {
  const stopAndExit = signal =>
    stopAll(signal)
      .then(async clean => {
        await afterStop();
        process.exit(clean ? 0 : 1);
      })
      .catch(() => process.exit(1));
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => stopAndExit(signal));
  }
  // A parent that died without passing a signal on (killed outright, or a
  // shell between npm and us) leaves us adopted: stop as if told to.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stopAndExit('SIGTERM');
  }, 1000).unref();
}
