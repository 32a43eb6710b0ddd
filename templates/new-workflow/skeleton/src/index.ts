import { serve } from '@upstash/workflow';
import { steps } from './steps';
import { failureFunction, runWorkflow } from './workflow';

/**
 * The HTTP handler QStash calls at ${{ values.workflowUrl }}.
 * It reads QSTASH_TOKEN and the signing keys from the environment.
 */
export const { handler } = serve(context => runWorkflow(context, steps), {
  failureFunction,
});
