import { Config } from '@backstage/config';

/** How this backend reaches QStash and checks that calls come from it. */
export interface QStashConnection {
  url: string;
  token: string;
  currentSigningKey?: string;
  nextSigningKey?: string;
}

const DEFAULT_QSTASH_URL = 'https://qstash.upstash.io';

/** Reads `workflows.qstash`; undefined when no token is configured. */
export function readQStashConnection(
  config: Config,
): QStashConnection | undefined {
  const token = config.getOptionalString('workflows.qstash.token');
  if (!token) return undefined;
  return {
    url: (
      config.getOptionalString('workflows.qstash.url') ?? DEFAULT_QSTASH_URL
    ).replace(/\/+$/, ''),
    token,
    currentSigningKey: config.getOptionalString(
      'workflows.qstash.currentSigningKey',
    ),
    nextSigningKey: config.getOptionalString('workflows.qstash.nextSigningKey'),
  };
}
