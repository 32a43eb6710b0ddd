import { createBackendModule } from '@backstage/backend-plugin-api';
import { WorkflowRunner, workflowsRunnersExtensionPoint } from '../runners';

/** A backend module that registers one runner, for tests of the runner host. */
export function createRunnerModule(runner: WorkflowRunner<unknown>) {
  return createBackendModule({
    pluginId: 'workflows',
    moduleId: `test-runner-${runner.id}`,
    register(reg) {
      reg.registerInit({
        deps: { runners: workflowsRunnersExtensionPoint },
        async init({ runners }) {
          runners.addRunner(runner);
        },
      });
    },
  });
}
