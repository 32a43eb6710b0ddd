import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  EnvHealthResponse,
  HealthCheckRequest,
  WorkflowHealth,
  WorkflowSummary,
  workflowReadPermission,
  workflowRunTriggerPermission,
} from '@internal/plugin-workflows-common';
import type { CallerContext } from './AuthorizedWorkflowsService';
import { HealthReport, HealthService } from './HealthService';
import { WorkflowAuthorizer } from './WorkflowAuthorizer';

/**
 * Health reads only of workflows the caller may read; a re-check, which
 * bypasses the cache, needs `workflows.run.trigger` on the workflow. Every
 * probe that runs is audited (ids and verdicts, never values).
 */
export class AuthorizedHealthService {
  private readonly authorizer: WorkflowAuthorizer;

  constructor(
    private readonly service: HealthService,
    private readonly workflows: () => Promise<WorkflowSummary[]>,
    permissions: PermissionsService,
    private readonly auditor: AuditorService,
  ) {
    this.authorizer = new WorkflowAuthorizer(permissions);
  }

  private async workflow(workflowId: string): Promise<WorkflowSummary> {
    const workflow = (await this.workflows()).find(w => w.id === workflowId);
    if (!workflow) throw new NotFoundError(`No workflow "${workflowId}"`);
    return workflow;
  }

  /** One low-severity event for the probes a read had to run. */
  private async auditProbes(
    caller: CallerContext,
    report: HealthReport,
  ): Promise<void> {
    if (report.ran.length === 0) return;
    const event = await this.auditor.createEvent({
      eventId: 'workflow-health-probe',
      severityLevel: 'low',
      request: caller.request,
      meta: {
        workflowIds: [...new Set(report.ran.map(r => r.workflowId))],
        probes: report.ran,
      },
    });
    await event.success();
  }

  async list(caller: CallerContext): Promise<EnvHealthResponse> {
    const readable = await this.authorizer.filter(
      caller.credentials,
      workflowReadPermission,
      await this.workflows(),
      w => w.id,
    );
    const report = await this.service.health(readable, {
      fresh: false,
      probePlatforms: false,
    });
    await this.auditProbes(caller, report);
    return { items: report.items };
  }

  async get(
    caller: CallerContext,
    workflowId: string,
  ): Promise<WorkflowHealth> {
    const workflow = await this.workflow(workflowId);
    await this.authorizer.require(
      caller.credentials,
      workflowReadPermission,
      workflowId,
    );
    const report = await this.service.health([workflow], {
      fresh: false,
      probePlatforms: false,
    });
    await this.auditProbes(caller, report);
    return report.items[0];
  }

  async check(
    caller: CallerContext,
    workflowId: string,
    request: HealthCheckRequest,
  ): Promise<WorkflowHealth> {
    const probePlatforms = request.probePlatforms ?? false;
    const event = await this.auditor.createEvent({
      eventId: 'workflow-health-check',
      severityLevel: 'medium',
      request: caller.request,
      meta: { workflowId, probePlatforms },
    });
    try {
      const workflow = await this.workflow(workflowId);
      await this.authorizer.require(
        caller.credentials,
        workflowRunTriggerPermission,
        workflowId,
      );
      const report = await this.service.health([workflow], {
        fresh: true,
        probePlatforms,
      });
      const health = report.items[0];
      await event.success({
        meta: {
          workflowId,
          probePlatforms,
          verdict: health.verdict,
          probes: health.probes.map(p => ({ id: p.id, verdict: p.verdict })),
        },
      });
      return health;
    } catch (error) {
      await event.fail({
        error: error as Error,
        meta: { workflowId, probePlatforms },
      });
      throw error;
    }
  }
}
