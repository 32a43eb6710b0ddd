import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  GetRunResponse,
  WorkflowRun,
} from '@internal/plugin-workflows-common';
import { useCallback, useEffect, useState } from 'react';
import { workflowsApiRef } from '../api/WorkflowsApi';
import { UnexpectedResponseError } from '../api/WorkflowsClient';

export const RUN_POLL_INTERVAL_MS = 3000;

/** How the page learns about changes: the stream, polling, or not at all (finished). */
export type RunUpdates = 'connecting' | 'stream' | 'polling' | 'finished';

type RunState = {
  value?: GetRunResponse;
  /** The run could not be loaded at all. */
  error?: Error;
  /** The run is shown, but the last refresh failed (polling goes on). */
  refreshError?: Error;
  updates: RunUpdates;
};

const isActive = (run: WorkflowRun) => run.status === 'running';

/** A client error or a body in another shape will not go away by asking again. */
const isPermanent = (error: unknown) =>
  error instanceof UnexpectedResponseError ||
  (ResponseError.is(error) &&
    error.statusCode >= 400 &&
    error.statusCode < 500);

/**
 * One run with its steps, kept up to date while it is active: from the
 * server's event stream, or by polling `GET /runs/:runId` when the stream
 * fails or drops while the run is still going.
 */
export function useRun(runId: string) {
  const api = useApi(workflowsApiRef);
  const [state, setState] = useState<RunState>({ updates: 'connecting' });

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let latest: GetRunResponse | undefined;
    setState({ updates: 'connecting' });

    const accept = (value: GetRunResponse, via: 'stream' | 'polling') => {
      if (abort.signal.aborted) return;
      latest = value;
      setState({ value, updates: isActive(value.run) ? via : 'finished' });
    };

    const poll = async () => {
      try {
        accept(await api.getRun(runId), 'polling');
      } catch (error) {
        if (abort.signal.aborted) return;
        const failure = error as Error;
        const permanent = isPermanent(error);
        setState(current =>
          current.value
            ? { ...current, refreshError: failure, updates: 'polling' }
            : { error: failure, updates: permanent ? 'finished' : 'polling' },
        );
        if (permanent && !latest) return;
      }
      if (!abort.signal.aborted && (!latest || isActive(latest.run))) {
        timer = setTimeout(poll, RUN_POLL_INTERVAL_MS);
      }
    };

    (async () => {
      try {
        await api.streamRun(runId, value => accept(value, 'stream'), {
          signal: abort.signal,
        });
      } catch {
        // Any stream failure (proxy, old backend, bad event): polling takes over.
      }
      if (abort.signal.aborted) return;
      if (latest && !isActive(latest.run)) return;
      await poll();
    })();

    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api, runId]);

  /** Shows a run state the page got from an action (e.g. cancel) at once. */
  const showRun = useCallback((run: WorkflowRun) => {
    setState(current =>
      current.value
        ? {
            ...current,
            value: { ...current.value, run },
            updates: isActive(run) ? current.updates : 'finished',
          }
        : current,
    );
  }, []);

  return {
    ...state,
    loading: !state.value && !state.error,
    showRun,
  };
}
