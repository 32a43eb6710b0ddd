import type { TriageGroup } from '@internal/plugin-workflows-common';
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowForwardIcon from '@mui/icons-material/ArrowForward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

const LOOK = {
  rising: { Icon: ArrowUpwardIcon, word: 'Up', color: 'error.main' },
  falling: { Icon: ArrowDownwardIcon, word: 'Down', color: 'success.main' },
  steady: { Icon: ArrowForwardIcon, word: 'Steady', color: 'text.secondary' },
} as const;

/** How the group compares with the window of equal length before this one. */
export function TrendText({
  trend,
  previousCount,
}: Pick<TriageGroup, 'trend' | 'previousCount'>) {
  if (trend === 'new') {
    return (
      <Chip
        size="small"
        color="warning"
        variant="outlined"
        label="New"
        title="No failures like this in the window before"
      />
    );
  }
  const { Icon, word, color } = LOOK[trend];
  return (
    <Stack direction="row" spacing={0.5} alignItems="center">
      <Icon fontSize="small" sx={{ color }} aria-hidden />
      <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
        {word} from {previousCount}
      </Typography>
    </Stack>
  );
}
