import { triageQuerySchema } from '@internal/plugin-workflows-common';
import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import {
  DEFAULT_TRIAGE_WINDOW,
  isTriageWindowPreset,
  WIDEST_TRIAGE_WINDOW,
  type TriageWindow,
  type TriageWindowPreset,
} from '../../hooks/triageWindow';

export const GROUP_SORTS = {
  count: 'Most failures',
  recent: 'Most recent',
} as const;

export type GroupSort = keyof typeof GROUP_SORTS;

/** What the failures page shows, as kept in its URL. */
export type FailuresView = {
  window: TriageWindow;
  /** The URL names no window, so the default applies and a group link may widen it. */
  windowIsDefault: boolean;
  workflow?: string;
  sort: GroupSort;
  /** The expanded group. */
  group?: string;
};

export type FailuresViewChange = Partial<
  Pick<FailuresView, 'window' | 'workflow' | 'sort' | 'group'>
>;

/** Kept in the history entry: the page widened the window to find a linked group. */
type WidenedState = { widenedFrom: TriageWindowPreset; group: string };

const customRangeSchema = triageQuerySchema
  .pick({ from: true, to: true })
  .required();

function parseWindow(params: URLSearchParams): {
  window: TriageWindow;
  problem?: string;
} {
  const fallback: TriageWindow = {
    kind: 'preset',
    preset: DEFAULT_TRIAGE_WINDOW,
  };
  const name = params.get('window');
  if (!name) return { window: fallback };
  if (isTriageWindowPreset(name)) {
    return { window: { kind: 'preset', preset: name } };
  }
  if (name !== 'custom') {
    return {
      window: fallback,
      problem: `window: "${name}" is not one of 1h, 24h, 7d, custom`,
    };
  }
  const range = customRangeSchema.safeParse({
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
  });
  if (!range.success) {
    return {
      window: fallback,
      problem: range.error.issues
        .map(issue => `${issue.path.join('.')}: ${issue.message}`)
        .join('; '),
    };
  }
  if (Date.parse(range.data.from) >= Date.parse(range.data.to)) {
    return { window: fallback, problem: 'from: must be before to' };
  }
  return { window: { kind: 'custom', ...range.data } };
}

function searchOf(
  view: Omit<FailuresView, 'windowIsDefault'>,
  keepDefault: boolean,
) {
  const params = new URLSearchParams();
  if (view.window.kind === 'custom') {
    params.set('window', 'custom');
    params.set('from', view.window.from);
    params.set('to', view.window.to);
  } else if (!keepDefault) {
    params.set('window', view.window.preset);
  }
  if (view.workflow) params.set('workflow', view.workflow);
  if (view.sort !== 'count') params.set('sort', view.sort);
  if (view.group) params.set('group', view.group);
  const search = params.toString();
  return search ? `?${search}` : '';
}

function widenedStateOf(state: unknown): WidenedState | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const { widenedFrom, group } = state as Partial<WidenedState>;
  return typeof widenedFrom === 'string' &&
    isTriageWindowPreset(widenedFrom) &&
    typeof group === 'string'
    ? { widenedFrom, group }
    : undefined;
}

/**
 * The window, workflow, sort and expanded group of the failures page, read
 * from and written to the URL (`?window=24h&workflow=cars&sort=count&group=g`),
 * so a link (a Discord alert's) opens the same view.
 */
export function useFailuresView() {
  const location = useLocation();
  const navigate = useNavigate();

  const { view, problem } = useMemo(() => {
    const params = new URLSearchParams(location.search);
    const parsed = parseWindow(params);
    const parsedView: FailuresView = {
      window: parsed.window,
      windowIsDefault: !params.get('window'),
      workflow: params.get('workflow') || undefined,
      sort: params.get('sort') === 'recent' ? 'recent' : 'count',
      group: params.get('group') || undefined,
    };
    return { view: parsedView, problem: parsed.problem };
  }, [location.search]);

  const setView = useCallback(
    (change: FailuresViewChange) => {
      const next = { ...view, ...change };
      const keepDefault = view.windowIsDefault && !('window' in change);
      navigate({ search: searchOf(next, keepDefault) });
    },
    [navigate, view],
  );

  /** The linked group is not in the default window: look back further. */
  const widenForGroup = useCallback(
    (group: string) => {
      if (view.window.kind !== 'preset') return;
      const state: WidenedState = { widenedFrom: view.window.preset, group };
      navigate(
        {
          search: searchOf(
            {
              ...view,
              window: { kind: 'preset', preset: WIDEST_TRIAGE_WINDOW },
            },
            false,
          ),
        },
        { replace: true, state },
      );
    },
    [navigate, view],
  );

  const widened = widenedStateOf(location.state);
  return {
    view,
    /** Why the URL cannot be shown, naming the field. */
    problem,
    setView,
    widenForGroup,
    /** The window the page widened from, while the linked group is still expanded. */
    widenedFrom:
      widened && widened.group === view.group ? widened.widenedFrom : undefined,
  };
}
