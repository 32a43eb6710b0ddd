import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  GetRunResponse,
  ListRunsQuery,
  ListRunsResponse,
  TriggerRunRequest,
  TriggerRunResponse,
  WorkflowOverview,
  WorkflowRun,
  workflowReadPermission,
  workflowRunCancelPermission,
  workflowRunTriggerPermission,
} from '@internal/plugin-workflows-common';
import type { Request } from 'express';
import { WorkflowsService } from './WorkflowsService';

/** Who asks, and the request to attach to audit events. */
export interface CallerContext {
  credentials: BackstageCredentials;
  request?: Request;
}

/**
 * The workflows service with every read filtered and every mutation
 * permission-checked (resource: the workflow id) and audited.
 */
export class AuthorizedWorkflowsService {
  constructor(
    private readonly service: WorkflowsService,
    private readonly permissions: PermissionsService,
    private readonly auditor: AuditorService,
  ) {}

  private async allowed(
    caller: CallerContext,
    permission: ResourcePermission<'workflow'>,
    workflowIds: string[],
  ): Promise<boolean[]> {
    if (workflowIds.length === 0) return [];
    const decisions = await this.permissions.authorize(
      workflowIds.map(resourceRef => ({ permission, resourceRef })),
      { credentials: caller.credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  private async require(
    caller: CallerContext,
    permission: ResourcePermission<'workflow'>,
    workflowId: string,
  ): Promise<void> {
    const [allowed] = await this.allowed(caller, permission, [workflowId]);
    if (!allowed) {
      throw new NotAllowedError(
        `Missing permission ${permission.name} for workflow "${workflowId}"`,
      );
    }
  }

  private async readableIds(caller: CallerContext): Promise<string[]> {
    const ids = (await this.service.listWorkflows()).map(w => w.id);
    const allowed = await this.allowed(caller, workflowReadPermission, ids);
    return ids.filter((_id, i) => allowed[i]);
  }

  async listWorkflows(caller: CallerContext): Promise<WorkflowOverview[]> {
    const workflows = await this.service.listWorkflows();
    const allowed = await this.allowed(
      caller,
      workflowReadPermission,
      workflows.map(w => w.id),
    );
    return this.service.overviews(workflows.filter((_w, i) => allowed[i]));
  }

  async getWorkflow(
    caller: CallerContext,
    workflowId: string,
  ): Promise<WorkflowOverview> {
    const workflow = await this.service.getWorkflow(workflowId);
    await this.require(caller, workflowReadPermission, workflowId);
    const [overview] = await this.service.overviews([workflow]);
    return overview;
  }

  async listRuns(
    caller: CallerContext,
    query: ListRunsQuery,
  ): Promise<ListRunsResponse> {
    if (query.workflow) {
      await this.service.getWorkflow(query.workflow);
      await this.require(caller, workflowReadPermission, query.workflow);
      // One workflow asked for and allowed: no need to check all the others.
      return this.service.listRuns(query, [query.workflow]);
    }
    return this.service.listRuns(query, await this.readableIds(caller));
  }

  private async readableRun(
    caller: CallerContext,
    runId: string,
  ): Promise<WorkflowRun> {
    const run = await this.service.getRunRecord(runId);
    await this.require(caller, workflowReadPermission, run.workflowId);
    return run;
  }

  async getRun(caller: CallerContext, runId: string): Promise<GetRunResponse> {
    await this.readableRun(caller, runId);
    return this.service.getRun(runId);
  }

  async runLog(caller: CallerContext, runId: string): Promise<string> {
    await this.readableRun(caller, runId);
    return this.service.runLog(runId);
  }

  /** For the live stream, after its first permission-checked read. */
  async changeMarker(runId: string): Promise<string | undefined> {
    return this.service.changeMarker(runId);
  }

  async triggerRun(
    caller: CallerContext,
    workflowId: string,
    request: TriggerRunRequest,
  ): Promise<TriggerRunResponse> {
    const event = await this.auditor.createEvent({
      eventId: 'workflow-run-trigger',
      severityLevel: 'medium',
      request: caller.request,
      meta: { workflowId, label: request.label ?? null },
    });
    try {
      const workflow = await this.service.getWorkflow(workflowId);
      await this.require(caller, workflowRunTriggerPermission, workflowId);
      const result = await this.service.triggerRun(workflow, request);
      await event.success({ meta: { workflowId, runId: result.runId } });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error, meta: { workflowId } });
      throw error;
    }
  }

  async cancelRun(caller: CallerContext, runId: string): Promise<WorkflowRun> {
    const event = await this.auditor.createEvent({
      eventId: 'workflow-run-cancel',
      severityLevel: 'medium',
      request: caller.request,
      meta: { runId },
    });
    try {
      const run = await this.service.getRunRecord(runId);
      await this.require(caller, workflowRunCancelPermission, run.workflowId);
      const cancelled = await this.service.cancelRun(run);
      await event.success({
        meta: { runId, workflowId: run.workflowId },
      });
      return cancelled;
    } catch (error) {
      await event.fail({ error: error as Error, meta: { runId } });
      throw error;
    }
  }
}
