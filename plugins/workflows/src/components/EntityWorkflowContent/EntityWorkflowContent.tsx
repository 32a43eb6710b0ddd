import { EmptyState, Link, Progress } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { WORKFLOW_ID_ANNOTATION } from '@internal/plugin-workflows-common';
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useWorkflow } from '../../hooks/useWorkflow';
import { LoadError } from '../shared/errors';
import { useWorkflowPath } from '../shared/links';
import { RunsSection } from '../WorkflowPage/RunsSection';
import { WorkflowOverviewCard } from '../WorkflowPage/WorkflowOverviewCard';
import { HealthSummary } from './HealthSummary';

function UnknownWorkflow({ workflowId }: { workflowId: string }) {
  return (
    <EmptyState
      missing="info"
      title={`No workflow "${workflowId}"`}
      description={`The ${WORKFLOW_ID_ANNOTATION} annotation of this entity names a workflow the portal does not know, or no longer knows. Check the id against the Workflows page.`}
    />
  );
}

function WorkflowOfEntity({ workflowId }: { workflowId: string }) {
  const { workflow, loading, error } = useWorkflow(workflowId);
  const workflowPath = useWorkflowPath();

  if (loading) return <Progress />;
  if (error) {
    return ResponseError.is(error) && error.statusCode === 404 ? (
      <UnknownWorkflow workflowId={workflowId} />
    ) : (
      <LoadError error={error} what="workflow" />
    );
  }
  if (!workflow) return null;
  return (
    <Stack spacing={3}>
      <Stack
        direction="row"
        spacing={2}
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        useFlexGap
      >
        <Box>
          <Typography variant="h5" component="h2">
            {workflow.title}
          </Typography>
          {workflow.description && (
            <Typography variant="body2" color="text.secondary">
              {workflow.description}
            </Typography>
          )}
        </Box>
        <Button
          component={Link}
          to={workflowPath(workflow.id)}
          variant="outlined"
          startIcon={<AccountTreeIcon />}
          sx={{ whiteSpace: 'nowrap' }}
        >
          Open in Workflows
        </Button>
      </Stack>
      <WorkflowOverviewCard workflow={workflow} />
      <HealthSummary workflowId={workflow.id} />
      <Box>
        <Typography variant="h6" component="h3" sx={{ mb: 2 }}>
          Runs
        </Typography>
        <RunsSection workflowId={workflow.id} />
      </Box>
    </Stack>
  );
}

/**
 * The Workflow tab of an entity that carries the workflow id annotation: the
 * workflow's schedule, health and runs, and a link to its page in Workflows.
 */
export function EntityWorkflowContent() {
  const { entity } = useEntity();
  const workflowId = entity.metadata.annotations?.[WORKFLOW_ID_ANNOTATION];
  if (!workflowId) {
    return <MissingAnnotationEmptyState annotation={WORKFLOW_ID_ANNOTATION} />;
  }
  return <WorkflowOfEntity workflowId={workflowId} />;
}
