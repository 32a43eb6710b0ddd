import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  workflowReadPermission,
  workflowRunTriggerPermission,
  workflowScheduleUpdatePermission,
} from '@internal/plugin-workflows-common';
import { WorkflowOperatorsPolicy } from './permissionPolicy';

function userWith(ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  } as PolicyQueryUser;
}

describe('WorkflowOperatorsPolicy', () => {
  const policy = new WorkflowOperatorsPolicy(
    new Set(['group:default/data-ops']),
  );

  it('lets every signed-in user read workflows', async () => {
    const decision = await policy.handle(
      { permission: workflowReadPermission },
      userWith(['user:default/jane']),
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it('lets members of an operator group trigger and reschedule', async () => {
    const member = userWith(['user:default/ops', 'group:default/data-ops']);
    for (const permission of [
      workflowRunTriggerPermission,
      workflowScheduleUpdatePermission,
    ]) {
      const decision = await policy.handle({ permission }, member);
      expect(decision.result).toBe(AuthorizeResult.ALLOW);
    }
  });

  it('denies workflow mutations to everyone else', async () => {
    const decision = await policy.handle(
      { permission: workflowRunTriggerPermission },
      userWith(['user:default/jane', 'group:default/marketing']),
    );
    expect(decision.result).toBe(AuthorizeResult.DENY);
    const anonymous = await policy.handle({
      permission: workflowScheduleUpdatePermission,
    });
    expect(anonymous.result).toBe(AuthorizeResult.DENY);
  });
});
