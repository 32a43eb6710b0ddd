import {
  createPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';

/** Resource type of permissions that apply to one workflow. */
export const WORKFLOW_RESOURCE_TYPE = 'workflow';

/** See workflows, their runs and their step logs. */
export const workflowReadPermission: ResourcePermission<'workflow'> =
  createPermission({
    name: 'workflows.workflow.read',
    attributes: { action: 'read' },
    resourceType: WORKFLOW_RESOURCE_TYPE,
  });

/** Start a run now (outside its schedule). */
export const workflowRunTriggerPermission: ResourcePermission<'workflow'> =
  createPermission({
    name: 'workflows.run.trigger',
    attributes: { action: 'create' },
    resourceType: WORKFLOW_RESOURCE_TYPE,
  });

/** Cancel a run that is still in progress. */
export const workflowRunCancelPermission: ResourcePermission<'workflow'> =
  createPermission({
    name: 'workflows.run.cancel',
    attributes: { action: 'delete' },
    resourceType: WORKFLOW_RESOURCE_TYPE,
  });

/** Resume, restart, retry or delete dead-letter entries of a workflow. */
export const workflowDlqManagePermission: ResourcePermission<'workflow'> =
  createPermission({
    name: 'workflows.dlq.manage',
    attributes: { action: 'update' },
    resourceType: WORKFLOW_RESOURCE_TYPE,
  });

/** Change, pause or resume the schedule of a workflow. */
export const workflowScheduleUpdatePermission: ResourcePermission<'workflow'> =
  createPermission({
    name: 'workflows.schedule.update',
    attributes: { action: 'update' },
    resourceType: WORKFLOW_RESOURCE_TYPE,
  });

/** Register a workflow by URL through the API, or remove such a registration. */
export const workflowRegisterPermission: ResourcePermission<'workflow'> =
  createPermission({
    name: 'workflows.workflow.register',
    attributes: { action: 'create' },
    resourceType: WORKFLOW_RESOURCE_TYPE,
  });

/** Every permission of the workflows plugin, for registration and policies. */
export const workflowsPermissions = [
  workflowReadPermission,
  workflowRunTriggerPermission,
  workflowRunCancelPermission,
  workflowDlqManagePermission,
  workflowScheduleUpdatePermission,
  workflowRegisterPermission,
];
