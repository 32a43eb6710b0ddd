import {
  AuthService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import path from 'node:path';
import { failureMessage } from '../WorkflowsApi';
import { initiatorCredentials } from './credentials';

/**
 * `workflows:catalog:register-local`: what `catalog:register` is for a
 * repository, for a workflow written by `workflows:publish:local`.
 * `catalog:register` only registers `url` locations, and no URL reader reads
 * local files, so this registers a `file` location. Only files inside the
 * local workflows directory are accepted.
 */
export function createRegisterLocalEntityAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  localDirectory: string | undefined;
}) {
  return createTemplateAction({
    id: 'workflows:catalog:register-local',
    description:
      'Registers the catalog-info.yaml of a locally published workflow as a file location in the catalog.',
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoPath: z =>
          z
            .string()
            .min(1)
            .describe('Absolute, inside the local workflows directory'),
      },
      output: {
        entityRef: z => z.string().optional(),
        catalogInfoUrl: z => z.string(),
      },
    },
    async handler(ctx) {
      const base = options.localDirectory;
      if (!base) {
        throw new InputError(
          'workflows:catalog:register-local needs workflows.scaffolder.localDirectory in the config',
        );
      }
      let target: string;
      try {
        target = resolveSafeChildPath(base, ctx.input.catalogInfoPath);
      } catch {
        throw new InputError(
          'Refusing to register a file outside the local workflows directory',
        );
      }
      ctx.output('catalogInfoUrl', `file:${target}`);
      // The task log is shown to users: the path inside the data folder only.
      const shown = path.relative(base, target);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${shown} in the catalog`);
        return;
      }
      const credentials =
        (await initiatorCredentials(ctx)) ??
        (await options.auth.getOwnServiceCredentials());
      const { catalog } = options;
      const location = { type: 'file', target };
      let existing;
      let planned;
      try {
        existing = await catalog.getLocationByRef(`file:${target}`, {
          credentials,
        });
        if (!existing) {
          await catalog.addLocation(location, { credentials });
        }
        planned = await catalog.addLocation(
          { ...location, dryRun: true },
          { credentials },
        );
      } catch (error) {
        // The catalog's reason (e.g. file locations not allowed), not just its status.
        throw new InputError(
          `Could not register ${shown} in the catalog: ${failureMessage(
            error,
          )}`,
        );
      }
      const entity =
        planned.entities.find(e => e.kind === 'Component') ??
        planned.entities[0];
      if (entity) ctx.output('entityRef', stringifyEntityRef(entity));
      ctx.logger.info(
        existing
          ? `${shown} was registered already`
          : `Registered ${shown} in the catalog`,
      );
    },
  });
}
