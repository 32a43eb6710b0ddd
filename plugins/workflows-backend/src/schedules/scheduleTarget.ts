import type { WorkflowSummary } from '@internal/plugin-workflows-common';

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

/** URLs compared as parsed, trailing slashes ignored. */
function comparable(url: string): string {
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    return url.replace(/\/+$/, '');
  }
}

/** Schedules map to workflows by destination URL only: QStash knows nothing else. */
export function targetOf(
  destination: string,
  workflows: WorkflowSummary[],
): ScheduleTarget {
  const wanted = comparable(destination);
  const workflow = workflows.find(w => comparable(w.endpoint) === wanted);
  return workflow
    ? { workflow, resourceRef: workflow.id }
    : { resourceRef: destination };
}
