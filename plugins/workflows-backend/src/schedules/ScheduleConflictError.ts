import { ConflictError } from '@backstage/errors';
import type {
  ScheduleChange,
  ScheduleDefinitionView,
  ScheduleView,
} from '@internal/plugin-workflows-common';

/** A save against a version that is no longer QStash's: both versions go back to the editor. */
export class ScheduleConflictError extends ConflictError {
  constructor(
    readonly current: ScheduleView,
    readonly proposed: ScheduleDefinitionView,
    readonly changes: ScheduleChange[],
  ) {
    super(
      `Schedule "${current.scheduleId}" changed on QStash since the editor loaded it; nothing was saved. Review the current version and save again.`,
    );
  }
}
