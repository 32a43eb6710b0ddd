import {
  AuthService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
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
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${target} in the catalog`);
        return;
      }
      const credentials =
        (await initiatorCredentials(ctx)) ??
        (await options.auth.getOwnServiceCredentials());
      const { catalog } = options;
      const location = { type: 'file', target };
      const existing = await catalog.getLocationByRef(`file:${target}`, {
        credentials,
      });
      if (!existing) {
        await catalog.addLocation(location, { credentials });
      }
      const planned = await catalog.addLocation(
        { ...location, dryRun: true },
        { credentials },
      );
      const entity =
        planned.entities.find(e => e.kind === 'Component') ??
        planned.entities[0];
      if (entity) ctx.output('entityRef', stringifyEntityRef(entity));
      ctx.logger.info(
        existing
          ? `${target} was registered already`
          : `Registered ${target} in the catalog`,
      );
    },
  });
}
