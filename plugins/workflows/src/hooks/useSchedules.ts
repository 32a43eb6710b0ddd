import { useApi } from '@backstage/core-plugin-api';
import { workflowsApiRef } from '../api/WorkflowsApi';
import { useReloadable } from './useReloadable';

/** Often enough that next and last fire times do not go stale on an open page. */
export const SCHEDULES_POLL_INTERVAL_MS = 30_000;

/**
 * Every QStash schedule the caller may read, refreshed every 30 s while the
 * page is visible; `reload` after a change.
 */
export function useSchedules() {
  const api = useApi(workflowsApiRef);
  return useReloadable('schedules', () => api.listSchedules(), {
    pollIntervalMs: SCHEDULES_POLL_INTERVAL_MS,
  });
}
