import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { RunStore } from '../database/RunStore';
import type { DlqStore } from '../database/DlqStore';
import type { DlqSync } from './DlqSync';
import type { RunSync } from './RunSync';

const DEFAULT_SYNC_SECONDS = 60;
const DEFAULT_RETENTION_DAYS = 90;
const DEFAULT_DLQ_FULL_LISTING_MINUTES = 10;

/** `workflows.history`: how often runs are synced and how long they are kept. */
export function readHistorySettings(config: Config) {
  const syncIntervalSeconds =
    config.getOptionalNumber('workflows.history.syncIntervalSeconds') ??
    DEFAULT_SYNC_SECONDS;
  const retentionDays =
    config.getOptionalNumber('workflows.history.retentionDays') ??
    DEFAULT_RETENTION_DAYS;
  if (!(syncIntervalSeconds >= 1)) {
    throw new Error(
      `workflows.history.syncIntervalSeconds must be at least 1, got ${syncIntervalSeconds}`,
    );
  }
  if (!(retentionDays >= 1)) {
    throw new Error(
      `workflows.history.retentionDays must be at least 1, got ${retentionDays}`,
    );
  }
  const dlqFullListingMinutes =
    config.getOptionalNumber('workflows.history.dlqFullListingMinutes') ??
    DEFAULT_DLQ_FULL_LISTING_MINUTES;
  if (!(dlqFullListingMinutes > 0)) {
    throw new Error(
      `workflows.history.dlqFullListingMinutes must be more than 0, got ${dlqFullListingMinutes}`,
    );
  }
  return { syncIntervalSeconds, retentionDays, dlqFullListingMinutes };
}

/**
 * The sync and the retention run as global tasks: with several replicas on
 * one database, each interval runs on one of them only.
 */
export async function scheduleHistoryTasks(options: {
  scheduler: SchedulerService;
  sync: RunSync | undefined;
  dlqSync?: DlqSync;
  dlq?: DlqStore;
  runs: RunStore;
  settings: ReturnType<typeof readHistorySettings>;
  logger: LoggerService;
}): Promise<void> {
  const { scheduler, sync, dlqSync, dlq, runs, settings, logger } = options;
  if (sync) {
    await scheduler.scheduleTask({
      id: 'workflows-run-sync',
      scope: 'global',
      frequency: { seconds: settings.syncIntervalSeconds },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 1 },
      fn: async () => {
        const started = Date.now();
        // Debug, so that a replica's share of the passes can be traced.
        logger.debug('Run sync pass started');
        const reports = await sync.syncAll();
        const written = reports.reduce((n, r) => n + r.runsWritten, 0);
        if (written > 0)
          logger.info(`Run sync stored ${written} changed run(s)`);
        // After the runs, so that DLQ entries find their runs.
        await dlqSync?.syncAll();
        logger.debug(`Run sync pass finished in ${Date.now() - started} ms`);
      },
    });
  }
  await scheduler.scheduleTask({
    id: 'workflows-run-retention',
    scope: 'global',
    frequency: { hours: 1 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const cutoff = new Date(
        Date.now() - settings.retentionDays * 24 * 3600_000,
      );
      const removed = await runs.pruneStartedBefore(cutoff);
      await dlq?.pruneCreatedBefore(cutoff);
      if (removed > 0) {
        logger.info(
          `Removed ${removed} run(s) older than ${settings.retentionDays} days`,
        );
      }
    },
  });
}
