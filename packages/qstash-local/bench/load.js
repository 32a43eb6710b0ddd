/*
 * The load generator: autocannon, where every request carries a unique
 * sequence number (and, when asked, its send time) and the answers with 200
 * are noted per sequence number.
 */
const autocannon = require('autocannon');

const nowMs = () => performance.timeOrigin + performance.now();

/**
 * Runs one autocannon load. `amount` or `duration` (s) bound it, `overallRate`
 * caps requests per second. `onAccepted(count)` is called on each 200.
 */
async function runLoad({
  url,
  connections,
  amount,
  duration,
  overallRate,
  headers,
  body,
  seqHeader,
  sentHeader,
  capacity,
  onAccepted,
}) {
  const accepted = new Uint8Array(capacity);
  const statuses = {};
  let nextSeq = 0;
  let acceptedCount = 0;
  let connectionErrors = 0;
  let lastAnswerAt;
  const request = {
    method: 'POST',
    body,
    setupRequest(req, context) {
      // Built right before it is written to the socket (autocannon rebuilds
      // requests that have a setupRequest), so the send time is accurate.
      const seq = nextSeq++;
      context.seq = seq;
      req.headers[seqHeader] = String(seq);
      if (sentHeader) req.headers[sentHeader] = nowMs().toFixed(3);
      return req;
    },
    onResponse(status, _body, context) {
      lastAnswerAt = nowMs();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 200) return;
      const seq = context.seq;
      if (seq < capacity && accepted[seq] === 0) {
        accepted[seq] = 1;
        acceptedCount += 1;
        onAccepted?.(acceptedCount);
      }
    },
  };
  const started = nowMs();
  const settings = {
    url,
    connections,
    headers,
    requests: [request],
    // A delivery-side stall must not hide behind autocannon's 10 s default.
    timeout: 30,
  };
  // autocannon rejects keys that are present but undefined.
  if (amount !== undefined) settings.amount = amount;
  if (duration !== undefined) settings.duration = duration;
  if (overallRate !== undefined) settings.overallRate = overallRate;
  const instance = autocannon(settings);
  instance.on('reqError', () => {
    connectionErrors += 1;
  });
  const result = await instance;
  // autocannon resolves only at its next once-a-second sample, so the time
  // until it resolves overstates the run by up to a second; rates use the
  // last answer instead.
  const ended = lastAnswerAt ?? nowMs();
  return {
    started,
    ended,
    seconds: (ended - started) / 1000,
    sent: nextSeq,
    acceptedCount,
    accepted,
    statuses,
    connectionErrors,
    autocannonErrors: result.errors,
    autocannonTimeouts: result.timeouts,
    latency: result.latency,
  };
}

module.exports = { runLoad, nowMs };
