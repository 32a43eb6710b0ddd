import type { WorkflowRunner } from '@internal/plugin-workflows-node';
import { Knex } from 'knex';
import {
  ingestDatasetStep,
  latestCarsSummary,
  latestCoeSummary,
} from '../ingest';
import { dataDatabaseProbe } from '../health/databaseProbe';
import { ltaSourceProbe } from '../health/ltaSourceProbe';
import { platformEnvVars } from '../health/platformEnvVars';
import { platformProbe } from '../health/platformProbe';
import {
  carsPeriodKey,
  coePeriodKey,
  formatCarsMessage,
  formatCoeMessage,
  publishOnce,
  socialPlatforms,
} from '../social';
import type {
  CarsSummary,
  CoeSummary,
  DatasetId,
  TableIngestResult,
} from '../types';
import { RunnerSettings } from './runnerSettings';

export interface DatasetRunnerDeps {
  settings: RunnerSettings;
  database(): Promise<Knex>;
  /** Where and how to download the bundled samples, when they are used. */
  samples(): Promise<{ baseUrl: string; fetch: typeof fetch }>;
  env: Readonly<Record<string, string | undefined>>;
}

interface DatasetText {
  title: string;
  description: string;
  summaryStep: string;
  latest(db: Knex): Promise<CarsSummary | CoeSummary | undefined>;
  period(summary: CarsSummary | CoeSummary): string;
  format(
    summary: CarsSummary | CoeSummary,
    options: {
      siteUrl: string;
      platform: (typeof socialPlatforms)[number]['id'];
    },
  ): string;
}

const DATASETS: Record<DatasetId, DatasetText> = {
  cars: {
    title: 'Car registrations update',
    description:
      'Downloads the monthly new car registrations by make from LTA DataMall, loads new rows and posts the latest month',
    summaryStep: 'Read latest month',
    latest: latestCarsSummary,
    period: s => carsPeriodKey(s as CarsSummary),
    format: (s, o) => formatCarsMessage(s as CarsSummary, o),
  },
  coe: {
    title: 'COE results update',
    description:
      'Downloads the COE bidding results and prevailing quota premiums from LTA DataMall, loads changes and posts the latest exercise',
    summaryStep: 'Read latest exercise',
    latest: latestCoeSummary,
    period: s => coePeriodKey(s as CoeSummary),
    format: (s, o) => formatCoeMessage(s as CoeSummary, o),
  },
};

export interface DatasetRunResult {
  dataset: DatasetId;
  changed: boolean;
  tables: TableIngestResult[];
  period?: string;
  posts?: Array<{ platform: string; status: string; reason?: string }>;
  /**
   * Platforms whose post may or may not have gone out: not posted again until
   * an operator resolves them (POST /sgcarstrends/social-posts/...).
   */
  uncertainPosts?: string[];
}

/** The cars or COE workflow: ingest, then (only on a change) post the latest figures. */
export function createDatasetRunner(
  dataset: DatasetId,
  deps: DatasetRunnerDeps,
): WorkflowRunner<unknown> {
  const text = DATASETS[dataset];
  const platforms = socialPlatforms.filter(p =>
    deps.settings.platforms.includes(p.id),
  );
  return {
    id: dataset,
    title: text.title,
    description: text.description,
    owner: deps.settings.owner,
    requiredEnv: [...new Set(platforms.flatMap(p => p.requiredEnv))],
    envVars: platformEnvVars(platforms, deps.settings.dryRun),
    healthProbes: [
      dataDatabaseProbe({
        database: deps.database,
        configured: deps.settings.usesConfiguredDatabase,
      }),
      ltaSourceProbe(dataset, deps.settings),
      ...platforms.map(platform =>
        platformProbe(platform, {
          dryRun: deps.settings.dryRun,
          env: deps.env,
        }),
      ),
    ],
    async run(context): Promise<DatasetRunResult> {
      const tables = await context.run(
        `Processing "${dataset}" data`,
        async () =>
          ingestDatasetStep(await deps.database(), dataset, {
            ...(deps.settings.sourceBaseUrl
              ? { baseUrl: deps.settings.sourceBaseUrl }
              : await deps.samples()),
            maxZipBytes: deps.settings.maxZipBytes,
            zipLimits: deps.settings.zipLimits,
          }),
      );
      if (tables.every(t => t.recordsProcessed === 0)) {
        return { dataset, changed: false, tables };
      }

      const summary = await context.run(
        text.summaryStep,
        async () => (await text.latest(await deps.database())) ?? null,
      );
      if (!summary) {
        return { dataset, changed: true, tables };
      }
      const period = text.period(summary);

      const posts: NonNullable<DatasetRunResult['posts']> = [];
      // An uncertain post is a result, not an error: the other platforms
      // still post and the run completes, saying which posts need a person.
      for (const platform of platforms) {
        const outcome = await context.run(
          `Publish to ${platform.name}`,
          async () =>
            publishOnce(await deps.database(), {
              platform,
              dataset,
              period,
              text: text.format(summary, {
                siteUrl: deps.settings.siteUrl,
                platform: platform.id,
              }),
              dryRun: deps.settings.dryRun,
              env: deps.env,
            }),
        );
        posts.push({
          platform: platform.id,
          status: outcome.status,
          reason: outcome.reason,
        });
      }
      const uncertainPosts = posts
        .filter(post => post.status === 'uncertain')
        .map(post => post.platform);
      return {
        dataset,
        changed: true,
        tables,
        period,
        posts,
        ...(uncertainPosts.length > 0 ? { uncertainPosts } : {}),
      };
    },
  };
}
