import type { WorkflowHealth } from '@internal/plugin-workflows-common';
import Alert from '@mui/material/Alert';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useHealthRecheck } from '../../hooks/useHealth';
import { errorMessage } from '../shared/errors';
import { HealthVerdictChip } from '../shared/HealthVerdictChip';
import { describeChecks } from './describeChecks';
import { HealthChecksTable } from './HealthChecksTable';
import { healthRowsOf } from './healthRows';
import { RecheckControls } from './RecheckControls';

/**
 * The health of one workflow: its verdict, a row per variable, config key
 * and probe, and a re-check whose fresh results replace the loaded ones.
 */
export function WorkflowHealthPanel({
  health: loaded,
  title,
}: {
  health: WorkflowHealth;
  /** Shown before the verdict, e.g. a link to the workflow. */
  title?: ReactNode;
}) {
  const {
    health = loaded,
    rechecking,
    recheckError,
    recheckedFresh,
    recheck,
  } = useHealthRecheck(loaded.workflowId, loaded);
  const rows = healthRowsOf(health);

  return (
    <Stack spacing={1.5}>
      <Stack
        direction="row"
        spacing={1.5}
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        useFlexGap
      >
        <Stack
          direction="row"
          spacing={1.5}
          alignItems="center"
          flexWrap="wrap"
          useFlexGap
        >
          {title}
          <HealthVerdictChip verdict={health.verdict} />
          <Typography variant="body2" color="text.secondary">
            {describeChecks(rows)}
          </Typography>
        </Stack>
        <RecheckControls
          workflowId={health.workflowId}
          workflowTitle={health.workflowTitle}
          rechecking={rechecking}
          onRecheck={recheck}
        />
      </Stack>
      {rechecking && (
        <LinearProgress aria-label={`Re-checking ${health.workflowTitle}`} />
      )}
      {recheckError && (
        <Alert severity="error">
          Could not re-check {health.workflowTitle}:{' '}
          {errorMessage(recheckError)}
        </Alert>
      )}
      {recheckedFresh && !rechecking && (
        <Alert severity="success">
          Re-checked just now: these are fresh results.
        </Alert>
      )}
      {rows.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          This workflow needs no variables and has no probes.
        </Typography>
      ) : (
        <HealthChecksTable
          rows={rows}
          label={`Health checks of ${health.workflowTitle}`}
        />
      )}
    </Stack>
  );
}
