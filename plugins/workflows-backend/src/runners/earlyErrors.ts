import {
  WorkflowAbort,
  WorkflowContext,
  WorkflowNonRetryableError,
} from '@upstash/workflow';

/**
 * Runs a runner's route function so that an error it throws before its first
 * step cannot hide the run's failure.
 *
 * `serve` runs the route function twice per call: first as a dry run with a
 * disabled context (its `disabled` flag is set) that only looks for the
 * first step, then for real. Before a failure function it does only the dry
 * run, and gives up when that throws. A runner that throws before its first
 * step would so never have its failure function run, nor its run recorded
 * as failed. In the dry run such an error therefore counts as "a step was
 * found"; the real run that follows throws the error itself, with its
 * message, and QStash retries and fails the run as for any failing step.
 */
export async function withEarlyErrorsReported<T>(
  context: WorkflowContext<unknown>,
  routeFunction: () => Promise<T>,
): Promise<T> {
  try {
    return await routeFunction();
  } catch (error) {
    const isDryRun = (context as { disabled?: unknown }).disabled === true;
    // WorkflowAbort subclasses are how the dry run learns what it looks for.
    if (isDryRun && !(error instanceof WorkflowAbort)) {
      throw new WorkflowNonRetryableError(
        error instanceof Error ? error.message : String(error),
      );
    }
    throw error;
  }
}
