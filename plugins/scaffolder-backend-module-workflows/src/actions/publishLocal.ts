import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { workflowIdSchema } from '@internal/plugin-workflows-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { checkInput } from './commonSchema';

/**
 * `workflows:publish:local`: the embedded default's "repository": copies the
 * workspace into `<localDirectory>/<workflowId>`. Refuses a target outside
 * that folder, and an existing non-empty one (another workflow's code).
 */
export function createPublishLocalAction(options: {
  /** Absolute; undefined when `workflows.scaffolder.localDirectory` is not set. */
  localDirectory: string | undefined;
}) {
  return createTemplateAction({
    id: 'workflows:publish:local',
    description:
      "Writes the workspace into a folder of its own inside the portal's local workflows directory.",
    supportsDryRun: true,
    schema: {
      input: {
        workflowId: z =>
          z.string().describe('Letters, digits, ".", "_" or "-"'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe('A folder inside the workspace; default the workspace'),
      },
      output: {
        path: z => z.string().describe('The folder written'),
        catalogInfoPath: z =>
          z.string().describe('Its catalog-info.yaml, for a file location'),
      },
    },
    async handler(ctx) {
      const base = options.localDirectory;
      if (!base) {
        throw new InputError(
          'workflows:publish:local needs workflows.scaffolder.localDirectory in the config',
        );
      }
      const { sourcePath } = ctx.input;
      const workflowId = checkInput(
        workflowIdSchema,
        ctx.input.workflowId,
        'workflowId',
      );
      let target: string;
      let source: string;
      try {
        // Ids are validated already; this also guards against a symlinked base.
        target = resolveSafeChildPath(base, workflowId);
        source = resolveSafeChildPath(ctx.workspacePath, sourcePath ?? '.');
      } catch (error) {
        throw new InputError(
          `Refusing to publish outside ${path.basename(base)}: ${
            (error as Error).message
          }`,
        );
      }
      const catalogInfoPath = path.join(target, 'catalog-info.yaml');
      ctx.output('path', target);
      ctx.output('catalogInfoPath', catalogInfoPath);
      // The task log is shown to users: the folder inside the data folder only.
      const shown = path.join(path.basename(base), workflowId);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would write the workflow to ${shown}`);
        return;
      }
      const existing = await fs.readdir(target).catch(() => []);
      if (existing.length > 0) {
        throw new ConflictError(
          `${workflowId} exists already in the local workflows directory; pick another id or remove it`,
        );
      }
      await fs.mkdir(target, { recursive: true });
      await fs.cp(source, target, {
        recursive: true,
        // A link would point the catalog and readers outside the folder.
        verbatimSymlinks: true,
        filter: src => path.basename(src) !== '.git',
      });
      ctx.logger.info(`Wrote the workflow to ${shown}`);
    },
  });
}
