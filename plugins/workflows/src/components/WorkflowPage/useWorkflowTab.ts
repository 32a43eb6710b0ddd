import { useCallback } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

export type WorkflowTab = 'runs' | 'health';

/**
 * The open tab of a workflow's page, kept in its URL: `?tab=health` for the
 * health view, nothing for the runs (so run links and filters stay as they
 * were). Switching keeps the other parameters and the run page history.
 */
export function useWorkflowTab() {
  const location = useLocation();
  const navigate = useNavigate();
  const tab: WorkflowTab =
    new URLSearchParams(location.search).get('tab') === 'health'
      ? 'health'
      : 'runs';

  const setTab = useCallback(
    (next: WorkflowTab) => {
      const params = new URLSearchParams(location.search);
      if (next === 'runs') params.delete('tab');
      else params.set('tab', next);
      const search = params.toString();
      navigate(
        { search: search ? `?${search}` : '' },
        { state: location.state },
      );
    },
    [location.search, location.state, navigate],
  );

  return { tab, setTab };
}
