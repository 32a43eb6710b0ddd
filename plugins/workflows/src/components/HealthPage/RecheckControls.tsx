import { workflowRunTriggerPermission } from '@internal/plugin-workflows-common';
import ReplayIcon from '@mui/icons-material/Replay';
import Checkbox from '@mui/material/Checkbox';
import CircularProgress from '@mui/material/CircularProgress';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import type { HealthRecheckOptions } from '../../api/WorkflowsApi';
import { PermissionButton } from '../shared/PermissionButton';

/**
 * Probes a workflow again past the cache, optionally asking the social
 * platforms too. The backend lets only those who may trigger the workflow.
 */
export function RecheckControls({
  workflowId,
  workflowTitle,
  rechecking,
  onRecheck,
}: {
  workflowId: string;
  workflowTitle: string;
  rechecking: boolean;
  onRecheck: (options: HealthRecheckOptions) => void;
}) {
  const [probePlatforms, setProbePlatforms] = useState(false);
  return (
    <Stack
      direction="row"
      spacing={1}
      alignItems="center"
      flexWrap="wrap"
      useFlexGap
    >
      <FormControlLabel
        control={
          <Checkbox
            size="small"
            checked={probePlatforms}
            onChange={event => setProbePlatforms(event.target.checked)}
          />
        }
        label="Also probe social platforms (dry run)"
        title="Asks each platform whose credentials these are; posts nothing"
        sx={{ mr: 0 }}
      />
      <PermissionButton
        permission={workflowRunTriggerPermission}
        workflowId={workflowId}
        variant="outlined"
        aria-label={`Re-check ${workflowTitle}`}
        startIcon={
          rechecking ? (
            <CircularProgress size={16} color="inherit" />
          ) : (
            <ReplayIcon />
          )
        }
        disabled={rechecking}
        onClick={() => onRecheck({ probePlatforms })}
        sx={{ whiteSpace: 'nowrap' }}
      >
        {rechecking ? 'Re-checking…' : 'Re-check'}
      </PermissionButton>
    </Stack>
  );
}
