import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { DiscoveryService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { qstashConfigFor } from '@internal/plugin-workflows-node/testUtils';
import workflowsPlugin from '@internal/plugin-workflows-backend';
import { startQStashLocal } from '@internal/qstash-local';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowsApi } from '../WorkflowsApi';
import { createCronValidateAction } from './cronValidate';
import { createRegisterAction } from './register';
import { createScheduleCreateAction } from './scheduleCreate';

jest.setTimeout(60_000);

const WORKFLOW_URL = 'https://jobs.example.com/api/workflows/invoice-reminders';

/** The actions talk to a real workflows backend, which talks to a local QStash. */
async function startWorkflowsBackend(qstash: object | undefined) {
  const backend = await startTestBackend({
    features: [
      workflowsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          workflows: {
            runnerBaseUrl: 'http://portal.test/api/workflows',
            ...(qstash && { qstash }),
            history: { syncIntervalSeconds: 3600 },
          },
        },
      }),
    ],
  });
  const { port } = (backend.server as Server).address() as AddressInfo;
  const discovery: DiscoveryService = {
    getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
    getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
  };
  const api = new WorkflowsApi({
    discovery,
    auth: mockServices.auth({ pluginId: 'scaffolder' }),
  });
  return { backend, api };
}

describe('workflows scaffolder actions', () => {
  let qstash: Awaited<ReturnType<typeof startQStashLocal>>;
  let api: WorkflowsApi;
  let stop: () => Promise<void>;

  const onQStash = async () => {
    const response = await fetch(`${qstash.url}/v2/schedules`, {
      headers: { authorization: `Bearer ${qstash.token}` },
    });
    return (await response.json()) as Array<{
      scheduleId: string;
      destination: string;
      cron: string;
    }>;
  };

  beforeAll(async () => {
    qstash = await startQStashLocal({ port: 0 });
    const started = await startWorkflowsBackend(qstashConfigFor(qstash));
    api = started.api;
    stop = () => started.backend.stop();
  });
  afterAll(async () => {
    await stop();
    await qstash.close();
  });

  describe('workflows:cron:validate', () => {
    const action = () => createCronValidateAction({ api });

    it('gives the cron in words and the next five fire times in the zone', async () => {
      const ctx = createMockActionContext({
        input: { cron: '0  9 * * 1-5', timezone: 'Asia/Singapore' },
      });
      await action().handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('cron', '0 9 * * 1-5');
      expect(ctx.output).toHaveBeenCalledWith('timezone', 'Asia/Singapore');
      expect(ctx.output).toHaveBeenCalledWith(
        'description',
        'At 09:00, Monday through Friday',
      );
      const times = (ctx.output as jest.Mock).mock.calls.find(
        ([name]) => name === 'nextFireTimes',
      )?.[1] as string[];
      expect(times).toHaveLength(5);
      for (const time of times) expect(time).toMatch(/T09:00:00\+08:00$/);
    });

    it('fails with the reason for an invalid cron', async () => {
      const ctx = createMockActionContext({
        input: { cron: '0 9 * *', timezone: 'UTC' },
      });
      await expect(action().handler(ctx)).rejects.toThrow(
        /Invalid schedule "0 9 \* \*" in UTC: .*has 4 fields; QStash takes five/,
      );
      expect(ctx.output).not.toHaveBeenCalled();
    });

    it('fails with the reason for an unknown zone', async () => {
      const ctx = createMockActionContext({
        input: { cron: '0 9 * * *', timezone: 'Europe/Atlantis' },
      });
      await expect(action().handler(ctx)).rejects.toThrow(
        /unknown time zone "Europe\/Atlantis"/,
      );
    });

    it('runs in dry runs too (it writes nothing)', () => {
      expect(action().supportsDryRun).toBe(true);
      expect(action().schema?.input).toMatchObject({
        required: expect.arrayContaining(['cron']),
      });
      expect(action().schema?.output).toMatchObject({
        properties: expect.objectContaining({
          description: expect.anything(),
          nextFireTimes: expect.anything(),
        }),
      });
    });
  });

  describe('workflows:register + workflows:schedule:create', () => {
    const input = {
      url: WORKFLOW_URL,
      cron: '0 9 * * 1-5',
      timezone: 'Asia/Singapore',
      scheduleId: 'workflow-invoice-reminders',
    };

    it('registers the workflow, creates its schedule once, and a second run changes nothing', async () => {
      const register = createRegisterAction({
        api,
        appBaseUrl: 'http://portal.test',
      });
      const registered = createMockActionContext({
        input: {
          workflowId: 'invoice-reminders',
          title: 'Invoice reminders',
          owner: 'group:default/billing',
          url: WORKFLOW_URL,
          cron: input.cron,
          timezone: input.timezone,
          requiredEnv: ['BILLING_API_KEY'],
        },
      });
      await register.handler(registered);
      expect(registered.output).toHaveBeenCalledWith(
        'workflowPageUrl',
        'http://portal.test/workflows/invoice-reminders',
      );
      expect(registered.output).toHaveBeenCalledWith('changed', true);

      const action = createScheduleCreateAction({ api });
      const first = createMockActionContext({ input });
      await action.handler(first);
      expect(first.output).toHaveBeenCalledWith(
        'scheduleId',
        'workflow-invoice-reminders',
      );
      expect(first.output).toHaveBeenCalledWith('created', true);

      const second = createMockActionContext({ input });
      await action.handler(second);
      expect(second.output).toHaveBeenCalledWith('created', false);
      expect(second.output).toHaveBeenCalledWith('changed', false);

      const schedules = await onQStash();
      expect(schedules.filter(s => s.destination === WORKFLOW_URL)).toEqual([
        expect.objectContaining({
          scheduleId: 'workflow-invoice-reminders',
          cron: 'CRON_TZ=Asia/Singapore 0 9 * * 1-5',
        }),
      ]);

      // The same id with another cron updates that schedule, still one.
      const moved = createMockActionContext({
        input: { ...input, cron: '30 8 * * 1-5' },
      });
      await action.handler(moved);
      expect(moved.output).toHaveBeenCalledWith('changed', true);
      const after = (await onQStash()).filter(
        s => s.destination === WORKFLOW_URL,
      );
      expect(after).toHaveLength(1);
      expect(after[0].cron).toBe('CRON_TZ=Asia/Singapore 30 8 * * 1-5');

      // The registration a second time is a no-op too.
      const again = createMockActionContext({ input: registered.input });
      await register.handler(again);
      expect(again.output).toHaveBeenCalledWith('changed', false);
    });

    it('writes nothing in a dry run', async () => {
      const action = createScheduleCreateAction({ api });
      const ctx = {
        ...createMockActionContext({
          input: { ...input, scheduleId: 'dry-run-only' },
        }),
        isDryRun: true,
      };
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('scheduleId', 'dry-run-only');
      expect(
        (await onQStash()).some(s => s.scheduleId === 'dry-run-only'),
      ).toBe(false);
    });

    it('fails with the reason for an invalid cron or zone, before writing', async () => {
      const action = createScheduleCreateAction({ api });
      await expect(
        action.handler(
          createMockActionContext({
            input: { ...input, scheduleId: 'bad-cron', cron: '* * *' },
          }),
        ),
      ).rejects.toThrow(
        /Could not create schedule "bad-cron": .*cron: "\* \* \*" has 3 fields/,
      );
      await expect(
        action.handler(
          createMockActionContext({
            input: {
              ...input,
              scheduleId: 'bad-zone',
              timezone: 'Mars/Olympus',
            },
          }),
        ),
      ).rejects.toThrow(/unknown time zone "Mars\/Olympus"/);
      await expect(
        action.handler(
          createMockActionContext({
            input: { ...input, scheduleId: 'no spaces' },
          }),
        ),
      ).rejects.toThrow(/scheduleId: a schedule id is letters/);
      const ids = (await onQStash()).map(s => s.scheduleId);
      expect(ids).not.toContain('bad-cron');
      expect(ids).not.toContain('bad-zone');
    });
  });

  it('fails with the QStash error when QStash does not answer, and leaks no token', async () => {
    const down = await startQStashLocal({ port: 0 });
    const config = qstashConfigFor(down);
    await down.close();
    const started = await startWorkflowsBackend(config);
    try {
      const action = createScheduleCreateAction({ api: started.api });
      const ctx = createMockActionContext({
        input: {
          url: WORKFLOW_URL,
          cron: '0 9 * * *',
          timezone: 'UTC',
          scheduleId: 'qstash-down',
        },
      });
      const error = await action.handler(ctx).then(
        () => undefined,
        e => e as Error,
      );
      expect(error?.message).toMatch(
        /^Could not read schedule "qstash-down": /,
      );
      expect(error?.message).not.toContain(config.token);
      expect(ctx.output).not.toHaveBeenCalled();
    } finally {
      await started.backend.stop();
    }
  });

  it('is refused without the permission of the task user', async () => {
    const denied = await startTestBackend({
      features: [
        workflowsPlugin,
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        mockServices.rootConfig.factory({
          data: {
            workflows: { qstash: qstashConfigFor(qstash) },
          },
        }),
      ],
    });
    try {
      const { port } = (denied.server as Server).address() as AddressInfo;
      const deniedApi = new WorkflowsApi({
        discovery: {
          getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
          getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
        },
        auth: mockServices.auth({ pluginId: 'scaffolder' }),
      });
      const ctx = createMockActionContext({
        input: {
          url: WORKFLOW_URL,
          cron: '0 9 * * *',
          timezone: 'UTC',
          scheduleId: 'not-allowed',
        },
      });
      ctx.getInitiatorCredentials = async () =>
        mockCredentials.user('user:default/visitor');
      await expect(
        createScheduleCreateAction({ api: deniedApi }).handler(ctx),
      ).rejects.toThrow(/Missing permission workflows.schedule.update/);
      expect((await onQStash()).some(s => s.scheduleId === 'not-allowed')).toBe(
        false,
      );
    } finally {
      await denied.stop();
    }
  });
});
