// A workflow hosted outside the portal (tracked by URL) that sleeps between
// two steps, so a browser test can cancel a run while it waits.
import { serve } from '@upstash/workflow';
import { Client as QStashClient, Receiver } from '@upstash/qstash';
import http from 'node:http';

/** Starts the workflow on 127.0.0.1:`port`; resolves with its URL and close(). */
export async function startSleepingWorkflow({ port, qstash, sleepSeconds }) {
  const url = `http://127.0.0.1:${port}/sleeper`;
  const { handler } = serve(
    async context => {
      await context.run('Prepare', async () => 'prepared');
      await context.sleep('Wait for the next window', sleepSeconds);
      await context.run('Finish', async () => 'finished');
    },
    {
      url,
      qstashClient: new QStashClient({
        baseUrl: qstash.QSTASH_URL,
        token: qstash.QSTASH_TOKEN,
      }),
      receiver: new Receiver({
        currentSigningKey: qstash.QSTASH_CURRENT_SIGNING_KEY,
        nextSigningKey: qstash.QSTASH_NEXT_SIGNING_KEY,
      }),
      disableTelemetry: true,
    },
  );
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (
        typeof value === 'string' &&
        !['host', 'content-length', 'connection'].includes(name)
      ) {
        headers.set(name, value);
      }
    }
    const response = await handler(
      new Request(url, {
        method: req.method,
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise(resolve => server.listen(port, '127.0.0.1', resolve));
  return {
    url,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
