import type { TriageGroup } from '@internal/plugin-workflows-common';
import type { GroupSort } from './useFailuresView';

const byCount = (a: TriageGroup, b: TriageGroup) => b.count - a.count;
const byLastSeen = (a: TriageGroup, b: TriageGroup) =>
  Date.parse(b.lastSeen) - Date.parse(a.lastSeen);

/** Most failures first, or most recently seen first; each breaks the other's ties. */
export function sortGroups(
  groups: TriageGroup[],
  sort: GroupSort,
): TriageGroup[] {
  const [first, second] =
    sort === 'recent' ? [byLastSeen, byCount] : [byCount, byLastSeen];
  return [...groups].sort((a, b) => first(a, b) || second(a, b));
}
