import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { formatDuration } from '../shared/formatDuration';
import { HealthVerdictChip } from '../shared/HealthVerdictChip';
import { RelativeTime } from '../shared/time';
import { HEALTH_CHECK_KIND_LABELS, type HealthCheckRow } from './healthRows';

const nowrap = { whiteSpace: 'nowrap' } as const;

function LastCheckedCell({ row }: { row: HealthCheckRow }) {
  if (!row.checkedAt) {
    return (
      <Typography variant="body2" color="text.secondary">
        —
      </Typography>
    );
  }
  return (
    <Stack direction="row" spacing={1} alignItems="center" sx={nowrap}>
      <Typography variant="body2" component="span">
        <RelativeTime iso={row.checkedAt} />
      </Typography>
      {row.cached && (
        <Tooltip title="From the backend's 60 s cache; re-check to probe again">
          <Chip size="small" variant="outlined" label="Cached" sx={{ m: 0 }} />
        </Tooltip>
      )}
    </Stack>
  );
}

/** Every variable, config key and probe of one workflow, with what was found and what to do. */
export function HealthChecksTable({
  rows,
  label,
}: {
  rows: HealthCheckRow[];
  label: string;
}) {
  return (
    <TableContainer>
      <Table
        size="small"
        aria-label={label}
        // The theme lets cells break words anywhere, which squeezes columns.
        sx={{ '& th, & td': { wordBreak: 'normal' } }}
      >
        <TableHead>
          <TableRow>
            <TableCell sx={{ minWidth: 180 }}>Check</TableCell>
            <TableCell sx={nowrap}>Kind</TableCell>
            <TableCell sx={nowrap}>Verdict</TableCell>
            <TableCell sx={{ minWidth: 160 }}>Found</TableCell>
            <TableCell sx={{ minWidth: 180 }}>Fix</TableCell>
            <TableCell sx={nowrap}>Latency</TableCell>
            <TableCell sx={nowrap}>Last checked</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow key={row.key} data-testid={`health-check-${row.key}`}>
              <TableCell>
                <Typography
                  variant="body2"
                  fontFamily={row.kind === 'probe' ? undefined : 'monospace'}
                  sx={{ overflowWrap: 'anywhere' }}
                >
                  {row.name}
                </Typography>
              </TableCell>
              <TableCell sx={nowrap}>
                {HEALTH_CHECK_KIND_LABELS[row.kind]}
              </TableCell>
              <TableCell>
                <HealthVerdictChip verdict={row.verdict} />
              </TableCell>
              <TableCell>
                <Typography variant="body2">{row.finding}</Typography>
              </TableCell>
              <TableCell>
                {row.fix ? (
                  <Typography variant="body2">{row.fix}</Typography>
                ) : (
                  <Typography variant="body2" color="text.secondary">
                    {row.verdict === 'ok' ? 'Nothing to do' : '—'}
                  </Typography>
                )}
              </TableCell>
              <TableCell sx={nowrap}>{formatDuration(row.latencyMs)}</TableCell>
              <TableCell>
                <LastCheckedCell row={row} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
