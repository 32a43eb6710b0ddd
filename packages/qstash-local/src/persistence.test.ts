import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@upstash/qstash';
import { serve } from '@upstash/workflow/express';
import {
  RecordingEndpoint,
  startRecordingEndpoint,
} from './__testUtils__/recordingEndpoint';
import { waitFor } from './__testUtils__/waitFor';
import { startWorkflowApp } from './__testUtils__/workflowApp';
import {
  serveOptions,
  waitForRun,
  workflowClient,
} from './__testUtils__/workflowFixtures';
import { startQStashLocal } from './index';

describe('a data file', () => {
  let directory: string;
  let endpoint: RecordingEndpoint;

  beforeEach(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'qstash-local-'));
    endpoint = await startRecordingEndpoint();
    endpoint.reply(request =>
      request.path.startsWith('/fail')
        ? { status: 500, body: 'down' }
        : { status: 200 },
    );
  });

  afterEach(async () => {
    await endpoint.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('keeps credentials, schedules, logs, dead letters, runs and waiting messages across a restart', async () => {
    const dataFile = path.join(directory, 'qstash.sqlite');
    const first = await startQStashLocal({ dataFile, retryTimeScale: 0.0001 });
    const firstClient = new Client({ baseUrl: first.url, token: first.token });
    const credentials = {
      token: first.token,
      current: first.currentSigningKey,
      next: first.nextSigningKey,
    };
    const { scheduleId } = await firstClient.schedules.create({
      destination: `${endpoint.url}/scheduled`,
      cron: '0 * * * *',
    });
    await firstClient.schedules.pause({ schedule: scheduleId });
    const failed = await firstClient.publish({
      url: `${endpoint.url}/fail`,
      retries: 0,
    });
    const waiting = await firstClient.publish({
      url: `${endpoint.url}/later`,
      delay: 3600,
    });
    await waitFor(
      async () => (await firstClient.dlq.listMessages()).messages.length === 1,
    );

    const app = await startWorkflowApp({
      '/wf': serve(async context => {
        await context.run('only', () => 'done');
      }, serveOptions(first)),
    });
    const { workflowRunId } = await workflowClient(first).trigger({
      url: `${app.url}/wf`,
    });
    await waitForRun(
      workflowClient(first),
      workflowRunId,
      r => r.workflowState === 'RUN_SUCCESS',
    );
    await app.close();
    await first.close();

    const second = await startQStashLocal({ dataFile, retryTimeScale: 0.0001 });
    try {
      expect({
        token: second.token,
        current: second.currentSigningKey,
        next: second.nextSigningKey,
      }).toEqual(credentials);
      const client = new Client({ baseUrl: second.url, token: second.token });

      const schedule = await client.schedules.get(scheduleId);
      expect(schedule).toMatchObject({
        destination: `${endpoint.url}/scheduled`,
        isPaused: true,
      });

      const { messages } = await client.dlq.listMessages();
      expect(messages.map(m => m.messageId)).toEqual([failed.messageId]);
      expect(messages[0]).toMatchObject({
        responseStatus: 500,
        responseBody: 'down',
      });

      const { logs } = await client.logs({ messageIds: [failed.messageId] });
      expect(logs.map(log => log.state)).toContain('FAILED');

      const { runs } = await workflowClient(second).logs({ workflowRunId });
      expect(runs[0].workflowState).toBe('RUN_SUCCESS');

      expect((await client.messages.get(waiting.messageId)).url).toBe(
        `${endpoint.url}/later`,
      );
      await second.runDue(Date.now() + 2 * 3_600_000);
      expect(endpoint.to('/later')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('uses configured credentials over stored ones and keeps rotated keys', async () => {
    const dataFile = path.join(directory, 'qstash.sqlite');
    const first = await startQStashLocal({
      dataFile,
      token: 'configured-token',
    });
    expect(first.token).toBe('configured-token');
    const rotated = await (
      await fetch(`${first.url}/v2/keys/rotate`, {
        method: 'POST',
        headers: { authorization: 'Bearer configured-token' },
      })
    ).json();
    await first.close();

    const second = await startQStashLocal({ dataFile });
    try {
      expect(second.token).toBe('configured-token');
      expect(second.currentSigningKey).toBe(rotated.current);
      expect(second.nextSigningKey).toBe(rotated.next);
    } finally {
      await second.close();
    }
  });
});
