import { systemClock } from '../clock';
import { parseMessageConfig } from '../config/parseMessageConfig';
import { openDatabase } from '../store/database';
import { Stores } from '../store/stores';
import { MessageLog } from './messageLog';
import { PublishRequest, Publisher } from './publisher';

function request(destination: string, body: string): PublishRequest {
  return {
    config: parseMessageConfig(destination, {}),
    body: Buffer.from(body),
    context: { callerIp: '127.0.0.1' },
  };
}

describe('Publisher.publishAllSoon', () => {
  it('commits the calls of one turn together, each accepted whole or not at all', async () => {
    const stores = new Stores(openDatabase(undefined));
    const woken: number[] = [];
    const publisher = new Publisher(
      stores,
      systemClock,
      new MessageLog(stores.logs),
      dueAt => woken.push(dueAt),
    );
    const broken = request('http://example.com/b', 'b');
    // A URL the store cannot split into host and path makes the insert throw.
    broken.config = { ...broken.config, url: 'not a url' };

    const first = publisher.publishAllSoon([
      request('http://example.com/a', 'a'),
    ]);
    const failing = publisher.publishAllSoon([
      request('http://example.com/c', 'c'),
      broken,
    ]);
    const last = publisher.publishAllSoon([
      request('http://example.com/d', 'd'),
    ]);
    // Nothing is written before the shared commit.
    expect(stores.messages.find({ urls: ['http://example.com/a'] })).toEqual(
      [],
    );

    const [a] = await first;
    await expect(failing).rejects.toThrow();
    const [d] = await last;

    const stored = stores.messages
      .find({ hosts: ['example.com'] })
      .map(message => message.messageId);
    expect(stored.sort()).toEqual([a.messageId, d.messageId].sort());
    // The failed call's first message was rolled back with it, log included.
    expect(
      stores.logs.list({ urls: ['http://example.com/c'] }, 10).entries,
    ).toEqual([]);
    expect(woken).toHaveLength(2);
    stores.db.close();
  });
});
