import { readEventStream } from './readEventStream';

/** A body that delivers exactly these chunks, as a network might. */
function bodyOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function eventsOf(chunks: string[]): Promise<string[]> {
  const events: string[] = [];
  await readEventStream(bodyOf(chunks), data => events.push(data));
  return events;
}

describe('readEventStream', () => {
  it('reads one event per blank line, skipping comments and other fields', async () => {
    expect(
      await eventsOf([
        ': connected\n\n',
        'event: run\nid: 1\ndata: {"a":1}\n\n',
        'retry: 1000\n\n',
        'data:{"b":2}\n\n',
      ]),
    ).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('joins the data lines of one event with newlines', async () => {
    expect(await eventsOf(['data: first\ndata: second\n\n'])).toEqual([
      'first\nsecond',
    ]);
  });

  it('reassembles events and lines split across chunks', async () => {
    expect(
      await eventsOf(['da', 'ta: {"run":', '"x"}', '\n', '\ndata: y\n\n']),
    ).toEqual(['{"run":"x"}', 'y']);
  });

  it('takes CRLF and CR line ends, also when a CRLF is split between chunks', async () => {
    expect(
      await eventsOf(['data: a\r', '\ndata: b\r\n\r\n', 'data: c\r\r']),
    ).toEqual(['a\nb', 'c']);
  });

  it('decodes characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: 日本\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const events: string[] = [];
    await readEventStream(body, data => events.push(data));
    expect(events).toEqual(['日本']);
  });

  it('drops an event the stream ends in the middle of', async () => {
    expect(await eventsOf(['data: whole\n\n', 'data: cut'])).toEqual(['whole']);
  });

  it('stops reading when the handler throws, with its error', async () => {
    await expect(
      readEventStream(bodyOf(['data: bad\n\n', 'data: never\n\n']), () => {
        throw new Error('not a run');
      }),
    ).rejects.toThrow('not a run');
  });
});
