import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Cron } from 'croner';
import { z } from 'zod';
import type { WorkflowDefinitionRow } from '../database/WorkflowDefinitionStore';

const ID_PATTERN = /^[A-Za-z0-9._-]+$/;

const trackedSchema = z.object({
  id: z.string().regex(ID_PATTERN, 'may only contain A-Z a-z 0-9 . _ -'),
  title: z.string().min(1),
  description: z.string().default(''),
  owner: z.string().min(1),
  url: z.string().url(),
  schedule: z
    .object({ cron: z.string().min(1), timezone: z.string().default('UTC') })
    .optional(),
  requiredEnv: z.array(z.string().min(1)).default([]),
});

/** Throws an InputError naming the field when the cron or zone is unusable. */
export function assertValidSchedule(
  cron: string,
  timezone: string,
  field: string,
): void {
  if (cron.trim().split(/\s+/).length !== 5) {
    throw new InputError(
      `${field}.cron must have five fields (minute hour day month weekday), got "${cron}"`,
    );
  }
  try {
    new Cron(cron, { timezone, paused: true }).stop();
  } catch (error) {
    throw new InputError(
      `${field} is not a valid schedule: ${(error as Error).message}`,
    );
  }
}

/** Reads `workflows.tracked` and fails start-up with the offending key named. */
export function readTrackedWorkflows(config: Config): WorkflowDefinitionRow[] {
  const entries = config.getOptionalConfigArray('workflows.tracked') ?? [];
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const field = `workflows.tracked[${index}]`;
    const parsed = trackedSchema.safeParse(entry.get());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        `${field}.${issue.path.join('.')}: ${issue.message}`,
      );
    }
    const value = parsed.data;
    if (seen.has(value.id)) {
      throw new InputError(`${field}.id: duplicate workflow id "${value.id}"`);
    }
    seen.add(value.id);
    if (value.schedule) {
      assertValidSchedule(
        value.schedule.cron,
        value.schedule.timezone,
        `${field}.schedule`,
      );
    }
    return {
      id: value.id,
      title: value.title,
      description: value.description,
      owner: value.owner,
      source: 'config',
      endpoint: value.url,
      schedule: value.schedule ?? null,
      requiredEnv: value.requiredEnv,
    };
  });
}
