import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { workflowIdSchema } from '@internal/plugin-workflows-common';
import { failureMessage, WorkflowsApi } from '../WorkflowsApi';
import { checkInput } from './commonSchema';
import { initiatorCredentials } from './credentials';

/**
 * `workflows:register`: tells the workflows backend about a new workflow URL
 * (`PUT /workflows/:id/registration`, idempotent), so it appears on the
 * Workflows page and its schedule and runs join to it.
 */
export function createRegisterAction(options: {
  api: WorkflowsApi;
  appBaseUrl: string;
}) {
  return createTemplateAction({
    id: 'workflows:register',
    description:
      'Registers a workflow URL with the workflows backend (an idempotent upsert) and returns its page in the portal.',
    supportsDryRun: true,
    schema: {
      input: {
        workflowId: z =>
          z.string().describe('Letters, digits, ".", "_" or "-"'),
        title: z => z.string().min(1),
        description: z => z.string().optional(),
        owner: z => z.string().min(1).describe('Entity ref of the owner'),
        url: z => z.string().url().describe('The URL QStash calls'),
        cron: z => z.string().optional(),
        timezone: z => z.string().optional().describe('Default UTC'),
        requiredEnv: z =>
          z.array(z.string()).optional().describe('Names, never values'),
      },
      output: {
        workflowId: z => z.string(),
        workflowPageUrl: z => z.string().describe('Its page in the portal'),
        changed: z => z.boolean(),
      },
    },
    async handler(ctx) {
      const { cron, ...rest } = ctx.input;
      const workflowId = checkInput(
        workflowIdSchema,
        ctx.input.workflowId,
        'workflowId',
      );
      const pageUrl = `${options.appBaseUrl}/workflows/${encodeURIComponent(
        workflowId,
      )}`;
      ctx.output('workflowId', workflowId);
      ctx.output('workflowPageUrl', pageUrl);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register workflow ${workflowId}`);
        ctx.output('changed', false);
        return;
      }
      try {
        const { changed } = await options.api.register(
          await initiatorCredentials(ctx),
          workflowId,
          {
            title: rest.title,
            description: rest.description ?? '',
            owner: rest.owner,
            url: rest.url,
            schedule: cron ? { cron, timezone: rest.timezone ?? 'UTC' } : null,
            requiredEnv: rest.requiredEnv ?? [],
          },
        );
        ctx.logger.info(
          changed
            ? `Registered workflow ${workflowId}`
            : `Workflow ${workflowId} was registered already`,
        );
        ctx.output('changed', changed);
      } catch (error) {
        throw new InputError(
          `Could not register workflow "${workflowId}": ${failureMessage(
            error,
          )}`,
        );
      }
    },
  });
}
