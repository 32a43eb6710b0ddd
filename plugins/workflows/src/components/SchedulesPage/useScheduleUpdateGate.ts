import { workflowScheduleUpdatePermission } from '@internal/plugin-workflows-common';
import { usePermissionGate } from '../shared/PermissionButton';

/**
 * Whether the caller may change schedules of `resourceRef` (a workflow id, or
 * the destination URL of a schedule that calls no known workflow). Nothing
 * to check while it is undefined (no destination typed yet).
 */
export function useScheduleUpdateGate(resourceRef: string | undefined): {
  loading: boolean;
  deniedReason?: string;
} {
  // An empty resource is denied locally, without asking the server.
  const gate = usePermissionGate(
    workflowScheduleUpdatePermission,
    resourceRef ?? '',
  );
  return resourceRef ? gate : { loading: false };
}
