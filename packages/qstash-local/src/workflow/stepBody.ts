import { z } from 'zod';
import { MessageConfig } from '../config/messageConfig';

/** The step JSON that `serve()` publishes for every finished or planned step. */
const stepBodySchema = z
  .object({
    stepId: z.number().int().nonnegative(),
    stepName: z.string(),
    stepType: z.string(),
    concurrent: z.number().int().positive().default(1),
    targetStep: z.number().int().optional(),
    out: z.unknown().optional(),
    sleepFor: z.union([z.number(), z.string()]).optional(),
    sleepUntil: z.number().optional(),
  })
  .passthrough();

export type StepBody = z.infer<typeof stepBodySchema>;

/** Reads a step body; undefined for bodies that are not SDK steps. */
export function parseStepBody(body: Buffer): StepBody | undefined {
  try {
    const parsed = stepBodySchema.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A plan step announces a parallel branch; the branch result follows later. */
export function isPlanStep(step: StepBody): boolean {
  return step.stepId === 0 && step.targetStep !== undefined;
}

const STEP_ID_HEADER = 'upstash-forward-upstash-workflow-stepid';

/** The step a workflow message belongs to, as far as it can be told. */
export function stepIdOf(
  config: MessageConfig,
  body: Buffer,
): number | undefined {
  const callType = config.workflow?.callType;
  let raw: string | undefined;
  if (callType === 'toCallback') raw = config.callback?.headers[STEP_ID_HEADER];
  else if (callType === 'fromCallback') {
    raw = config.forwardHeaders.find(
      ([name]) => name === 'upstash-workflow-stepid',
    )?.[1];
  } else {
    const step = parseStepBody(body);
    if (step) return isPlanStep(step) ? step.targetStep : step.stepId;
    return undefined;
  }
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}
