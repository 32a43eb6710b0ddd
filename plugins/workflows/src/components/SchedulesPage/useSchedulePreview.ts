import { useApi } from '@backstage/core-plugin-api';
import type {
  SchedulePreviewRequest,
  SchedulePreviewResponse,
} from '@internal/plugin-workflows-common';
import { useEffect, useRef, useState } from 'react';
import { workflowsApiRef } from '../../api/WorkflowsApi';

/** Long enough to wait out typing, short enough to feel live. */
export const PREVIEW_DEBOUNCE_MS = 350;

type PreviewState = {
  key?: string;
  value?: SchedulePreviewResponse;
  error?: Error;
};

/**
 * Asks the server to check and preview `request` once typing pauses; nothing
 * while `request` is undefined (the form has problems of its own). Only the
 * answer to the latest request is kept. `value` and `error` belong to the
 * request as it is now; `lastValue` is the last good preview, shown dimmed
 * while a newer one is on its way.
 */
export function useSchedulePreview(
  request: SchedulePreviewRequest | undefined,
) {
  const api = useApi(workflowsApiRef);
  const key = request && JSON.stringify(request);
  const requestRef = useRef(request);
  requestRef.current = request;
  const [state, setState] = useState<PreviewState>({});
  const [lastValue, setLastValue] = useState<SchedulePreviewResponse>();

  useEffect(() => {
    if (!key || !requestRef.current) return undefined;
    const asked = requestRef.current;
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const value = await api.previewSchedule(asked);
        if (!current) return;
        setState({ key, value });
        setLastValue(value);
      } catch (error) {
        if (current) setState({ key, error: error as Error });
      }
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, key]);

  const fresh = key !== undefined && state.key === key;
  return {
    value: fresh ? state.value : undefined,
    error: fresh ? state.error : undefined,
    lastValue,
    pending: key !== undefined && !fresh,
  };
}
