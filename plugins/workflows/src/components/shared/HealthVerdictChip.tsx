import type { ProbeVerdict } from '@internal/plugin-workflows-common';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import RemoveCircleOutlineIcon from '@mui/icons-material/RemoveCircleOutline';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import Chip from '@mui/material/Chip';
import type { ReactElement } from 'react';

type ChipColor = 'default' | 'success' | 'warning' | 'error';

// Theme colours only, so the chips read in the dark theme too; the icon and
// the word carry the verdict for readers who cannot tell the colours apart.
const VERDICT_LOOK: Record<
  ProbeVerdict,
  { label: string; color: ChipColor; icon: ReactElement }
> = {
  ok: { label: 'OK', color: 'success', icon: <CheckCircleIcon /> },
  warning: { label: 'Warning', color: 'warning', icon: <WarningAmberIcon /> },
  failing: { label: 'Failing', color: 'error', icon: <ErrorIcon /> },
  'not-probed': {
    label: 'Not probed',
    color: 'default',
    icon: <RemoveCircleOutlineIcon />,
  },
};

/** Worst first: the order to list workflows and checks in. */
export const VERDICTS_WORST_FIRST: ProbeVerdict[] = [
  'failing',
  'warning',
  'not-probed',
  'ok',
];

export const healthVerdictLabel = (verdict: ProbeVerdict) =>
  VERDICT_LOOK[verdict].label;

export function HealthVerdictChip({ verdict }: { verdict: ProbeVerdict }) {
  const { label, color, icon } = VERDICT_LOOK[verdict];
  return (
    <Chip
      size="small"
      label={label}
      color={color}
      icon={icon}
      variant="outlined"
      sx={{ m: 0, fontWeight: 500 }}
    />
  );
}
