import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  DlqActionRequest,
  DlqActionResponse,
  TriageGroupFailuresResponse,
  TriageQuery,
  TriageResponse,
  WorkflowSummary,
  workflowDlqManagePermission,
  workflowReadPermission,
} from '@internal/plugin-workflows-common';
import type { CallerContext } from './AuthorizedWorkflowsService';
import { TriageService } from './TriageService';
import { WorkflowAuthorizer } from './WorkflowAuthorizer';

/**
 * Triage reads only the workflows the caller may read; DLQ actions need
 * `workflows.dlq.manage` on each entry's workflow and are audited.
 */
export class AuthorizedTriageService {
  private readonly authorizer: WorkflowAuthorizer;

  constructor(
    private readonly service: TriageService,
    private readonly workflows: () => Promise<WorkflowSummary[]>,
    permissions: PermissionsService,
    private readonly auditor: AuditorService,
  ) {
    this.authorizer = new WorkflowAuthorizer(permissions);
  }

  private async readable(
    caller: CallerContext,
    only?: string,
  ): Promise<WorkflowSummary[]> {
    const all = await this.workflows();
    if (only) {
      const workflow = all.find(w => w.id === only);
      if (!workflow) throw new NotFoundError(`No workflow "${only}"`);
      await this.authorizer.require(
        caller.credentials,
        workflowReadPermission,
        only,
      );
      return [workflow];
    }
    return this.authorizer.filter(
      caller.credentials,
      workflowReadPermission,
      all,
      w => w.id,
    );
  }

  async triage(
    caller: CallerContext,
    query: TriageQuery,
  ): Promise<TriageResponse> {
    return this.service.triage(
      query,
      await this.readable(caller, query.workflow),
    );
  }

  async groupFailures(
    caller: CallerContext,
    groupId: string,
    query: TriageQuery,
  ): Promise<TriageGroupFailuresResponse> {
    const { response, workflowId } = await this.service.groupFailures(
      groupId,
      query,
    );
    if (workflowId) {
      await this.authorizer.require(
        caller.credentials,
        workflowReadPermission,
        workflowId,
      );
    }
    return response;
  }

  async act(
    caller: CallerContext,
    request: DlqActionRequest,
  ): Promise<DlqActionResponse> {
    const page = request.group
      ? await this.service.groupDlqPage(request.group)
      : undefined;
    if (page && page.dlqIds.length === 0 && !request.group?.after) {
      throw new InputError(
        'Invalid body: no entry of this group is in a dead letter queue in this window',
      );
    }
    const dlqIds = page ? page.dlqIds : [...new Set(request.dlqIds)];
    const pageFields = page
      ? { nextCursor: page.nextCursor, groupPending: page.pending }
      : {};
    if (dlqIds.length === 0) {
      // A later page of a group that emptied meanwhile: nothing left to do.
      return {
        action: request.action,
        outcomes: [],
        succeeded: 0,
        failed: 0,
        ...pageFields,
      };
    }
    const event = await this.auditor.createEvent({
      eventId: 'workflow-dlq-action',
      severityLevel: 'medium',
      request: caller.request,
      meta: {
        action: request.action,
        dlqIds,
        group: request.group ?? null,
        retries: request.retries ?? null,
      },
    });
    try {
      const stored = await this.service.dlqEntries(dlqIds);
      const workflowIds = [
        ...new Set(
          [...stored.values()].flatMap(e =>
            e.workflowId ? [e.workflowId] : [],
          ),
        ),
      ];
      const decisions = await this.authorizer.allowed(
        caller.credentials,
        workflowDlqManagePermission,
        workflowIds,
      );
      const permitted = new Set(workflowIds.filter((_id, i) => decisions[i]));
      const denied = new Map<string, string>();
      for (const [dlqId, entry] of stored) {
        if (!entry.workflowId || !permitted.has(entry.workflowId)) {
          denied.set(
            dlqId,
            `Missing permission ${workflowDlqManagePermission.name} for workflow "${entry.workflowId}"`,
          );
        }
      }
      if (stored.size > 0 && denied.size === stored.size) {
        throw new NotAllowedError(
          `Missing permission ${
            workflowDlqManagePermission.name
          } for ${workflowIds.map(id => `"${id}"`).join(', ')}`,
        );
      }
      const response = await this.service.act(
        request,
        dlqIds.map(dlqId => ({ dlqId, entry: stored.get(dlqId) })),
        denied,
      );
      const meta = {
        action: request.action,
        workflowIds,
        succeeded: response.succeeded,
        failed: response.failed,
        outcomes: response.outcomes.map(o => ({
          dlqId: o.dlqId,
          ok: o.ok,
          workflowRunId: o.workflowRunId,
          error: o.error,
        })),
      };
      if (response.failed > 0 && response.succeeded === 0) {
        await event.fail({
          error: new Error(
            `No entry could be handled (${response.failed} failed)`,
          ),
          meta,
        });
      } else {
        await event.success({ meta });
      }
      return { ...response, ...pageFields };
    } catch (error) {
      await event.fail({
        error: error as Error,
        meta: { action: request.action, dlqIds },
      });
      throw error;
    }
  }
}
