const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION_PATTERN = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART_PATTERN = /(\d+)(ms|s|m|h|d)/g;

/**
 * Parses QStash durations such as `50s`, `10h` or `1d10h30m` into milliseconds.
 * A bare integer counts as seconds, which is what older clients send.
 * Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!DURATION_PATTERN.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART_PATTERN)) {
    total += Number(amount) * UNIT_MS[unit];
  }
  return total;
}
