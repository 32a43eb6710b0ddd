import { useRouteRef } from '@backstage/core-plugin-api';
import { schedulesRouteRef } from '../../routes';
import { schedulesSearchOf, type SchedulesView } from './useSchedulesView';

/**
 * The path of a view of the schedules page: a workflow's schedules
 * (`{ workflow }`), the editor of one (`{ edit }`) or of a new one for a
 * workflow (`{ create: { workflow } }`).
 */
export function useSchedulesPath(): (view?: SchedulesView) => string {
  const link = useRouteRef(schedulesRouteRef);
  return (view = {}) => `${link()}${schedulesSearchOf(view)}`;
}
