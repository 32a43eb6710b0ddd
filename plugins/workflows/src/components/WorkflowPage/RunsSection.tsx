import { EmptyState, Progress } from '@backstage/core-components';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useRuns } from '../../hooks/useRuns';
import { LoadError } from '../shared/errors';
import { RunFiltersForm } from './RunFiltersForm';
import { RunsTable } from './RunsTable';

/** The runs of one workflow with their filters and pages, as the page URL holds them. */
export function RunsSection({ workflowId }: { workflowId: string }) {
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
