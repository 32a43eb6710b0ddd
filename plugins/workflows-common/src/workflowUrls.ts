import type { WorkflowSummary } from './api';

/** URLs compared as parsed, trailing slashes ignored. */
function comparableUrl(url: string): string {
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    return url.replace(/\/+$/, '');
  }
}

/**
 * The known workflow whose endpoint `url` is. Schedules and dead letters map
 * to workflows by URL only: QStash knows nothing else of them.
 */
export function workflowAtUrl<T extends Pick<WorkflowSummary, 'endpoint'>>(
  url: string,
  workflows: readonly T[],
): T | undefined {
  const wanted = comparableUrl(url);
  return workflows.find(w => comparableUrl(w.endpoint) === wanted);
}
