import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { failureMessage, WorkflowsApi } from '../WorkflowsApi';
import { initiatorCredentials } from './credentials';

/**
 * `workflows:cron:validate`: checks a cron and zone with the workflows
 * backend's own rules (the ones schedules are saved with) and gives the cron
 * in words and its next five fire times. Writes nothing, so it also runs in
 * dry runs.
 */
export function createCronValidateAction(options: { api: WorkflowsApi }) {
  return createTemplateAction({
    id: 'workflows:cron:validate',
    description:
      'Fails the task unless the cron expression and time zone make a valid QStash schedule; outputs the cron in words and the next fire times.',
    supportsDryRun: true,
    schema: {
      input: {
        cron: z =>
          z
            .string()
            .min(1)
            .describe('Five fields: minute hour day month weekday'),
        timezone: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe('IANA zone, e.g. Asia/Singapore; default UTC'),
      },
      output: {
        cron: z => z.string().describe('The cron with whitespace collapsed'),
        timezone: z => z.string(),
        description: z => z.string().describe('The cron in words'),
        nextFireTimes: z =>
          z
            .array(z.string())
            .describe('The next five fire times, wall time in the zone'),
      },
    },
    async handler(ctx) {
      const { cron } = ctx.input;
      const timezone = ctx.input.timezone ?? 'UTC';
      let preview;
      try {
        preview = await options.api.previewCron(
          await initiatorCredentials(ctx),
          cron,
          timezone,
        );
      } catch (error) {
        throw new InputError(
          `Invalid schedule "${cron}" in ${timezone}: ${failureMessage(error)}`,
        );
      }
      const description = preview.description ?? preview.cron;
      ctx.logger.info(
        `Schedule ${preview.cron} (${preview.timezone}): ${description}`,
      );
      ctx.output('cron', preview.cron);
      ctx.output('timezone', preview.timezone);
      ctx.output('description', description);
      ctx.output(
        'nextFireTimes',
        preview.nextFireTimes.map(t => t.local),
      );
    },
  });
}
