import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  WorkflowRegistrationRequest,
  WorkflowRegistrationResponse,
  workflowRegisterPermission,
} from '@internal/plugin-workflows-common';
import type { CallerContext } from './AuthorizedWorkflowsService';
import { auditedMutation } from './auditedMutation';
import { WorkflowAuthorizer } from './WorkflowAuthorizer';

/** What an audit event records: the id and what happened, never the request body. */
type RegistrationAuditMeta = {
  action: 'register' | 'unregister';
  workflowId: string;
  changed?: boolean;
  removed?: boolean;
};
import { WorkflowRegistrationService } from './WorkflowRegistrationService';

/**
 * Registrations checked against `workflows.workflow.register` (resource: the
 * workflow id) and audited: one event per request, success or failure.
 */
export class AuthorizedWorkflowRegistrationService {
  private readonly authorizer: WorkflowAuthorizer;

  constructor(
    private readonly service: WorkflowRegistrationService,
    permissions: PermissionsService,
    private readonly auditor: AuditorService,
  ) {
    this.authorizer = new WorkflowAuthorizer(permissions);
  }

  private audited<T>(
    caller: CallerContext,
    action: 'register' | 'unregister',
    workflowId: string,
    run: (meta: RegistrationAuditMeta) => Promise<T>,
  ): Promise<T> {
    const meta: RegistrationAuditMeta = { action, workflowId };
    return auditedMutation(
      this.auditor,
      caller,
      'workflow-registration',
      meta,
      run,
    );
  }

  async register(
    caller: CallerContext,
    workflowId: string,
    request: WorkflowRegistrationRequest,
  ): Promise<WorkflowRegistrationResponse> {
    return this.audited(caller, 'register', workflowId, async meta => {
      await this.authorizer.require(
        caller.credentials,
        workflowRegisterPermission,
        workflowId,
      );
      const result = await this.service.register(workflowId, request);
      meta.changed = result.changed;
      return result;
    });
  }

  async unregister(caller: CallerContext, workflowId: string): Promise<void> {
    return this.audited(caller, 'unregister', workflowId, async meta => {
      await this.authorizer.require(
        caller.credentials,
        workflowRegisterPermission,
        workflowId,
      );
      meta.removed = await this.service.unregister(workflowId);
    });
  }
}
