import { Link } from '@backstage/core-components';
import type { WorkflowOverview } from '@internal/plugin-workflows-common';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { useSchedulesPath } from '../SchedulesPage/scheduleLinks';
import { Fact, FactList } from '../shared/Facts';
import { formatDuration } from '../shared/formatDuration';
import { useRunPath } from '../shared/links';
import { formatSuccessRate } from '../shared/formatSuccessRate';
import { RunStatusChip } from '../shared/RunStatusChip';
import { ScheduleText } from '../shared/ScheduleText';
import { RelativeTime } from '../shared/time';

/** Who owns the workflow, where QStash calls it, when it runs and how it has been doing. */
export function WorkflowOverviewCard({
  workflow,
}: {
  workflow: WorkflowOverview;
}) {
  const runPath = useRunPath();
  const schedulesPath = useSchedulesPath();
  const { hash } = useLocation();
  const { stats } = workflow;
  // The card appears after the page loaded, too late for the browser's own jump to the anchor.
  useEffect(() => {
    if (hash.length > 1) {
      document.getElementById(hash.slice(1))?.scrollIntoView?.();
    }
  }, [hash]);
  return (
    <Paper sx={{ p: 2 }} aria-label="Workflow overview" component="section">
      <FactList minColumnWidth={220}>
        <Fact term="Owner">
          <Typography variant="body2">{workflow.owner}</Typography>
        </Fact>
        <Fact term="Endpoint">
          <Typography
            variant="body2"
            fontFamily="monospace"
            sx={{ overflowWrap: 'anywhere' }}
          >
            {workflow.endpoint}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {workflow.source === 'runner'
              ? 'Hosted by this backend'
              : 'Tracked by URL, hosted elsewhere'}
          </Typography>
        </Fact>
        <Fact term="Schedule">
          <ScheduleText
            schedule={workflow.schedule}
            nextRunAt={stats.nextRunAt}
          />
          <Link
            to={
              workflow.schedule
                ? schedulesPath({ workflow: workflow.id })
                : schedulesPath({
                    workflow: workflow.id,
                    create: { workflow: workflow.id },
                  })
            }
          >
            {workflow.schedule ? 'Edit schedule' : 'Add a schedule'}
          </Link>
        </Fact>
        <Fact term="Last run">
          {stats.lastRun ? (
            <Stack direction="row" spacing={1} alignItems="center">
              <RunStatusChip status={stats.lastRun.status} />
              <Link to={runPath(workflow.id, stats.lastRun.runId)}>
                <RelativeTime iso={stats.lastRun.startedAt} />
              </Link>
            </Stack>
          ) : (
            <Typography variant="body2" color="text.secondary">
              No runs yet
            </Typography>
          )}
        </Fact>
        <Fact term="Success (7 days)">
          <Typography variant="body2">
            {formatSuccessRate(stats.successRate7d)}{' '}
            <Typography
              component="span"
              variant="caption"
              color="text.secondary"
            >
              of {stats.runs7d} finished run{stats.runs7d === 1 ? '' : 's'}
            </Typography>
          </Typography>
        </Fact>
        <Fact term="p50 duration (7 days)">
          <Typography variant="body2">
            {formatDuration(stats.p50DurationMs7d)}
          </Typography>
        </Fact>
        {/* Older links to causes in the environment land here; new ones open the Health tab. */}
        <Fact term="Needs" id="environment">
          {workflow.requiredEnv.length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              No variables
            </Typography>
          ) : (
            <Stack direction="row" flexWrap="wrap" gap={0.5}>
              {workflow.requiredEnv.map(name => (
                <Chip
                  key={name}
                  size="small"
                  label={name}
                  sx={{ fontFamily: 'monospace' }}
                />
              ))}
            </Stack>
          )}
        </Fact>
      </FactList>
    </Paper>
  );
}
