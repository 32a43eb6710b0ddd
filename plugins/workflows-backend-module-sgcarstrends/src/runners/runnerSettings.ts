import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_ZIP_LIMITS,
  LTA_VEHICLE_REGISTRATION_BASE_URL,
  ZipLimits,
} from '../ingest';
import type { PlatformId } from '../types';

/** What the car, COE and trigger runners read from `workflows.sgcarstrends`. */
export interface RunnerSettings {
  owner: string;
  /** True when `database` names the tables' own database, false for the plugin's. */
  usesConfiguredDatabase: boolean;
  /** Where the ZIPs are downloaded from; undefined = the bundled samples served by this backend. */
  sourceBaseUrl: string | undefined;
  maxZipBytes: number;
  /** Caps on what a downloaded ZIP may inflate to. */
  zipLimits: ZipLimits;
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

const MIB = 1024 * 1024;

/**
 * A number from `source.<key>` of at least `minimum`, or `fallback` when it
 * is not set.
 */
function readSourceNumber(
  config: Config | undefined,
  key: string,
  fallback: number,
  minimum: { value: number; text: string },
): number {
  const value = config?.getOptionalNumber(`source.${key}`);
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isFinite(value) || value < minimum.value) {
    throw new InputError(
      `workflows.sgcarstrends.source.${key} must be ${minimum.text}, got ${value}`,
    );
  }
  return value;
}

/** Megabytes (MiB) as whole bytes. */
function readMegabytes(
  config: Config | undefined,
  key: string,
  fallbackBytes: number,
): number {
  const megabytes = readSourceNumber(config, key, fallbackBytes / MIB, {
    value: 1 / MIB,
    text: 'a positive number of megabytes (MiB)',
  });
  return Math.round(megabytes * MIB);
}

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
    usesConfiguredDatabase: c?.has('database') ?? false,
    sourceBaseUrl: useSamples
      ? undefined
      : c?.getOptionalString('source.baseUrl') ??
        LTA_VEHICLE_REGISTRATION_BASE_URL,
    maxZipBytes:
      (c?.getOptionalNumber('source.maxZipMegabytes') ?? 50) * 1024 * 1024,
    zipLimits: {
      maxEntryBytes: readMegabytes(
        c,
        'maxEntryMegabytes',
        DEFAULT_ZIP_LIMITS.maxEntryBytes,
      ),
      maxTotalBytes: readMegabytes(
        c,
        'maxTotalMegabytes',
        DEFAULT_ZIP_LIMITS.maxTotalBytes,
      ),
      maxCompressionRatio: readSourceNumber(
        c,
        'maxCompressionRatio',
        DEFAULT_ZIP_LIMITS.maxCompressionRatio,
        { value: 1, text: 'a number of at least 1' },
      ),
    },
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
