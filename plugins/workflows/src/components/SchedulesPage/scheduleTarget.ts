import {
  workflowAtUrl,
  type ScheduleView,
  type WorkflowSummary,
} from '@internal/plugin-workflows-common';

/** The known workflow whose endpoint `destination` is, if any. */
export function workflowAt(
  destination: string,
  workflows: WorkflowSummary[] | undefined,
): WorkflowSummary | undefined {
  return workflows && workflowAtUrl(destination.trim(), workflows);
}

/**
 * What `workflows.schedule.update` is checked against: the workflow the
 * schedule calls, else its destination URL (the backend does the same).
 */
export function scheduleResourceRef(schedule: ScheduleView): string {
  return schedule.workflowId ?? schedule.destination;
}

/** The resource of a destination typed into the editor; undefined while empty. */
export function destinationResourceRef(
  destination: string,
  workflows: WorkflowSummary[] | undefined,
): string | undefined {
  const trimmed = destination.trim();
  if (!trimmed) return undefined;
  return workflowAt(trimmed, workflows)?.id ?? trimmed;
}
