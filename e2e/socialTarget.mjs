// A local stand-in for a Discord webhook: it records posts and failure alerts,
// and can be told to answer social posts with HTTP 500, as an outage would.
import http from 'node:http';

/**
 * Listens on 127.0.0.1:`port`. `posts` are the messages it accepted,
 * `alerts` the "Workflow failed" embeds, `refused` how many posts it
 * answered with 500 while `broken` was true.
 */
export async function startSocialTarget({ port }) {
  const state = { broken: false, posts: [], alerts: [], refused: 0 };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => {
      raw += chunk;
    });
    req.on('end', () => {
      const reply = (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST') {
        reply(200, { name: 'e2e target' });
        return;
      }
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        reply(400, { message: 'not JSON' });
        return;
      }
      if (Array.isArray(body.embeds)) {
        state.alerts.push(body.embeds[0]);
        reply(200, { id: `alert-${state.alerts.length}` });
        return;
      }
      if (state.broken) {
        state.refused += 1;
        reply(500, { message: '500: Internal Server Error', code: 0 });
        return;
      }
      state.posts.push(body.content);
      reply(200, { id: `post-${state.posts.length}` });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    state,
    webhookUrl: `http://127.0.0.1:${port}/api/webhooks/1/e2e-webhook-token`,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}
