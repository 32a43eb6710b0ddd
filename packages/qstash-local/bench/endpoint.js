/*
 * The no-op endpoint of the delivery benchmark, run as its own process (forked
 * with an IPC channel) so that it does not share an event loop with the server
 * or the load generator. It answers 200 to everything and notes, per sequence
 * number in `X-Bench-Seq`, how often and when it arrived and, when
 * `X-Bench-Sent` carries the send time, the send-to-arrival latency.
 *
 * Messages from the parent: {cmd: 'reset', capacity} starts a new phase,
 * {cmd: 'stats', id, killAt?, restartAt?, bitmap?} asks for the figures.
 */
const http = require('node:http');

// Epoch milliseconds with sub-millisecond precision; both processes read the
// same machine clock, so send and arrival times can be subtracted.
const nowMs = () => performance.timeOrigin + performance.now();

let phase;

function newPhase(capacity) {
  return {
    capacity,
    counts: new Uint16Array(capacity),
    firstArrival: new Float64Array(capacity),
    lastArrival: new Float64Array(capacity),
    latency: new Float64Array(capacity).fill(Number.NaN),
    requests: 0,
    unique: 0,
    outOfRange: 0,
    first: Number.POSITIVE_INFINITY,
    last: 0,
  };
}

function record(headers) {
  const at = nowMs();
  const p = phase;
  if (!p) return;
  p.requests += 1;
  const seq = Number(headers['x-bench-seq']);
  if (!Number.isInteger(seq) || seq < 0 || seq >= p.capacity) {
    p.outOfRange += 1;
    return;
  }
  if (p.counts[seq] === 0) {
    p.unique += 1;
    p.firstArrival[seq] = at;
    const sent = Number(headers['x-bench-sent']);
    if (Number.isFinite(sent)) p.latency[seq] = at - sent;
  }
  p.counts[seq] = Math.min(p.counts[seq] + 1, 65535);
  p.lastArrival[seq] = at;
  if (at < p.first) p.first = at;
  if (at > p.last) p.last = at;
}

function percentile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function stats({ killAt, restartAt, bitmap }) {
  const p = phase;
  const latencies = p.latency.filter(v => !Number.isNaN(v)).sort();
  let duplicates = 0;
  let repeatedAcrossKill = 0;
  const received = bitmap ? Buffer.alloc(p.capacity) : undefined;
  for (let seq = 0; seq < p.capacity; seq += 1) {
    const count = p.counts[seq];
    if (count === 0) continue;
    if (received) received[seq] = 1;
    if (count > 1) {
      duplicates += count - 1;
      // A repeat of a delivery the killed process made (before its exit was
      // seen, which can be a moment after the signal) that came again after
      // the restart: its outcome was not yet committed at the kill.
      if (
        killAt !== undefined &&
        p.firstArrival[seq] < restartAt &&
        p.lastArrival[seq] >= restartAt
      ) {
        repeatedAcrossKill += 1;
      }
    }
  }
  return {
    requests: p.requests,
    unique: p.unique,
    outOfRange: p.outOfRange,
    duplicates,
    repeatedAcrossKill,
    first: p.first,
    last: p.last,
    latency: {
      count: latencies.length,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.length ? latencies[latencies.length - 1] : Number.NaN,
    },
    received: received?.toString('base64'),
  };
}

const server = http.createServer((req, res) => {
  record(req.headers);
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-length': '0' }).end());
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

process.on('message', message => {
  if (message.cmd === 'reset') {
    phase = newPhase(message.capacity);
    process.send({ id: message.id });
  } else if (message.cmd === 'stats') {
    process.send({ id: message.id, stats: stats(message) });
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send({ ready: true, port: server.address().port });
});
