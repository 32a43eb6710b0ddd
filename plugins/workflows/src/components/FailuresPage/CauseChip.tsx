import type {
  FailureCause,
  FailureCauseKind,
} from '@internal/plugin-workflows-common';
import Chip from '@mui/material/Chip';

type ChipColor =
  | 'default'
  | 'primary'
  | 'secondary'
  | 'info'
  | 'warning'
  | 'error';

// Theme colours only, so the chips read in the dark theme too.
const COLOR: Record<FailureCauseKind, ChipColor> = {
  'missing-env': 'warning',
  'invalid-env': 'warning',
  signature: 'secondary',
  'upstream-4xx': 'error',
  'upstream-5xx': 'info',
  timeout: 'primary',
  'invalid-data': 'warning',
  'non-retryable': 'error',
  unknown: 'default',
};

/** The short name of a cause: "Env FOO missing", "Upstream 404", "Invalid data at a.csv:12". */
export function causeLabel(cause: FailureCause): string {
  switch (cause.kind) {
    case 'missing-env':
      return cause.envVar ? `Env ${cause.envVar} missing` : 'Env missing';
    case 'invalid-env':
      return cause.envVar ? `Env ${cause.envVar} invalid` : 'Env invalid';
    case 'signature':
      return 'Signature';
    case 'upstream-4xx':
    case 'upstream-5xx':
      return cause.status !== null
        ? `Upstream ${cause.status}`
        : `Upstream ${cause.kind === 'upstream-4xx' ? '4xx' : '5xx'}`;
    case 'timeout':
      return 'Timeout';
    case 'invalid-data': {
      if (!cause.file) return 'Invalid data';
      const at =
        cause.line !== null ? `${cause.file}:${cause.line}` : cause.file;
      return `Invalid data at ${at}`;
    }
    case 'non-retryable':
      return 'Non-retryable';
    default:
      return 'Unknown';
  }
}

export function CauseChip({ cause }: { cause: FailureCause }) {
  return (
    <Chip
      size="small"
      color={COLOR[cause.kind]}
      label={causeLabel(cause)}
      sx={{ maxWidth: '100%', fontWeight: 500 }}
    />
  );
}
