import { useApi } from '@backstage/core-plugin-api';
import { InputError } from '@backstage/errors';
import { listRunsQuerySchema } from '@internal/plugin-workflows-common';
import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { workflowsApiRef } from '../api/WorkflowsApi';

/** The run filters, as named in the page URL and in `GET /runs`. */
export const RUN_FILTER_FIELDS = [
  'state',
  'step',
  'error',
  'label',
  'from',
  'to',
] as const;

export type RunFilterField = (typeof RUN_FILTER_FIELDS)[number];
export type RunFilters = Partial<Record<RunFilterField, string>>;

export const RUNS_PAGE_SIZE = 20;

/**
 * Kept in the history entry, not the URL: the cursors of the pages before
 * this one ('' is the newest page), so "previous" can walk back.
 */
type RunsPagingState = { runsCursorHistory: string[] };

function cursorHistoryOf(state: unknown): string[] | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const history = (state as Partial<RunsPagingState>).runsCursorHistory;
  return Array.isArray(history) &&
    history.every(cursor => typeof cursor === 'string')
    ? history
    : undefined;
}

function searchFor(filters: RunFilters, cursor?: string): string {
  const params = new URLSearchParams();
  for (const field of RUN_FILTER_FIELDS) {
    const value = filters[field]?.trim();
    if (value) params.set(field, value);
  }
  if (cursor) params.set('cursor', cursor);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/**
 * The runs of one workflow, filtered and paged by the page URL
 * (`?state=failed&step=...&cursor=...`), so a link reproduces the view.
 */
export function useRuns(workflowId: string) {
  const api = useApi(workflowsApiRef);
  const location = useLocation();
  const navigate = useNavigate();

  const { filters, cursor, query } = useMemo(() => {
    const params = new URLSearchParams(location.search);
    const fromUrl: RunFilters = {};
    for (const field of RUN_FILTER_FIELDS) {
      const value = params.get(field);
      if (value) fromUrl[field] = value;
    }
    const pageCursor = params.get('cursor') || undefined;
    return {
      filters: fromUrl,
      cursor: pageCursor,
      query: listRunsQuerySchema.safeParse({
        ...fromUrl,
        workflow: workflowId,
        cursor: pageCursor,
        limit: RUNS_PAGE_SIZE,
      }),
    };
  }, [location.search, workflowId]);

  const { value, loading, error, retry } = useAsyncRetry(async () => {
    if (!query.success) {
      const problems = query.error.issues.map(
        issue => `${issue.path.join('.')}: ${issue.message}`,
      );
      throw new InputError(
        `The address holds an invalid run filter: ${problems.join('; ')}`,
      );
    }
    return api.listRuns(query.data);
  }, [api, query]);

  const cursorHistory = cursorHistoryOf(location.state);

  const setFilters = useCallback(
    (next: RunFilters) => navigate({ search: searchFor(next) }),
    [navigate],
  );

  const nextCursor = value?.nextCursor ?? null;
  const nextPage = useCallback(() => {
    if (!nextCursor) return;
    const state: RunsPagingState = {
      runsCursorHistory: [...(cursorHistory ?? []), cursor ?? ''],
    };
    navigate({ search: searchFor(filters, nextCursor) }, { state });
  }, [navigate, filters, cursor, nextCursor, cursorHistory]);

  const previousPage = useCallback(() => {
    // Without a history (a link to a later page) "previous" goes to the newest page.
    const history = cursorHistory ?? [];
    const state: RunsPagingState = { runsCursorHistory: history.slice(0, -1) };
    navigate(
      { search: searchFor(filters, history[history.length - 1] || undefined) },
      { state },
    );
  }, [navigate, filters, cursorHistory]);

  return {
    runs: value?.items,
    loading,
    error,
    retry,
    filters,
    setFilters,
    hasFilters: Object.keys(filters).length > 0,
    page: {
      /** 1 for the newest page; undefined when opened by a link to a later page. */
      number: cursor ? cursorHistory && cursorHistory.length + 1 : 1,
      hasPrevious: Boolean(cursor),
      hasNext: Boolean(nextCursor),
      next: nextPage,
      previous: previousPage,
    },
  };
}
