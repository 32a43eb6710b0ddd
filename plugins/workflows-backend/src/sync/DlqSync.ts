import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  DlqSource,
  WorkflowSummary,
} from '@internal/plugin-workflows-common';
import type { DlqStore, MirroredDlqEntry } from '../database/DlqStore';
import type { QStashGateway } from '../qstash/QStashGateway';
import { mapDlqEntry } from './qstashDlqMapping';

export interface DlqSyncOptions {
  gateway: QStashGateway;
  store: DlqStore;
  workflows(): Promise<WorkflowSummary[]>;
  logger: LoggerService;
  /** How often the whole queue is listed to find entries that left it. */
  fullListingEveryMs?: number;
  /** Bounds one pass over a very long queue (pages of 100). */
  maxPagesPerPass?: number;
}

export interface DlqSyncReport {
  source: DlqSource;
  listCalls: number;
  entriesSeen: number;
  fullListing: boolean;
  markedGone: number;
  error?: string;
}

const SOURCES: DlqSource[] = ['workflow', 'message'];

/**
 * Mirrors both dead letter queues. A pass lists only entries written since
 * the newest one seen; now and then it lists the whole queue, and entries
 * missing from that listing left the DLQ (expired, or handled elsewhere).
 */
export class DlqSync {
  private readonly fullEveryMs: number;
  private readonly maxPages: number;

  constructor(private readonly options: DlqSyncOptions) {
    this.fullEveryMs = options.fullListingEveryMs ?? 10 * 60_000;
    this.maxPages = options.maxPagesPerPass ?? 100;
  }

  async syncAll(options?: { fullListing?: boolean }): Promise<DlqSyncReport[]> {
    const byUrl = new Map<string, string>();
    for (const workflow of await this.options.workflows()) {
      byUrl.set(workflow.endpoint, workflow.id);
    }
    const reports: DlqSyncReport[] = [];
    for (const source of SOURCES) {
      reports.push(await this.syncSource(source, byUrl, options?.fullListing));
    }
    return reports;
  }

  private async syncSource(
    source: DlqSource,
    workflowIdByUrl: Map<string, string>,
    forceFull?: boolean,
  ): Promise<DlqSyncReport> {
    const { gateway, store, logger } = this.options;
    const state = await store.readSyncState(source);
    const listingStarted = Date.now();
    const full =
      forceFull ??
      (state.lastFullListingAt === null ||
        listingStarted - Date.parse(state.lastFullListingAt) >=
          this.fullEveryMs);
    const report: DlqSyncReport = {
      source,
      listCalls: 0,
      entriesSeen: 0,
      fullListing: full,
      markedGone: 0,
    };
    let newest = state.newestCreatedAtMs;
    try {
      let cursor: string | undefined;
      let complete = false;
      for (let page = 0; page < this.maxPages; page++) {
        const result = await gateway.listDlq(source, {
          cursor,
          count: 100,
          // fromDate is inclusive: the newest entry seen is read again, harmlessly.
          fromDate: full ? undefined : state.newestCreatedAtMs ?? undefined,
        });
        report.listCalls += 1;
        const entries = result.entries.flatMap(entry => {
          const mapped = mapDlqEntry(source, entry, url =>
            workflowIdByUrl.get(url),
          );
          return mapped ? [mapped] : ([] as MirroredDlqEntry[]);
        });
        report.entriesSeen += result.entries.length;
        for (const entry of entries) {
          newest = Math.max(newest ?? 0, entry.createdAtMs);
        }
        await store.upsertListed(entries, listingStarted);
        if (!result.cursor) {
          complete = true;
          break;
        }
        cursor = result.cursor;
      }
      // Only a listing that reached the end proves an entry is gone.
      if (full && complete) {
        report.markedGone = await store.markUnlisted(source, listingStarted);
      }
      await store.writeSyncState(source, {
        // A pass cut short keeps the old watermark, so the rest is read next time.
        newestCreatedAtMs: complete ? newest : state.newestCreatedAtMs,
        fullListing: full && complete,
        error: null,
      });
    } catch (error) {
      report.error = (error as Error).message;
      logger.warn(
        `Sync of the ${source} dead letter queue failed: ${report.error}`,
      );
      await store.writeSyncState(source, {
        newestCreatedAtMs: state.newestCreatedAtMs,
        fullListing: false,
        error: report.error,
      });
    }
    return report;
  }
}
