import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { scheduleIdSchema } from '@internal/plugin-workflows-common';
import { failureMessage, WorkflowsApi } from '../WorkflowsApi';
import { checkInput } from './commonSchema';
import { initiatorCredentials } from './credentials';

/**
 * `workflows:schedule:create`: creates the QStash schedule of a workflow URL,
 * or brings an existing one of the same id in line, through the workflows
 * backend (validation, permission `workflows.schedule.update`, audit, gateway).
 * Idempotent by schedule id: QStash keeps one schedule per id, and a run
 * that finds the schedule as wanted writes nothing.
 */
export function createScheduleCreateAction(options: { api: WorkflowsApi }) {
  return createTemplateAction({
    id: 'workflows:schedule:create',
    description:
      "Creates or updates the QStash schedule that calls a workflow's URL, and returns the schedule id.",
    supportsDryRun: true,
    schema: {
      input: {
        url: z => z.string().url().describe('The URL the schedule calls'),
        cron: z => z.string().min(1).describe('Five-field cron expression'),
        timezone: z => z.string().min(1).optional().describe('Default UTC'),
        scheduleId: z =>
          z
            .string()
            .describe('The schedule id; the same id updates the same schedule'),
      },
      output: {
        scheduleId: z => z.string(),
        created: z =>
          z.boolean().describe('False when the schedule existed already'),
        changed: z =>
          z.boolean().describe('False when nothing had to be written'),
      },
    },
    async handler(ctx) {
      const { url, cron } = ctx.input;
      const timezone = ctx.input.timezone ?? 'UTC';
      const scheduleId = checkInput(
        scheduleIdSchema,
        ctx.input.scheduleId,
        'scheduleId',
      );
      const { api } = options;
      const credentials = await initiatorCredentials(ctx);
      const fail = (what: string, error: unknown) =>
        new InputError(
          `Could not ${what} schedule "${scheduleId}": ${failureMessage(
            error,
          )}`,
        );

      if (ctx.isDryRun) {
        // Checks the cron and zone as a save would, and writes nothing.
        try {
          await api.previewCron(credentials, cron, timezone);
        } catch (error) {
          throw fail('plan', error);
        }
        ctx.logger.info(
          `Dry run: would create or update schedule ${scheduleId} calling ${url}`,
        );
        ctx.output('scheduleId', scheduleId);
        ctx.output('created', false);
        ctx.output('changed', false);
        return;
      }

      let existing;
      try {
        existing = await api.getSchedule(credentials, scheduleId);
      } catch (error) {
        throw fail('read', error);
      }
      if (!existing) {
        try {
          await api.createSchedule(credentials, {
            scheduleId,
            destination: url,
            cron,
            timezone,
          });
        } catch (error) {
          throw fail('create', error);
        }
        ctx.logger.info(`Created schedule ${scheduleId} calling ${url}`);
        ctx.output('scheduleId', scheduleId);
        ctx.output('created', true);
        ctx.output('changed', true);
        return;
      }

      const same =
        existing.destination === url &&
        existing.cron === cron.trim().replace(/\s+/g, ' ') &&
        existing.timezone === timezone;
      if (!same) {
        try {
          await api.updateSchedule(credentials, scheduleId, {
            destination: url,
            cron,
            timezone,
            expectedVersion: existing.version,
          });
        } catch (error) {
          throw fail('update', error);
        }
      }
      ctx.logger.info(
        same
          ? `Schedule ${scheduleId} is as wanted already`
          : `Updated schedule ${scheduleId} calling ${url}`,
      );
      ctx.output('scheduleId', scheduleId);
      ctx.output('created', false);
      ctx.output('changed', !same);
    },
  });
}
