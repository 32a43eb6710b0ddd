import type { ScheduleView } from '@internal/plugin-workflows-common';
import { describeCron } from './describeCron';
import { nextFireTimes } from './fireTimes';
import { CurrentSchedule, toDefinitionView } from './scheduleDefinition';
import type { ScheduleTarget } from './scheduleTarget';
import { scheduleVersion } from './scheduleVersion';

const isoOrNull = (ms: number | undefined) =>
  ms === undefined || ms <= 0 ? null : new Date(ms).toISOString();

/** One state for the last tick: a failed message wins, then one in progress. */
function lastFireState(states: Record<string, string> | undefined) {
  const values = Object.values(states ?? {});
  if (values.length === 0) return null;
  for (const state of ['FAIL', 'IN_PROGRESS']) {
    if (values.includes(state)) return state;
  }
  return values[0];
}

/** The API's view of a schedule; `now` is where the fire times start. */
export function toScheduleView(
  current: CurrentSchedule,
  target: ScheduleTarget,
  now: Date,
): ScheduleView {
  const { schedule, definition } = current;
  const isPaused = schedule.isPaused ?? false;
  return {
    ...toDefinitionView(definition),
    scheduleId: current.scheduleId,
    workflowId: target.workflow?.id ?? null,
    workflowTitle: target.workflow?.title ?? null,
    qstashCron: schedule.cron,
    description: describeCron(definition.cron),
    // A paused schedule does not fire at these times.
    nextFireTimes: isPaused ? [] : nextFireTimes(definition, now),
    qstashNextFireTime: isPaused ? null : isoOrNull(schedule.nextScheduleTime),
    isPaused,
    lastFireTime: isoOrNull(schedule.lastScheduleTime),
    lastFireState: lastFireState(schedule.lastScheduleStates),
    createdAt: isoOrNull(schedule.createdAt),
    unknownFields: current.unknown,
    definitionSource: current.source,
    version: scheduleVersion(current),
  };
}
