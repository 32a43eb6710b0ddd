import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  workflowReadPermission,
  workflowsPermissions,
} from '@internal/plugin-workflows-common';

/**
 * Everyone signed in may read workflows; only the users and groups listed
 * under `workflows.operators` may trigger, cancel, retry or reschedule them.
 */
export class WorkflowOperatorsPolicy implements PermissionPolicy {
  constructor(private readonly operators: ReadonlySet<string>) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const isWorkflowMutation = workflowsPermissions.some(
      p => p !== workflowReadPermission && isPermission(request.permission, p),
    );
    if (!isWorkflowMutation) {
      return { result: AuthorizeResult.ALLOW };
    }
    const refs = user?.info.ownershipEntityRefs ?? [];
    const isOperator = refs.some(ref => this.operators.has(ref));
    return {
      result: isOperator ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'workflow-operators-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        policy: policyExtensionPoint,
      },
      async init({ config, policy }) {
        const operators =
          config.getOptionalStringArray('workflows.operators') ?? [];
        policy.setPolicy(
          new WorkflowOperatorsPolicy(
            new Set(operators.map(ref => ref.toLocaleLowerCase('en-US'))),
          ),
        );
      },
    });
  },
});
