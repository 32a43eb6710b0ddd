import type { WorkflowContext } from '@upstash/workflow';
import { RunJournal } from '../database/RunJournal';

/**
 * The workflow context handed to a runner, with every `context.run` step
 * journaled when it actually executes (replayed steps are not executed and
 * so not journaled twice).
 */
export function journaledContext<TPayload>(
  context: WorkflowContext<TPayload>,
  options: { journal: RunJournal; workflowId: string; attempt: number },
): WorkflowContext<TPayload> {
  const { journal, workflowId, attempt } = options;
  const run = <TResult>(
    stepName: string,
    stepFunction: () => TResult | Promise<TResult>,
  ): Promise<TResult> =>
    context.run(stepName, async (): Promise<TResult> => {
      const runId = context.workflowRunId;
      await journal.runStarted(runId, workflowId);
      const startedAt = Date.now();
      const eventId = await journal.stepStarted({
        runId,
        workflowId,
        stepName,
        attempt,
      });
      try {
        const output = await stepFunction();
        await journal.stepFinished(runId, eventId, startedAt, {
          status: 'succeeded',
          output,
        });
        return output;
      } catch (error) {
        await journal.stepFinished(runId, eventId, startedAt, {
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
    });

  // Methods are bound to the real context: it keeps private state a proxy cannot reach.
  return new Proxy(context, {
    get(target, property) {
      if (property === 'run') return run;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
