import type { WorkflowContext } from '@upstash/workflow';

/** What the workflow needs of its context: a step runner (faked in the test). */
export type StepContext = Pick<WorkflowContext, 'run'>;

/** What one step does; fill these in. */
export type Steps = Record<StepName, () => Promise<unknown>>;

export const STEP_NAMES = [
{%- for step in values.steps %}
  ${{ step | dump }},
{%- endfor %}
] as const;

export type StepName = (typeof STEP_NAMES)[number];

/** Environment variables the workflow refuses to run without (names only). */
export const REQUIRED_ENV: readonly string[] = ${{ values.requiredEnv | dump }};

export function checkEnv(env: NodeJS.ProcessEnv = process.env): void {
  const missing = REQUIRED_ENV.filter(name => !env[name]);
  if (missing.length > 0) {
    throw new Error(`Missing environment variables: ${missing.join(', ')}`);
  }
}

/**
 * Runs one step. QStash calls the workflow again for every step, and the
 * results of finished steps are replayed, not re-run: a step runs at least
 * once, and again when it failed or timed out before its result was stored.
 * So each step must be idempotent: write with upserts or keys derived from
 * the run, never "append one more".
 */
async function step<T>(
  context: StepContext,
  name: StepName,
  work: () => Promise<T>,
): Promise<T> {
  return context.run(name, async () => {
    try {
      return await work();
    } catch (error) {
      // Logged here with the step's name, then re-thrown so QStash retries it.
      console.error(`Step "${name}" failed:`, error);
      throw error;
    }
  }) as Promise<T>;
}

/** The workflow: ${{ values.title }}. */
export async function runWorkflow(
  context: StepContext,
  steps: Steps,
): Promise<void> {
  // Outside any step: checked on every call, as it reads no state.
  checkEnv();
{%- for name in values.steps %}
  await step(context, ${{ name | dump }}, steps[${{ name | dump }}]);
{%- endfor %}
}

/** Called by QStash once the retries of a step are used up. */
export async function failureFunction({
  context,
  failStatus,
  failResponse,
}: {
  context: { workflowRunId: string };
  failStatus: number;
  failResponse: string;
}): Promise<void> {
  // Only logs: it may run more than once too, and must not page twice.
  console.error(
    `Workflow ${{ values.id }} run ${context.workflowRunId} failed (${failStatus}): ${failResponse}`,
  );
}
