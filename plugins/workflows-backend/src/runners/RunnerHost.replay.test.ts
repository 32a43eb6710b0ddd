import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  createRunnerModule,
  createTestDatabases,
  qstashConfigFor,
} from '@internal/plugin-workflows-node/testUtils';
import type { WorkflowRunner } from '@internal/plugin-workflows-node';
import { QStashLocal, startQStashLocal } from '@internal/qstash-local';
import { Client as WorkflowClient } from '@upstash/workflow';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  CapturedDelivery,
  DeliveryRelay,
  RelayedResponse,
  startDeliveryRelay,
} from '../__testUtils__/deliveryRelay';
import { signDelivery } from '../__testUtils__/signDelivery';
import { workflowsPlugin } from '../plugin';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Long enough for copies of one delivery sent together to overlap. */
const STEP_MS = 400;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

interface Setup {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  stop(): Promise<void>;
  qstash: QStashLocal;
  relay: DeliveryRelay;
  /** The step executions of the counting runner, in order. */
  executions: string[];
  /** The runner URL QStash signs for (through the relay). */
  runnerUrl: string;
}

type RunnerBody = WorkflowRunner['run'];

/** Two steps in a row; the first takes STEP_MS. */
const sequentialSteps =
  (executions: string[]): RunnerBody =>
  async context => {
    await context.run('first', async () => {
      executions.push('first');
      await sleep(STEP_MS);
      return 'one';
    });
    await context.run('second', async () => {
      executions.push('second');
      return 'two';
    });
  };

async function startCountingBackend(
  databaseId: TestDatabaseId,
  body: (executions: string[]) => RunnerBody = sequentialSteps,
): Promise<Setup> {
  const knex = await databases.init(databaseId);
  const qstash = await startQStashLocal({ port: 0, retryTimeScale: 0.0005 });
  const relay = await startDeliveryRelay();
  const executions: string[] = [];
  const counter = createRunnerModule({
    id: 'counter',
    title: 'Counter',
    description: 'Counts step executions',
    owner: 'group:default/test',
    run: body(executions),
  });
  const backend = await startTestBackend({
    features: [
      workflowsPlugin,
      counter,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          workflows: {
            qstash: qstashConfigFor(qstash),
            runnerBaseUrl: `${relay.url}/api/workflows`,
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  relay.forwardTo(`http://127.0.0.1:${port}`);
  return {
    server: backend.server,
    async stop() {
      await backend.stop();
      await relay.close();
      await qstash.close();
    },
    qstash,
    relay,
    executions,
    runnerUrl: `${relay.url}/api/workflows/runners/counter`,
  };
}

/** Waits until QStash has runs and none of them is still running. */
async function settledRuns(setup: Setup) {
  const client = new WorkflowClient({
    baseUrl: setup.qstash.url,
    token: setup.qstash.token,
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { runs } = await client.logs({});
    if (runs.length > 0 && runs.every(r => r.workflowState !== 'RUN_STARTED'))
      return runs;
    if (Date.now() > deadline) {
      throw new Error(
        `runs did not settle: ${JSON.stringify(
          runs.map(r => [r.workflowRunId, r.workflowState]),
        )}`,
      );
    }
    await sleep(50);
  }
}

/** Sends a captured delivery to the backend itself, as an attacker would. */
function replay(setup: Setup, delivery: CapturedDelivery) {
  return (
    request(setup.server)
      .post(delivery.path)
      .set(delivery.headers)
      // As text: superagent would JSON-encode a Buffer under a JSON content type.
      .send(delivery.body.toString('utf8'))
  );
}

/** The delivery that executes the run's first step: nothing finished yet. */
function isFirstStepDelivery(delivery: CapturedDelivery): boolean {
  if (!delivery.headers['upstash-workflow-runid']) return false;
  if (delivery.headers['upstash-workflow-failure-callback']) return false;
  try {
    const steps = JSON.parse(delivery.body.toString('utf8')) as unknown[];
    return Array.isArray(steps) && steps.length === 1;
  } catch {
    return false;
  }
}

/** The answer QStash gets for a delivery sent several times: a 2xx if any. */
function answerFor(responses: RelayedResponse[]): RelayedResponse {
  return responses.find(r => r.status < 300) ?? responses[0];
}

describe('runner endpoints and replayed deliveries', () => {
  let setup: Setup | undefined;
  afterEach(async () => {
    await setup?.stop();
    setup = undefined;
  });

  it.each(databases.eachSupportedId())(
    'refuse a replayed first request with 401, so it starts no second run, on %p',
    async databaseId => {
      setup = await startCountingBackend(databaseId);
      const body = JSON.stringify({ hello: 'world' });
      const signature = await signDelivery(body, setup.runnerUrl, {
        key: setup.qstash.currentSigningKey,
      });
      const send = () =>
        request(setup!.server)
          .post('/api/workflows/runners/counter')
          .set('content-type', 'application/json')
          .set('upstash-signature', signature)
          .send(body);

      expect((await send()).status).toBe(200);
      const replayed = await send();
      expect(replayed.status).toBe(401);
      expect(replayed.body.error).toEqual({
        name: 'AuthenticationError',
        message: expect.stringMatching(/already used/),
      });

      const runs = await settledRuns(setup);
      expect(runs).toHaveLength(1);
      expect(runs[0].workflowState).toBe('RUN_SUCCESS');
      expect(setup.executions).toEqual(['first', 'second']);
    },
  );

  it.each(databases.eachSupportedId())(
    'accept one of three identical first requests sent at once, on %p',
    async databaseId => {
      setup = await startCountingBackend(databaseId);
      const body = JSON.stringify({ hello: 'world' });
      const signature = await signDelivery(body, setup.runnerUrl, {
        key: setup.qstash.currentSigningKey,
      });
      const responses = await Promise.all(
        [1, 2, 3].map(() =>
          request(setup!.server)
            .post('/api/workflows/runners/counter')
            .set('content-type', 'application/json')
            .set('upstash-signature', signature)
            .send(body),
        ),
      );
      expect(responses.map(r => r.status).sort()).toEqual([200, 401, 401]);

      const runs = await settledRuns(setup);
      expect(runs).toHaveLength(1);
      expect(setup.executions).toEqual(['first', 'second']);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuse a step delivery replayed after it ran, on %p',
    async databaseId => {
      setup = await startCountingBackend(databaseId);
      const client = new WorkflowClient({
        baseUrl: setup.qstash.url,
        token: setup.qstash.token,
      });
      await client.trigger({
        url: setup.runnerUrl,
        body: {},
        retries: 0,
      });
      await settledRuns(setup);
      expect(setup.executions).toEqual(['first', 'second']);

      const captured = setup.relay.deliveries.filter(isFirstStepDelivery);
      expect(captured).toHaveLength(1);
      const replayed = await replay(setup, captured[0]);
      expect(replayed.status).toBe(401);
      expect(replayed.body.error.message).toMatch(/already used/);
      expect(setup.executions).toEqual(['first', 'second']);
    },
  );

  it.each(databases.eachSupportedId())(
    'execute a step once when the same signed delivery arrives three times at once, on %p',
    async databaseId => {
      setup = await startCountingBackend(databaseId);
      const statuses: number[] = [];
      setup.relay.intercept(isFirstStepDelivery, async (delivery, forward) => {
        const responses = await Promise.all(
          [1, 2, 3].map(() => forward(delivery)),
        );
        statuses.push(...responses.map(r => r.status));
        return answerFor(responses);
      });
      const client = new WorkflowClient({
        baseUrl: setup.qstash.url,
        token: setup.qstash.token,
      });
      await client.trigger({
        url: setup.runnerUrl,
        body: {},
        retries: 0,
      });

      const runs = await settledRuns(setup);
      expect(runs.map(r => r.workflowState)).toEqual(['RUN_SUCCESS']);
      expect(statuses.sort()).toEqual([200, 401, 401]);
      expect(setup.executions).toEqual(['first', 'second']);
    },
  );

  it.each(databases.eachSupportedId())(
    'execute a step once when QStash delivers it three times at once with fresh signatures, on %p',
    async databaseId => {
      setup = await startCountingBackend(databaseId);
      const answers: Array<{ status: number; duplicate: boolean }> = [];
      const key = setup.qstash.currentSigningKey;
      const runnerUrl = setup.runnerUrl;
      setup.relay.intercept(isFirstStepDelivery, async (delivery, forward) => {
        // Each copy is signed anew, as QStash signs every attempt: only the
        // step lease can tell them apart from distinct deliveries.
        const copies = await Promise.all(
          [1, 2, 3].map(async () => ({
            ...delivery,
            headers: {
              ...delivery.headers,
              'upstash-signature': await signDelivery(
                delivery.body,
                runnerUrl,
                {
                  key,
                },
              ),
            },
          })),
        );
        const responses = await Promise.all(copies.map(copy => forward(copy)));
        answers.push(
          ...responses.map(r => ({
            status: r.status,
            duplicate: r.body.toString('utf8').includes('"duplicate":true'),
          })),
        );
        return answerFor(responses);
      });
      const client = new WorkflowClient({
        baseUrl: setup.qstash.url,
        token: setup.qstash.token,
      });
      await client.trigger({
        url: setup.runnerUrl,
        body: {},
        retries: 0,
      });

      const runs = await settledRuns(setup);
      expect(runs.map(r => r.workflowState)).toEqual(['RUN_SUCCESS']);
      expect(setup.executions).toEqual(['first', 'second']);
      // Duplicates get a 2xx so that QStash does not retry them into a second execution.
      expect(answers.map(a => a.status)).toEqual([200, 200, 200]);
      expect(answers.filter(a => a.duplicate)).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'still execute every branch of parallel steps, which run at the same time, on %p',
    async databaseId => {
      setup = await startCountingBackend(
        databaseId,
        executions => async context => {
          await Promise.all(
            ['left', 'right'].map(branch =>
              context.run(branch, async () => {
                executions.push(branch);
                await sleep(STEP_MS);
                return branch;
              }),
            ),
          );
          await context.run('after', async () => {
            executions.push('after');
          });
        },
      );
      const client = new WorkflowClient({
        baseUrl: setup.qstash.url,
        token: setup.qstash.token,
      });
      await client.trigger({ url: setup.runnerUrl, body: {}, retries: 0 });

      const runs = await settledRuns(setup);
      expect(runs.map(r => r.workflowState)).toEqual(['RUN_SUCCESS']);
      expect([...setup.executions].sort()).toEqual(['after', 'left', 'right']);
    },
  );
});
