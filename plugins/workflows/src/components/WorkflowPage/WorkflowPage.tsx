import {
  Content,
  ContentHeader,
  Header,
  HeaderLabel,
  Page,
  Progress,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  workflowEntityName,
  workflowRunTriggerPermission,
} from '@internal/plugin-workflows-common';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useWorkflow } from '../../hooks/useWorkflow';
import { rootRouteRef } from '../../routes';
import { useRunPath, useWorkflowEntityPath } from '../shared/links';
import { LoadError } from '../shared/errors';
import { PermissionButton } from '../shared/PermissionButton';
import { RunsSection } from './RunsSection';
import { TriggerRunDialog } from './TriggerRunDialog';
import { WorkflowOverviewCard } from './WorkflowOverviewCard';

/** One workflow: who owns it, its schedule and stats, its runs, and a manual trigger. */
export function WorkflowPage() {
  const { workflowId = '' } = useParams();
  const { workflow, loading, error } = useWorkflow(workflowId);
  const workflowsLink = useRouteRef(rootRouteRef)();
  const runPath = useRunPath();
  const entityPath = useWorkflowEntityPath();
  const navigate = useNavigate();
  const [triggerOpen, setTriggerOpen] = useState(false);

  let overview;
  if (loading) {
    overview = <Progress />;
  } else if (error) {
    overview = <LoadError error={error} what="workflow" />;
  } else if (workflow) {
    overview = <WorkflowOverviewCard workflow={workflow} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title={workflow?.title ?? workflowId}
        subtitle={workflow?.description}
        type="Workflows"
        typeLink={workflowsLink}
      >
        {workflow && <HeaderLabel label="Owner" value={workflow.owner} />}
        {workflow && (
          <HeaderLabel
            label="Source"
            value={workflow.source === 'runner' ? 'Hosted' : 'Tracked'}
          />
        )}
        {workflow && (
          <HeaderLabel
            label="Catalog"
            value={workflowEntityName(workflow.id)}
            url={entityPath(workflow.id)}
          />
        )}
      </Header>
      <Content>
        <ContentHeader title="Overview">
          <PermissionButton
            permission={workflowRunTriggerPermission}
            workflowId={workflowId}
            variant="contained"
            startIcon={<PlayArrowIcon />}
            disabled={!workflow}
            onClick={() => setTriggerOpen(true)}
          >
            Trigger
          </PermissionButton>
        </ContentHeader>
        <Stack spacing={3}>
          {overview}
          {!error && (
            <Box>
              <Typography variant="h5" component="h2" sx={{ mb: 2 }}>
                Runs
              </Typography>
              <RunsSection workflowId={workflowId} />
            </Box>
          )}
        </Stack>
        {workflow && (
          <TriggerRunDialog
            workflowId={workflow.id}
            workflowTitle={workflow.title}
            open={triggerOpen}
            onClose={() => setTriggerOpen(false)}
            onTriggered={runId => navigate(runPath(workflow.id, runId))}
          />
        )}
      </Content>
    </Page>
  );
}
