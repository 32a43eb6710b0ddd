/** The fixed windows of the failures page, by their name in the URL. */
export const TRIAGE_WINDOW_PRESETS = {
  '1h': { label: 'Last hour', words: 'the last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', words: 'the last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', words: 'the last 7 days', ms: 604_800_000 },
} as const;

export type TriageWindowPreset = keyof typeof TRIAGE_WINDOW_PRESETS;

export const DEFAULT_TRIAGE_WINDOW: TriageWindowPreset = '24h';
/** Where a link to a group that is not in the default window widens to. */
export const WIDEST_TRIAGE_WINDOW: TriageWindowPreset = '7d';

export const isTriageWindowPreset = (
  value: string,
): value is TriageWindowPreset =>
  Object.prototype.hasOwnProperty.call(TRIAGE_WINDOW_PRESETS, value);

/** A window ending now, or two fixed times (ISO, from inclusive, to exclusive). */
export type TriageWindow =
  | { kind: 'preset'; preset: TriageWindowPreset }
  | { kind: 'custom'; from: string; to: string };

const MINUTE_MS = 60_000;

/**
 * The times to ask the server for. A preset ends with the current minute:
 * reloads within it ask the same question, which the server answers from
 * what it computed last while no failure changed it.
 */
export function triageRange(
  timeWindow: TriageWindow,
  now = Date.now(),
): { from: string; to: string } {
  if (timeWindow.kind === 'custom')
    return { from: timeWindow.from, to: timeWindow.to };
  const end = Math.ceil(now / MINUTE_MS) * MINUTE_MS;
  return {
    from: new Date(
      end - TRIAGE_WINDOW_PRESETS[timeWindow.preset].ms,
    ).toISOString(),
    to: new Date(end).toISOString(),
  };
}
