import {
  workflowDlqManagePermission,
  type DlqAction,
  type DlqSource,
} from '@internal/plugin-workflows-common';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import {
  PermissionButton,
  usePermissionGate,
} from '../shared/PermissionButton';
import { actionsFor, DLQ_ACTIONS, entriesText } from './dlqActions';

/**
 * The actions for the selected dead letter entries, gated on the DLQ
 * permission for the group's workflow. The denial reason is written out, not
 * only in the buttons' tooltips.
 */
export function DlqActionBar({
  workflowId,
  selectedSources,
  availableSources,
  wholeGroupCount,
  onAction,
}: {
  workflowId: string;
  /** The DLQ of each selected entry. */
  selectedSources: DlqSource[];
  /** The DLQ of each entry that can be selected. */
  availableSources: DlqSource[];
  /** Set when the whole group in the DLQ is selected, listed or not. */
  wholeGroupCount?: number;
  onAction: (action: DlqAction) => void;
}) {
  const { deniedReason } = usePermissionGate(
    workflowDlqManagePermission,
    workflowId,
  );
  const count = wholeGroupCount ?? selectedSources.length;
  // A whole group may hold entries not listed: their queues are not known here.
  const sources = wholeGroupCount ? availableSources : selectedSources;
  const mixed = new Set(sources).size > 1;
  const actions = actionsFor(count ? sources : availableSources);
  return (
    <Stack spacing={1} component="section" aria-label="Dead letter actions">
      <Stack direction="row" flexWrap="wrap" gap={1} alignItems="center">
        <Typography variant="body2" sx={{ mr: 1, whiteSpace: 'nowrap' }}>
          {count ? `${entriesText(count)} selected` : 'Nothing selected'}
        </Typography>
        {actions.map(action => (
          <PermissionButton
            key={action}
            permission={workflowDlqManagePermission}
            workflowId={workflowId}
            variant="outlined"
            size="small"
            color={DLQ_ACTIONS[action].destructive ? 'error' : 'primary'}
            disabled={count === 0}
            onClick={() => onAction(action)}
            sx={{ whiteSpace: 'nowrap' }}
          >
            {DLQ_ACTIONS[action].label}
          </PermissionButton>
        ))}
      </Stack>
      {deniedReason && (
        <Typography variant="caption" color="text.secondary">
          {deniedReason} to act on dead letter entries of this workflow.
        </Typography>
      )}
      {mixed && (
        <Typography variant="caption" color="text.secondary">
          The selection holds workflow and message entries: only Delete applies
          to both. Select entries of one queue to resume, restart or redeliver.
        </Typography>
      )}
    </Stack>
  );
}
