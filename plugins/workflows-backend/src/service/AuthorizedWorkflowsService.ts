import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ResourcePermission } from '@backstage/plugin-permission-common';
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
import { WorkflowAuthorizer } from './WorkflowAuthorizer';
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
  private readonly authorizer: WorkflowAuthorizer;

  constructor(
    private readonly service: WorkflowsService,
    permissions: PermissionsService,
    private readonly auditor: AuditorService,
  ) {
    this.authorizer = new WorkflowAuthorizer(permissions);
  }

  private require(
    caller: CallerContext,
    permission: ResourcePermission<'workflow'>,
    workflowId: string,
  ): Promise<void> {
    return this.authorizer.require(caller.credentials, permission, workflowId);
  }

  private async readableIds(caller: CallerContext): Promise<string[]> {
    const ids = (await this.service.listWorkflows()).map(w => w.id);
    return this.authorizer.filter(
      caller.credentials,
      workflowReadPermission,
      ids,
      id => id,
    );
  }

  async listWorkflows(caller: CallerContext): Promise<WorkflowOverview[]> {
    const workflows = await this.authorizer.filter(
      caller.credentials,
      workflowReadPermission,
      await this.service.listWorkflows(),
      w => w.id,
    );
    return this.service.overviews(workflows);
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
