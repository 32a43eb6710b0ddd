import { Config } from '@backstage/config';
import { ConfigSources, FileConfigSource } from '@backstage/config-loader';
import { resolve } from 'node:path';

/**
 * The repository's config files (e.g. app-config.production.yaml), layered
 * in order as `--config` does, with `env` as the only environment.
 */
export async function loadRepoConfig(
  files: string[],
  env: Record<string, string>,
): Promise<Config> {
  const config = await ConfigSources.toConfig(
    ConfigSources.merge(
      files.map(file =>
        FileConfigSource.create({
          path: resolve(__dirname, '../../../..', file),
          watch: false,
          substitutionFunc: async name => env[name],
        }),
      ),
    ),
  );
  config.close();
  return config;
}
