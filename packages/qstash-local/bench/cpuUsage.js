/*
 * CPU time of the benchmark's processes, read from /proc (Linux), so that a
 * phase can say how much processor time each process spent per message and
 * what rate the machine's cores allow at those costs.
 */
const fs = require('node:fs');
const os = require('node:os');
const { execFileSync } = require('node:child_process');

function clockTicksPerSecond() {
  try {
    return (
      Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
    );
  } catch {
    return 100;
  }
}

const available = fs.existsSync('/proc/self/stat');
const ticksPerSecond = available ? clockTicksPerSecond() : 100;

/** User plus system CPU time of a process and all its threads, in ms. */
function processCpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** Idle and total time of all cores since boot, in ms (idle counts iowait). */
function machineMs() {
  const [, ...fields] = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .split(/\s+/);
  const ticks = fields.filter(Boolean).map(Number);
  const total = ticks.reduce((sum, n) => sum + n, 0);
  return {
    idle: ((ticks[3] + ticks[4]) * 1000) / ticksPerSecond,
    total: (total * 1000) / ticksPerSecond,
  };
}

/** CPU times (ms) of the named pids and of this process; undefined off Linux. */
function snapshot(pids) {
  if (!available) return undefined;
  const own = process.cpuUsage();
  const times = { generator: (own.user + own.system) / 1000 };
  for (const [name, pid] of Object.entries(pids))
    times[name] = processCpuMs(pid);
  return { times, machine: machineMs() };
}

/**
 * Microseconds of CPU per message for each process between two snapshots,
 * and the share of the machine's CPU time that was idle (`idleShare`).
 */
function perMessageUs(before, after, messages) {
  if (!before || !after) return undefined;
  const result = {};
  for (const name of Object.keys(before.times)) {
    result[name] = ((after.times[name] - before.times[name]) * 1000) / messages;
  }
  result.idleShare =
    (after.machine.idle - before.machine.idle) /
    (after.machine.total - before.machine.total);
  return result;
}

/** Messages per second all cores allow when each costs `totalUs` of CPU. */
function cpuCeiling(totalUs) {
  return (os.cpus().length * 1e6) / totalUs;
}

module.exports = { snapshot, perMessageUs, cpuCeiling, available };
