import {
  probeVerdictSchema,
  type ProbeVerdict,
} from '@internal/plugin-workflows-common';
import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

/** What the health page shows, as kept in its URL. */
export type HealthView = {
  /** Only the workflows of this verdict. */
  verdict?: ProbeVerdict;
};

/** `?verdict=failing` of a view, "" for every workflow. */
export function healthSearchOf(view: HealthView): string {
  return view.verdict ? `?verdict=${encodeURIComponent(view.verdict)}` : '';
}

/**
 * The verdict filter of the health page, read from and written to the URL
 * (`?verdict=failing`), so a link opens the same view. A verdict the page
 * does not know shows every workflow and says so.
 */
export function useHealthView() {
  const location = useLocation();
  const navigate = useNavigate();

  const { view, problem } = useMemo((): {
    view: HealthView;
    problem?: string;
  } => {
    const name = new URLSearchParams(location.search).get('verdict');
    if (!name) return { view: {} };
    const parsed = probeVerdictSchema.safeParse(name);
    return parsed.success
      ? { view: { verdict: parsed.data } }
      : {
          view: {},
          problem: `The address names no verdict "${name}"; showing every workflow.`,
        };
  }, [location.search]);

  const setView = useCallback(
    (next: HealthView) => navigate({ search: healthSearchOf(next) }),
    [navigate],
  );

  return { view, problem, setView };
}
