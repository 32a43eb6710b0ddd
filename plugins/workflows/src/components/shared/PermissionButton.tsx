import Button, { type ButtonProps } from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { usePermission } from '@backstage/plugin-permission-react';
import type { workflowRunTriggerPermission } from '@internal/plugin-workflows-common';

type WorkflowPermission = typeof workflowRunTriggerPermission;

/** Why the action is unavailable, or undefined while it is allowed. */
export function usePermissionGate(
  permission: WorkflowPermission,
  workflowId: string,
): { loading: boolean; deniedReason?: string } {
  const { loading, allowed, error } = usePermission({
    permission,
    resourceRef: workflowId,
  });
  if (loading) return { loading };
  if (error) {
    return {
      loading,
      deniedReason: `Could not check the ${permission.name} permission: ${error.message}`,
    };
  }
  if (!allowed) {
    return {
      loading,
      deniedReason: `You need the ${permission.name} permission`,
    };
  }
  return { loading };
}

/**
 * A button for an action on one workflow: disabled while the permission is
 * checked, and disabled with the reason in a tooltip when it is denied.
 */
export function PermissionButton({
  permission,
  workflowId,
  disabled,
  ...buttonProps
}: ButtonProps & { permission: WorkflowPermission; workflowId: string }) {
  const { loading, deniedReason } = usePermissionGate(permission, workflowId);
  if (deniedReason) {
    return (
      <Tooltip title={deniedReason}>
        {/* A disabled button fires no pointer events; the span carries the tooltip. */}
        <span>
          <Button {...buttonProps} disabled />
        </span>
      </Tooltip>
    );
  }
  return <Button {...buttonProps} disabled={disabled || loading} />;
}
