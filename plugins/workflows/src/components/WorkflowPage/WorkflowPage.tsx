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
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useWorkflow } from '../../hooks/useWorkflow';
import { rootRouteRef } from '../../routes';
import { WorkflowHealthTab } from '../HealthPage/WorkflowHealthTab';
import { useRunPath, useWorkflowEntityPath } from '../shared/links';
import { LoadError } from '../shared/errors';
import { PermissionButton } from '../shared/PermissionButton';
import { RunsSection } from './RunsSection';
import { TriggerRunDialog } from './TriggerRunDialog';
import { useWorkflowTab, type WorkflowTab } from './useWorkflowTab';
import { WorkflowOverviewCard } from './WorkflowOverviewCard';

const TAB_LABELS: Record<WorkflowTab, string> = {
  runs: 'Runs',
  health: 'Health',
};

/**
 * One workflow: who owns it, its schedule and stats, a manual trigger, and
 * tabs for its runs and its health (`?tab=health`).
 */
export function WorkflowPage() {
  const { workflowId = '' } = useParams();
  const { workflow, loading, error } = useWorkflow(workflowId);
  const workflowsLink = useRouteRef(rootRouteRef)();
  const runPath = useRunPath();
  const entityPath = useWorkflowEntityPath();
  const navigate = useNavigate();
  const [triggerOpen, setTriggerOpen] = useState(false);
  const { tab, setTab } = useWorkflowTab();

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
              <Tabs
                value={tab}
                onChange={(_event, next: WorkflowTab) => setTab(next)}
                aria-label="Views of this workflow"
                sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}
              >
                {Object.entries(TAB_LABELS).map(([value, label]) => (
                  <Tab
                    key={value}
                    value={value}
                    label={label}
                    id={`workflow-tab-${value}`}
                    aria-controls={`workflow-tabpanel-${value}`}
                  />
                ))}
              </Tabs>
              <Box
                role="tabpanel"
                id={`workflow-tabpanel-${tab}`}
                aria-labelledby={`workflow-tab-${tab}`}
              >
                {tab === 'health' ? (
                  <WorkflowHealthTab workflowId={workflowId} />
                ) : (
                  <RunsSection workflowId={workflowId} />
                )}
              </Box>
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
