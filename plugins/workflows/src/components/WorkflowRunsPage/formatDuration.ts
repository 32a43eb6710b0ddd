/** "850 ms", "12.4 s", "3 min 5 s": readable at a glance in a table. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

export function runDurationMs(
  startedAt: string,
  finishedAt: string | null,
): number | null {
  return finishedAt === null
    ? null
    : Date.parse(finishedAt) - Date.parse(startedAt);
}
