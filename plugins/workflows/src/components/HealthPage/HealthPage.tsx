import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
} from '@backstage/core-components';
import RefreshIcon from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import { useEnvHealth } from '../../hooks/useHealth';
import { errorMessage, LoadError } from '../shared/errors';
import { healthVerdictLabel } from '../shared/HealthVerdictChip';
import { HealthVerdictFilter } from './HealthVerdictFilter';
import { sortWorstFirst } from './sortWorstFirst';
import { useHealthView } from './useHealthView';
import { WorkflowHealthSection } from './WorkflowHealthSection';

/**
 * The env-var and probe health of every workflow the caller may read, worst
 * first, filtered by verdict (`?verdict=failing`), each with its fixes in
 * words and a re-check.
 */
export function HealthPage() {
  const { view, problem, setView } = useHealthView();
  const health = useEnvHealth();

  const items = health.value?.items;
  const shown =
    items &&
    sortWorstFirst(items).filter(
      item => !view.verdict || item.verdict === view.verdict,
    );

  let body;
  if (health.loading) {
    body = <Progress />;
  } else if (!shown) {
    body = health.error ? (
      <LoadError error={health.error} what="health of the workflows" />
    ) : null;
  } else if (shown.length === 0) {
    body = view.verdict ? (
      <EmptyState
        missing="data"
        title={`No workflow is ${healthVerdictLabel(
          view.verdict,
        ).toLowerCase()}`}
        description="Every workflow you may see has another verdict."
        action={
          <Button onClick={() => setView({})}>Show every workflow</Button>
        }
      />
    ) : (
      <EmptyState
        missing="data"
        title="No workflows to check"
        description="The portal knows no workflow you may see."
      />
    );
  } else {
    body = (
      <Stack spacing={2} aria-label="Workflow health" component="section">
        {shown.map(item => (
          <WorkflowHealthSection key={item.workflowId} health={item} />
        ))}
      </Stack>
    );
  }

  const count = shown?.length;
  return (
    <Page themeId="tool">
      <Header
        title="Health"
        subtitle="The variables, config and live probes every workflow needs"
      />
      <Content>
        <ContentHeader
          title={
            count === undefined
              ? 'Workflows'
              : `${count} workflow${count === 1 ? '' : 's'}`
          }
          description="Probes come from a 60 s cache; re-check a workflow to probe it again"
        >
          <Button
            startIcon={<RefreshIcon />}
            onClick={health.reload}
            disabled={health.loading || health.reloading}
            sx={{ whiteSpace: 'nowrap' }}
          >
            Refresh
          </Button>
        </ContentHeader>
        <Stack spacing={2}>
          <Paper sx={{ p: 2 }} role="search" aria-label="Health filters">
            <HealthVerdictFilter
              verdict={view.verdict}
              items={items}
              onChange={verdict => setView({ verdict })}
            />
          </Paper>
          {problem && <Alert severity="warning">{problem}</Alert>}
          {health.refreshError && (
            <Alert severity="warning">
              Could not refresh the health, showing the last answer:{' '}
              {errorMessage(health.refreshError)}
            </Alert>
          )}
          {body}
        </Stack>
      </Content>
    </Page>
  );
}
