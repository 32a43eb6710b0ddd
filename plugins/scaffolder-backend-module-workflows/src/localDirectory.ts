import type { RootConfigService } from '@backstage/backend-plugin-api';
import path from 'node:path';

const KEY = 'workflows.scaffolder.localDirectory';

/**
 * The folder new workflows are published to, absolute; undefined when local
 * publishing is off. An empty value turns it off too: the config reader
 * refuses empty strings as strings, and production configs set it to ''.
 */
export function readLocalDirectory(
  config: RootConfigService,
): string | undefined {
  const value = config.getOptional(KEY);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new TypeError(
      `Invalid type in config for key '${KEY}': a folder path, or '' to turn local publishing off`,
    );
  }
  return path.resolve(value);
}
