import { useTheme } from '@mui/material/styles';

/**
 * A small bar chart of counts, oldest first; the counts are its accessible
 * name. Empty buckets show as a baseline tick so the time axis stays readable.
 */
export function Sparkline({
  values,
  label = 'Failures over the window',
  width = 120,
  height = 28,
}: {
  values: number[];
  label?: string;
  width?: number;
  height?: number;
}) {
  const theme = useTheme();
  const name = `${label}: ${values.length ? values.join(', ') : 'no data'}`;
  const max = Math.max(1, ...values);
  const slot = values.length ? width / values.length : width;
  const gap = slot > 3 ? 1 : 0;
  return (
    <svg
      role="img"
      aria-label={name}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      style={{ display: 'block', flexShrink: 0 }}
    >
      <title>{name}</title>
      {values.map((value, index) => {
        const barHeight = value === 0 ? 1 : Math.max(2, (value / max) * height);
        return (
          <rect
            key={index}
            x={index * slot}
            y={height - barHeight}
            width={Math.max(1, slot - gap)}
            height={barHeight}
            fill={
              value === 0 ? theme.palette.divider : theme.palette.error.main
            }
          />
        );
      })}
    </svg>
  );
}
