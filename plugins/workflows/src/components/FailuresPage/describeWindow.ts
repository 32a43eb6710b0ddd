import {
  TRIAGE_WINDOW_PRESETS,
  type TriageWindow,
} from '../../hooks/triageWindow';
import { formatDateTime } from '../shared/time';

/** "the last 24 hours", or "25 Nov 2026, 10:00:00 to 26 Nov 2026, 10:00:00". */
export function describeWindow(timeWindow: TriageWindow): string {
  if (timeWindow.kind === 'preset') {
    return TRIAGE_WINDOW_PRESETS[timeWindow.preset].words;
  }
  return `${formatDateTime(timeWindow.from)} to ${formatDateTime(
    timeWindow.to,
  )}`;
}
