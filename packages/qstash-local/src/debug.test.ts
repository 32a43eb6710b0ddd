import { serve } from '@upstash/workflow/express';
import { apiClient } from './__testUtils__/apiClient';
import { startWorkflowApp } from './__testUtils__/workflowApp';
import { serveOptions, workflowClient } from './__testUtils__/workflowFixtures';
import { startRecordingEndpoint } from './__testUtils__/recordingEndpoint';
import { startQStashLocal } from './index';
import { sleep } from './__testUtils__/waitFor';

it('debug', async () => {
  const server = await startQStashLocal({ retryTimeScale: 0.0001, onError: e => console.log('ONERR', e) });
  const external = await startRecordingEndpoint();
  const app = await startWorkflowApp({
    '/caller': serve(async context => {
      const response = await context.call('ask', { url: `${external.url}/answer`, method: 'POST', body: { q: 1 } });
      await context.run('use', () => response.status);
    }, serveOptions(server)),
  });
  await workflowClient(server).trigger({ url: `${app.url}/caller` });
  await sleep(2000);
  const api = apiClient(server.url, server.token);
  console.log(JSON.stringify((await api.get('/v2/logs')).json.logs.map((l: any) => [l.state, l.url, l.error, l.responseStatus, l.responseBody && Buffer.from(l.responseBody, 'base64').toString()]), null, 1));
  console.log(external.requests.length);
  await app.close(); await server.close(); await external.close();
}, 20000);
