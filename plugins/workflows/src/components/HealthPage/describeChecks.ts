import type { ProbeVerdict } from '@internal/plugin-workflows-common';
import {
  healthVerdictLabel,
  VERDICTS_WORST_FIRST,
} from '../shared/HealthVerdictChip';
import type { HealthCheckRow } from './healthRows';

/** "5 checks: 1 failing, 1 warning, 3 OK", worst first; "No checks" for none. */
export function describeChecks(rows: HealthCheckRow[]): string {
  if (rows.length === 0) return 'No checks';
  const counts = new Map<ProbeVerdict, number>();
  for (const row of rows) {
    counts.set(row.verdict, (counts.get(row.verdict) ?? 0) + 1);
  }
  const parts = VERDICTS_WORST_FIRST.filter(verdict => counts.has(verdict)).map(
    verdict =>
      `${counts.get(verdict)} ${
        verdict === 'ok' ? 'OK' : healthVerdictLabel(verdict).toLowerCase()
      }`,
  );
  return `${rows.length} check${rows.length === 1 ? '' : 's'}: ${parts.join(
    ', ',
  )}`;
}
