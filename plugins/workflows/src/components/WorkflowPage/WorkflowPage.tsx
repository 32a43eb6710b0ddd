import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  HeaderLabel,
  Page,
  Progress,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { workflowRunTriggerPermission } from '@internal/plugin-workflows-common';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useRuns } from '../../hooks/useRuns';
import { useWorkflow } from '../../hooks/useWorkflow';
import { rootRouteRef } from '../../routes';
import { useRunPath } from '../shared/links';
import { LoadError } from '../shared/errors';
import { PermissionButton } from '../shared/PermissionButton';
import { RunFiltersForm } from './RunFiltersForm';
import { RunsTable } from './RunsTable';
import { TriggerRunDialog } from './TriggerRunDialog';
import { WorkflowOverviewCard } from './WorkflowOverviewCard';

function RunsSection({ workflowId }: { workflowId: string }) {
  const { runs, loading, error, filters, setFilters, hasFilters, page } =
    useRuns(workflowId);

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <LoadError error={error} what="runs" />;
  } else if (!runs || runs.length === 0) {
    body = hasFilters ? (
      <EmptyState
        missing="data"
        title="No runs match these filters"
        description="Change or clear the filters to see more runs."
        action={<Button onClick={() => setFilters({})}>Clear filters</Button>}
      />
    ) : (
      <EmptyState
        missing="data"
        title="No runs yet"
        description="Runs appear here as soon as QStash calls this workflow, on its schedule or when it is triggered."
      />
    );
  } else {
    body = <RunsTable runs={runs} />;
  }

  return (
    <Stack spacing={2} component="section" aria-label="Runs of this workflow">
      <Paper sx={{ p: 2 }}>
        <RunFiltersForm filters={filters} onApply={setFilters} />
      </Paper>
      {body}
      <Stack
        direction="row"
        spacing={1}
        alignItems="center"
        justifyContent="flex-end"
        component="nav"
        aria-label="Run pages"
      >
        <Typography variant="body2" color="text.secondary" sx={{ mr: 1 }}>
          {page.number ? `Page ${page.number}` : 'An older page'}
        </Typography>
        <Button
          onClick={page.previous}
          disabled={!page.hasPrevious}
          sx={{ whiteSpace: 'nowrap' }}
        >
          Previous page
        </Button>
        <Button
          onClick={page.next}
          disabled={!page.hasNext || loading}
          sx={{ whiteSpace: 'nowrap' }}
        >
          Next page
        </Button>
      </Stack>
    </Stack>
  );
}

/** One workflow: who owns it, its schedule and stats, its runs, and a manual trigger. */
export function WorkflowPage() {
  const { workflowId = '' } = useParams();
  const { workflow, loading, error } = useWorkflow(workflowId);
  const workflowsLink = useRouteRef(rootRouteRef)();
  const runPath = useRunPath();
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
