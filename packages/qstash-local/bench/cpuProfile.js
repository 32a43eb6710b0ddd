/*
 * Reads a V8 .cpuprofile (node --cpu-prof) and sums self time per function,
 * to point at where the server spends its time.
 */
const fs = require('node:fs');
const path = require('node:path');

function topFunctions(file, limit, root) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const selfMicros = new Map();
  const deltas = profile.timeDeltas;
  // Each sample is charged the time until the next one, as Chrome's viewer does.
  for (let i = 0; i < profile.samples.length; i += 1) {
    const node = byId.get(profile.samples[i]);
    const micros = deltas[i + 1] ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.startsWith('file://')
      ? `${path.relative(root, url.slice('file://'.length))}:${lineNumber + 1}`
      : url;
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    selfMicros.set(key, (selfMicros.get(key) ?? 0) + micros);
  }
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
  const idle = selfMicros.get('(idle)') ?? 0;
  const rows = [...selfMicros.entries()]
    .filter(([key]) => key !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, micros]) => ({
      key,
      ms: micros / 1000,
      share: micros / total,
    }));
  return { totalMs: total / 1000, idleMs: idle / 1000, rows };
}

module.exports = { topFunctions };
