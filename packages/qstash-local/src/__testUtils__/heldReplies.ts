import { RecordedRequest, RecordingEndpoint } from './recordingEndpoint';

/**
 * Makes an endpoint hold its answer to requests whose path starts with
 * `path` until the test releases them, and counts how many it holds at once.
 */
export function holdReplies(endpoint: RecordingEndpoint, path = '/hold') {
  const held: Array<{ request: RecordedRequest; release: () => void }> = [];
  let maxHeld = 0;
  endpoint.reply(async request => {
    if (!request.path.startsWith(path)) return { status: 200 };
    await new Promise<void>(release => {
      held.push({ request, release });
      maxHeld = Math.max(maxHeld, held.length);
    });
    return { status: 200 };
  });
  const releaseFirst = () => {
    const first = held.shift();
    first?.release();
    return first?.request;
  };
  return {
    /** Requests answered later, oldest first. */
    get held() {
      return held.map(entry => entry.request);
    },
    /** Most requests held at the same time so far. */
    get maxHeld() {
      return maxHeld;
    },
    releaseFirst,
    releaseAll() {
      while (held.length) releaseFirst();
    },
  };
}
