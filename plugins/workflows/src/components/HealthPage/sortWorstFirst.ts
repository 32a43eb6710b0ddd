import type { WorkflowHealth } from '@internal/plugin-workflows-common';
import { VERDICTS_WORST_FIRST } from '../shared/HealthVerdictChip';

/** The workflows that need attention first, then by title. */
export function sortWorstFirst(items: WorkflowHealth[]): WorkflowHealth[] {
  return [...items].sort(
    (a, b) =>
      VERDICTS_WORST_FIRST.indexOf(a.verdict) -
        VERDICTS_WORST_FIRST.indexOf(b.verdict) ||
      a.workflowTitle.localeCompare(b.workflowTitle),
  );
}
