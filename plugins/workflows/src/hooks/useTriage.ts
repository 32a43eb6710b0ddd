import { useApi } from '@backstage/core-plugin-api';
import { workflowsApiRef } from '../api/WorkflowsApi';
import { triageRange, type TriageWindow } from './triageWindow';
import { useReloadable } from './useReloadable';

export const TRIAGE_POLL_INTERVAL_MS = 30_000;

/**
 * The failure groups of a window (optionally of one workflow), refreshed
 * every 30 s while the page is visible. A preset window moves with each
 * refresh. Loads nothing while `request` is undefined (an invalid URL).
 */
export function useTriage(
  request: { timeWindow: TriageWindow; workflow?: string } | undefined,
) {
  const api = useApi(workflowsApiRef);
  return useReloadable(
    request && JSON.stringify(request),
    async () => {
      if (!request) throw new Error('No triage request');
      return api.getTriage({
        ...triageRange(request.timeWindow),
        workflow: request.workflow,
      });
    },
    { pollIntervalMs: TRIAGE_POLL_INTERVAL_MS },
  );
}

/**
 * The failed runs and dead letter entries of one group in the window. Not
 * polled, so entries do not move while the operator selects them; `reload`
 * after an action.
 */
export function useTriageGroupFailures(
  groupId: string,
  timeWindow: TriageWindow,
) {
  const api = useApi(workflowsApiRef);
  return useReloadable(JSON.stringify({ groupId, timeWindow }), () =>
    api.getTriageGroupFailures(groupId, triageRange(timeWindow)),
  );
}
