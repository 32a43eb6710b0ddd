import type { WorkflowRunner } from '@internal/plugin-workflows-node';
import { RunnerSettings } from './runnerSettings';

/** The scheduled entry point: starts the cars and COE workflows, as the original `/workflows/trigger` did. */
export function createTriggerRunner(
  settings: RunnerSettings,
): WorkflowRunner<unknown> {
  return {
    id: 'trigger',
    title: 'Data update trigger',
    description:
      'Runs on the schedule and starts the car registrations and COE results workflows',
    owner: settings.owner,
    schedule: settings.schedule,
    requiredEnv: [
      'QSTASH_TOKEN',
      'QSTASH_CURRENT_SIGNING_KEY',
      'QSTASH_NEXT_SIGNING_KEY',
    ],
    envVars: [
      { name: 'QSTASH_TOKEN', format: 'token' },
      { name: 'QSTASH_CURRENT_SIGNING_KEY', format: 'prefix:sig_' },
      { name: 'QSTASH_NEXT_SIGNING_KEY', format: 'prefix:sig_' },
    ],
    async run(context, services) {
      return context.run('Trigger cars and coe', async () => {
        const started = await services.workflowClient.trigger([
          { url: services.urlOf('cars'), body: {} },
          { url: services.urlOf('coe'), body: {} },
        ]);
        return started.map(s => s.workflowRunId);
      });
    },
  };
}
