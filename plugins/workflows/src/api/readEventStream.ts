/**
 * Reads a `text/event-stream` body and calls `onData` with the data of each
 * event (multi-line data joined with "\n"). Comments (heartbeats) and fields
 * other than `data` are skipped; an event cut off by the end of the stream is
 * dropped, as the EventSource specification says.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onData: (data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let dataLines: string[] = [];

  const takeLine = (line: string) => {
    if (line === '') {
      if (dataLines.length > 0) {
        const data = dataLines.join('\n');
        dataLines = [];
        onData(data);
      }
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    dataLines.push(value);
  };

  try {
    // A chunk may end between the "\r" and "\n" of one line break.
    let skipLeadingLineFeed = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let text = decoder.decode(value, { stream: true });
      if (text === '') continue;
      if (skipLeadingLineFeed && text.startsWith('\n')) text = text.slice(1);
      skipLeadingLineFeed = text.endsWith('\r');
      const lines = (buffer + text).split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) takeLine(line);
    }
  } finally {
    reader.releaseLock();
  }
}
