import { LoggerService } from '@backstage/backend-plugin-api';
import type { WorkflowSummary } from '@internal/plugin-workflows-common';
import type { RunStore } from '../database/RunStore';
import type { QStashGateway, QStashWorkflowRun } from '../qstash/QStashGateway';
import { fingerprintOf, mapQStashRun } from './qstashRunMapping';

export interface RunSyncOptions {
  gateway: QStashGateway;
  store: RunStore;
  /** The workflows to sync, read on every pass (the set may change). */
  workflows(): Promise<WorkflowSummary[]>;
  logger: LoggerService;
  /** Runs per list call (QStash returns at most 10 when grouped by run). */
  pageSize?: number;
  /** Bounds the first import of a workflow with a long history. */
  maxPagesPerPass?: number;
  /** Runs still marked running that are re-read one by one per pass. */
  maxActiveRunsPerPass?: number;
}

export interface WorkflowSyncReport {
  workflowId: string;
  listCalls: number;
  runsWritten: number;
  error?: string;
}

/**
 * Copies QStash's workflow logs into the run store, newest first, and stops
 * at the first run it had already seen: with nothing new, a pass costs one
 * list call per workflow. Runs still running are re-read until they finish.
 */
export class RunSync {
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly maxActive: number;

  constructor(private readonly options: RunSyncOptions) {
    this.pageSize = options.pageSize ?? 10;
    this.maxPages = options.maxPagesPerPass ?? 100;
    this.maxActive = options.maxActiveRunsPerPass ?? 20;
  }

  async syncAll(): Promise<WorkflowSyncReport[]> {
    const reports: WorkflowSyncReport[] = [];
    for (const workflow of await this.options.workflows()) {
      reports.push(await this.syncWorkflow(workflow));
    }
    return reports;
  }

  async syncWorkflow(workflow: WorkflowSummary): Promise<WorkflowSyncReport> {
    const { gateway, store, logger } = this.options;
    const report: WorkflowSyncReport = {
      workflowId: workflow.id,
      listCalls: 0,
      runsWritten: 0,
    };
    const watermark = await store.readSyncWatermark(workflow.id);
    let newest = watermark;
    const seen = new Set<string>();
    const write = async (run: QStashWorkflowRun) => {
      seen.add(run.workflowRunId);
      newest = Math.max(newest ?? 0, run.workflowRunCreatedAt);
      if (
        await store.upsertSyncedRun(
          mapQStashRun(workflow.id, run),
          fingerprintOf(run),
        )
      ) {
        report.runsWritten += 1;
      }
    };

    try {
      let cursor: string | undefined;
      for (let page = 0; page < this.maxPages; page++) {
        const result = await gateway.listWorkflowRuns({
          workflowUrl: workflow.endpoint,
          cursor,
          count: this.pageSize,
        });
        report.listCalls += 1;
        for (const run of result.runs) await write(run);
        const reachedSeen =
          watermark !== null &&
          result.runs.some(run => run.workflowRunCreatedAt <= watermark);
        if (!result.cursor || reachedSeen) break;
        cursor = result.cursor;
      }

      // Older runs still in progress are not on the first page any more.
      const active = (
        await store.listActiveRuns(workflow.id, this.maxActive)
      ).filter(id => !seen.has(id));
      for (const runId of active) {
        const result = await gateway.listWorkflowRuns({
          workflowUrl: workflow.endpoint,
          workflowRunId: runId,
          count: 1,
        });
        report.listCalls += 1;
        const run = result.runs.find(r => r.workflowRunId === runId);
        if (run) await write(run);
      }
      await store.writeSyncState(workflow.id, {
        newestCreatedAt: newest,
        error: null,
      });
    } catch (error) {
      report.error = (error as Error).message;
      logger.warn(
        `Run sync of workflow ${workflow.id} failed: ${report.error}`,
      );
      // What was written stays; the watermark only moves on a complete pass.
      await store.writeSyncState(workflow.id, {
        newestCreatedAt: watermark,
        error: report.error,
      });
    }
    return report;
  }
}
