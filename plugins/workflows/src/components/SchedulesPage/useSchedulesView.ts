import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

/** What the schedules page shows, as kept in its URL. */
export type SchedulesView = {
  /** Only the schedules of this workflow. */
  workflow?: string;
  /** The schedule whose editor is open. */
  edit?: string;
  /** The editor of a new schedule is open, for this workflow if set. */
  create?: { workflow?: string };
};

/** `?workflow=...&edit=...` of a view, "" for the whole list. */
export function schedulesSearchOf(view: SchedulesView): string {
  const params = new URLSearchParams();
  if (view.workflow) params.set('workflow', view.workflow);
  if (view.edit) params.set('edit', view.edit);
  else if (view.create) params.set('new', view.create.workflow ?? '');
  const search = params.toString();
  return search ? `?${search}` : '';
}

/**
 * The workflow filter and the open editor of the schedules page, read from
 * and written to the URL (`?workflow=cars`, `?edit=<scheduleId>`,
 * `?new=<workflowId>`), so a workflow's page can link to its schedules and
 * to the editor of one.
 */
export function useSchedulesView() {
  const location = useLocation();
  const navigate = useNavigate();

  const view = useMemo((): SchedulesView => {
    const params = new URLSearchParams(location.search);
    return {
      workflow: params.get('workflow') || undefined,
      edit: params.get('edit') || undefined,
      create: params.has('new')
        ? { workflow: params.get('new') || undefined }
        : undefined,
    };
  }, [location.search]);

  const setView = useCallback(
    (change: Partial<SchedulesView>) =>
      navigate({ search: schedulesSearchOf({ ...view, ...change }) }),
    [navigate, view],
  );

  /** Closing an editor replaces its history entry: Back does not reopen it. */
  const closeEditor = useCallback(
    () =>
      navigate(
        { search: schedulesSearchOf({ workflow: view.workflow }) },
        { replace: true },
      ),
    [navigate, view.workflow],
  );

  return { view, setView, closeEditor };
}
