/** "92 %"; never rounds a failure away ("99.6 %", not "100 %"); "—" without finished runs. */
export function formatSuccessRate(rate: number | null): string {
  if (rate === null) return '—';
  const percent = rate * 100;
  const whole = Math.round(percent);
  if ((whole === 100 && rate < 1) || (whole === 0 && rate > 0)) {
    return `${percent.toFixed(1)} %`;
  }
  return `${whole} %`;
}
