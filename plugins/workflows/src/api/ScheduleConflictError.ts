import type {
  ScheduleChange,
  ScheduleConflictResponse,
  ScheduleDefinitionView,
  ScheduleView,
} from '@internal/plugin-workflows-common';

/**
 * A save refused with 409 because the schedule changed since the editor
 * loaded it. Carries both versions so the editor can show them side by side.
 */
export class ScheduleConflictError extends Error {
  /** The schedule as QStash holds it now. */
  readonly current: ScheduleView;
  /** What the refused save would have written. */
  readonly proposed: ScheduleDefinitionView;
  /** From `current` to `proposed`. */
  readonly changes: ScheduleChange[];

  constructor(body: ScheduleConflictResponse) {
    super(body.error.message);
    this.name = 'ScheduleConflictError';
    this.current = body.current;
    this.proposed = body.proposed;
    this.changes = body.changes;
  }

  static is(value: unknown): value is ScheduleConflictError {
    return value instanceof ScheduleConflictError;
  }
}
