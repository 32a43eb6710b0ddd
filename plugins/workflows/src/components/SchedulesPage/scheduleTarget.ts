import type {
  ScheduleView,
  WorkflowSummary,
} from '@internal/plugin-workflows-common';

/** URLs compared as parsed, trailing slashes ignored, as the backend matches them. */
function comparable(url: string): string {
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    return url.replace(/\/+$/, '');
  }
}

/** The known workflow whose endpoint `destination` is, if any. */
export function workflowAt(
  destination: string,
  workflows: WorkflowSummary[] | undefined,
): WorkflowSummary | undefined {
  const wanted = comparable(destination.trim());
  return workflows?.find(w => comparable(w.endpoint) === wanted);
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
