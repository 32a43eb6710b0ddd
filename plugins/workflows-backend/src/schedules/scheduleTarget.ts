import {
  workflowAtUrl,
  type WorkflowSummary,
} from '@internal/plugin-workflows-common';

/** What a schedule's permissions apply to. */
export interface ScheduleTarget {
  /** The workflow whose endpoint the schedule calls, if the portal knows one. */
  workflow?: WorkflowSummary;
  /**
   * The permission resource: the workflow id, else the destination URL.
   * A resource permission cannot be checked without a resource, and a URL
   * is what identifies a schedule on QStash: a policy that allows the
   * permission outright allows it, an owner rule (no workflow, no owner)
   * denies it, and a policy may single out destinations.
   */
  resourceRef: string;
}

/** Schedules map to workflows by destination URL only: QStash knows nothing else. */
export function targetOf(
  destination: string,
  workflows: WorkflowSummary[],
): ScheduleTarget {
  const workflow = workflowAtUrl(destination, workflows);
  return workflow
    ? { workflow, resourceRef: workflow.id }
    : { resourceRef: destination };
}
