import { useApi } from '@backstage/core-plugin-api';
import type { WorkflowHealth } from '@internal/plugin-workflows-common';
import { useCallback, useState } from 'react';
import {
  workflowsApiRef,
  type HealthRecheckOptions,
} from '../api/WorkflowsApi';
import { useReloadable } from './useReloadable';

// Not polled: every read may run live probes against third parties once the
// backend's 60 s cache runs out, so reads happen on opening and on request.

/** The health of every workflow the caller may read; `reload` on request. */
export function useEnvHealth() {
  const api = useApi(workflowsApiRef);
  return useReloadable('env-health', () => api.getEnvHealth());
}

/** The health of one workflow; `reload` on request. */
export function useWorkflowHealth(workflowId: string) {
  const api = useApi(workflowsApiRef);
  return useReloadable(workflowId, () => api.getWorkflowHealth(workflowId));
}

type RecheckState = {
  workflowId: string;
  /** The loaded health the re-check started from. */
  over: WorkflowHealth | undefined;
  running: boolean;
  result?: WorkflowHealth;
  error?: Error;
};

/**
 * Re-checks one workflow past the backend's cache. Its answer is the health
 * to show until `loaded` changes (a newer load replaces it in turn).
 */
export function useHealthRecheck(
  workflowId: string,
  loaded: WorkflowHealth | undefined,
) {
  const api = useApi(workflowsApiRef);
  const [state, setState] = useState<RecheckState>();

  const recheck = useCallback(
    async (options: HealthRecheckOptions) => {
      const started = { workflowId, over: loaded };
      setState({ ...started, running: true });
      try {
        const result = await api.recheckWorkflowHealth(workflowId, options);
        setState({ ...started, running: false, result });
      } catch (error) {
        setState({ ...started, running: false, error: error as Error });
      }
    },
    [api, workflowId, loaded],
  );

  const current =
    state && state.workflowId === workflowId && state.over === loaded
      ? state
      : undefined;
  return {
    health: current?.result ?? loaded,
    rechecking: Boolean(current?.running),
    recheckError: current?.error,
    /** When the shown health came from a re-check: it is fresh, not cached. */
    recheckedFresh: Boolean(current?.result),
    recheck,
  };
}
