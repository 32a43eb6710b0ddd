import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { LTA_VEHICLE_REGISTRATION_BASE_URL } from '../ingest';
import type { PlatformId } from '../types';

/** What the car, COE and trigger runners read from `workflows.sgcarstrends`. */
export interface RunnerSettings {
  owner: string;
  /** Where the ZIPs are downloaded from; undefined = the bundled samples served by this backend. */
  sourceBaseUrl: string | undefined;
  maxZipBytes: number;
  siteUrl: string;
  dryRun: boolean;
  platforms: PlatformId[];
  schedule: { cron: string; timezone: string };
}

const ALL_PLATFORMS: PlatformId[] = [
  'discord',
  'telegram',
  'linkedin',
  'twitter',
];

export function readRunnerSettings(config: Config): RunnerSettings {
  const c = config.getOptionalConfig('workflows.sgcarstrends');
  const platforms = (c?.getOptionalStringArray('social.platforms') ??
    ALL_PLATFORMS) as PlatformId[];
  for (const [i, p] of platforms.entries()) {
    if (!ALL_PLATFORMS.includes(p)) {
      throw new InputError(
        `workflows.sgcarstrends.social.platforms[${i}]: unknown platform "${p}" (known: ${ALL_PLATFORMS.join(
          ', ',
        )})`,
      );
    }
  }
  const useSamples = c?.getOptionalBoolean('source.useBundledSamples') ?? false;
  return {
    owner: c?.getOptionalString('owner') ?? 'group:default/platform',
    sourceBaseUrl: useSamples
      ? undefined
      : c?.getOptionalString('source.baseUrl') ??
        LTA_VEHICLE_REGISTRATION_BASE_URL,
    maxZipBytes:
      (c?.getOptionalNumber('source.maxZipMegabytes') ?? 50) * 1024 * 1024,
    siteUrl: (
      c?.getOptionalString('siteUrl') ?? 'https://sgcarstrends.com'
    ).replace(/\/+$/, ''),
    dryRun: c?.getOptionalBoolean('social.dryRun') ?? false,
    platforms,
    schedule: {
      cron: c?.getOptionalString('schedule.cron') ?? '*/60 0-10 * * 1-5',
      timezone: c?.getOptionalString('schedule.timezone') ?? 'UTC',
    },
  };
}
