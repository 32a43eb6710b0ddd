import { Link } from '@backstage/core-components';
import type {
  WorkflowHealth,
  WorkflowOverview,
} from '@internal/plugin-workflows-common';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { errorMessage } from '../shared/errors';
import {
  HealthVerdictChip,
  healthVerdictLabel,
} from '../shared/HealthVerdictChip';
import { useWorkflowHealthPath } from '../shared/links';

/** The one health answer of the whole table, as it stands. */
export type TableHealth = {
  byWorkflow: Map<string, WorkflowHealth> | undefined;
  loading: boolean;
  error: Error | undefined;
};

const quiet = { whiteSpace: 'nowrap' } as const;

/** A workflow's health verdict, linking to its health view; words instead while unknown. */
export function HealthBadgeCell({
  workflow,
  health,
}: {
  workflow: WorkflowOverview;
  health: TableHealth;
}) {
  const healthPath = useWorkflowHealthPath();
  if (health.loading) {
    return (
      <Typography variant="caption" color="text.secondary" sx={quiet}>
        Checking…
      </Typography>
    );
  }
  if (health.error) {
    return (
      <Tooltip
        title={`Could not load the health: ${errorMessage(health.error)}`}
      >
        <Typography variant="caption" color="text.secondary" sx={quiet}>
          Health unknown
        </Typography>
      </Tooltip>
    );
  }
  const own = health.byWorkflow?.get(workflow.id);
  if (!own) {
    return (
      <Typography variant="caption" color="text.secondary" sx={quiet}>
        Not checked
      </Typography>
    );
  }
  return (
    <Link
      to={healthPath(workflow.id)}
      aria-label={`Health of ${workflow.title}: ${healthVerdictLabel(
        own.verdict,
      )}`}
    >
      <HealthVerdictChip verdict={own.verdict} />
    </Link>
  );
}
