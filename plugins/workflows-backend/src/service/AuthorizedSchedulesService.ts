import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  CreateScheduleRequest,
  SchedulePreviewRequest,
  SchedulePreviewResponse,
  ScheduleSaveResponse,
  ScheduleView,
  UpdateScheduleRequest,
  workflowReadPermission,
  workflowScheduleUpdatePermission,
} from '@internal/plugin-workflows-common';
import type { ScheduleTarget } from '../schedules/scheduleTarget';
import type { CallerContext } from './AuthorizedWorkflowsService';
import { PlannedSave, SchedulesService } from './SchedulesService';
import { auditedMutation } from './auditedMutation';
import { WorkflowAuthorizer } from './WorkflowAuthorizer';

type ScheduleAction = 'create' | 'update' | 'delete' | 'pause' | 'resume';

/** What an audit event records: names of fields, never values of headers or bodies. */
type ScheduleAuditMeta = {
  action: ScheduleAction;
  scheduleId: string;
  workflowId?: string | null;
  changedFields?: string[];
  unknownFields?: string[];
};

/**
 * Schedules with reads filtered by `workflows.workflow.read` and every
 * mutation checked against `workflows.schedule.update` and audited (one
 * event per request, with the schedule id). The resource is the workflow
 * the schedule calls; a schedule calling no known workflow is checked with
 * its destination URL as the resource (see `ScheduleTarget`), so only a
 * policy that grants the permission without conditions, or names that URL,
 * lets anyone change it.
 */
export class AuthorizedSchedulesService {
  private readonly authorizer: WorkflowAuthorizer;

  constructor(
    private readonly service: SchedulesService,
    permissions: PermissionsService,
    private readonly auditor: AuditorService,
  ) {
    this.authorizer = new WorkflowAuthorizer(permissions);
  }

  private async require(
    caller: CallerContext,
    permission: ResourcePermission<'workflow'>,
    target: ScheduleTarget,
    scheduleId: string,
  ): Promise<void> {
    if (target.workflow) {
      await this.authorizer.require(
        caller.credentials,
        permission,
        target.workflow.id,
      );
      return;
    }
    const [allowed] = await this.authorizer.allowed(
      caller.credentials,
      permission,
      [target.resourceRef],
    );
    if (!allowed) {
      throw new NotAllowedError(
        `Missing permission ${permission.name} for schedule "${scheduleId}", whose destination is no known workflow`,
      );
    }
  }

  /** Runs a mutation inside its audit event: success or failure, once. */
  private audited<T>(
    caller: CallerContext,
    action: ScheduleAction,
    scheduleId: string,
    run: (meta: ScheduleAuditMeta) => Promise<T>,
  ): Promise<T> {
    // Filled in as the operation learns more.
    const meta: ScheduleAuditMeta = { action, scheduleId };
    return auditedMutation(
      this.auditor,
      caller,
      'workflow-schedule-change',
      meta,
      run,
    );
  }

  private static describe(plan: PlannedSave, meta: ScheduleAuditMeta) {
    meta.workflowId = plan.target.workflow?.id ?? null;
    meta.changedFields = plan.changes.map(c => c.field);
  }

  async list(caller: CallerContext): Promise<ScheduleView[]> {
    const all = await this.service.list();
    const readable = await this.authorizer.filter(
      caller.credentials,
      workflowReadPermission,
      all,
      s => s.target.resourceRef,
    );
    return readable.map(s => s.view);
  }

  async get(caller: CallerContext, scheduleId: string): Promise<ScheduleView> {
    const loaded = await this.service.load(scheduleId);
    await this.require(
      caller,
      workflowReadPermission,
      loaded.target,
      scheduleId,
    );
    return loaded.view;
  }

  async preview(
    caller: CallerContext,
    request: SchedulePreviewRequest,
  ): Promise<SchedulePreviewResponse> {
    const patch = this.service.validate(request.definition, 'definition.');
    const base = request.scheduleId
      ? await this.service.load(request.scheduleId)
      : undefined;
    if (base) {
      await this.require(
        caller,
        workflowReadPermission,
        base.target,
        base.view.scheduleId,
      );
    }
    return this.service.preview(
      patch,
      base,
      request.from ? new Date(request.from) : undefined,
    );
  }

  async create(
    caller: CallerContext,
    request: CreateScheduleRequest,
  ): Promise<ScheduleSaveResponse> {
    const { scheduleId: requestedId, ...patch } = request;
    const scheduleId = requestedId ?? this.service.newScheduleId();
    return this.audited(caller, 'create', scheduleId, async meta => {
      const valid = this.service.validate(patch);
      const plan = await this.service.plan(scheduleId, undefined, valid);
      AuthorizedSchedulesService.describe(plan, meta);
      await this.require(
        caller,
        workflowScheduleUpdatePermission,
        plan.target,
        scheduleId,
      );
      return this.service.create(plan);
    });
  }

  async update(
    caller: CallerContext,
    scheduleId: string,
    request: UpdateScheduleRequest,
  ): Promise<ScheduleSaveResponse> {
    const { expectedVersion, ...patch } = request;
    return this.audited(caller, 'update', scheduleId, async meta => {
      const valid = this.service.validate(patch);
      const loaded = await this.service.load(scheduleId);
      const plan = await this.service.plan(scheduleId, loaded, valid);
      AuthorizedSchedulesService.describe(plan, meta);
      await this.require(
        caller,
        workflowScheduleUpdatePermission,
        loaded.target,
        scheduleId,
      );
      if (plan.target.resourceRef !== loaded.target.resourceRef) {
        // Pointing a schedule at another workflow changes that workflow too.
        await this.require(
          caller,
          workflowScheduleUpdatePermission,
          plan.target,
          scheduleId,
        );
      }
      const saved = await this.service.update(loaded, plan, expectedVersion);
      meta.unknownFields = saved.unknownFields;
      return saved;
    });
  }

  async delete(caller: CallerContext, scheduleId: string): Promise<void> {
    return this.audited(caller, 'delete', scheduleId, async meta => {
      const loaded = await this.service.load(scheduleId);
      meta.workflowId = loaded.target.workflow?.id ?? null;
      await this.require(
        caller,
        workflowScheduleUpdatePermission,
        loaded.target,
        scheduleId,
      );
      await this.service.delete(loaded);
    });
  }

  async setPaused(
    caller: CallerContext,
    scheduleId: string,
    paused: boolean,
  ): Promise<ScheduleView> {
    const action = paused ? 'pause' : 'resume';
    return this.audited(caller, action, scheduleId, async meta => {
      const loaded = await this.service.load(scheduleId);
      meta.workflowId = loaded.target.workflow?.id ?? null;
      await this.require(
        caller,
        workflowScheduleUpdatePermission,
        loaded.target,
        scheduleId,
      );
      return this.service.setPaused(loaded, paused);
    });
  }
}
