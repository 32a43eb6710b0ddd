import {
  Content,
  ContentHeader,
  Header,
  HeaderLabel,
  Link,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  workflowRunCancelPermission,
  type GetRunResponse,
} from '@internal/plugin-workflows-common';
import DownloadIcon from '@mui/icons-material/Download';
import StopIcon from '@mui/icons-material/Stop';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { RUN_POLL_INTERVAL_MS, RunUpdates, useRun } from '../../hooks/useRun';
import { useWorkflow } from '../../hooks/useWorkflow';
import { errorMessage, LoadError } from '../shared/errors';
import { Fact, FactList } from '../shared/Facts';
import { formatDuration } from '../shared/formatDuration';
import { useWorkflowPath } from '../shared/links';
import { PermissionButton } from '../shared/PermissionButton';
import { RunStatusChip, runStatusLabel } from '../shared/RunStatusChip';
import { saveBlob } from '../shared/saveBlob';
import { formatDateTime } from '../shared/time';
import { CancelRunDialog } from './CancelRunDialog';
import { FoldedText } from './StepOutput';
import { StepTimeline } from './StepTimeline';

function LiveIndicator({ updates }: { updates: RunUpdates }) {
  let text;
  if (updates === 'stream') text = 'Live';
  if (updates === 'polling') {
    text = `Refreshing every ${RUN_POLL_INTERVAL_MS / 1000} s`;
  }
  return (
    <Box role="status" aria-label="Updates">
      {text && (
        <Chip
          size="small"
          color={updates === 'stream' ? 'success' : 'default'}
          variant="outlined"
          label={text}
        />
      )}
    </Box>
  );
}

function RunSummary({ value }: { value: GetRunResponse }) {
  const { run } = value;
  return (
    <Paper sx={{ p: 2 }} component="section" aria-label="Run summary">
      <Stack spacing={2}>
        <FactList minColumnWidth={180}>
          <Fact term="Status">
            <RunStatusChip status={run.status} />
          </Fact>
          <Fact term="Started">
            <Typography variant="body2">
              {formatDateTime(run.startedAt)}
            </Typography>
          </Fact>
          <Fact term="Finished">
            <Typography variant="body2">
              {run.finishedAt ? formatDateTime(run.finishedAt) : '—'}
            </Typography>
          </Fact>
          <Fact term="Duration">
            <Typography variant="body2">
              {formatDuration(run.durationMs)}
            </Typography>
          </Fact>
          <Fact term="Steps">
            <Typography variant="body2">{run.stepCount}</Typography>
          </Fact>
          <Fact term="Label">
            <Typography variant="body2">{run.label ?? '—'}</Typography>
          </Fact>
          {run.dlqId && (
            <Fact term="Dead letter queue entry">
              <Typography
                variant="body2"
                fontFamily="monospace"
                sx={{ overflowWrap: 'anywhere' }}
              >
                {run.dlqId}
              </Typography>
            </Fact>
          )}
        </FactList>
        {run.error && (
          <Alert severity="error" role="group" aria-label="Run error">
            {run.failedStep && (
              <Typography variant="subtitle2" component="p">
                Failed at step {run.failedStep}
              </Typography>
            )}
            <FoldedText text={run.error} label="Run error text" color="error" />
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** One run: its steps on a time axis, outputs and errors; live while it runs. */
export function RunPage() {
  const { workflowId = '', runId = '' } = useParams();
  const api = useApi(workflowsApiRef);
  const { workflow } = useWorkflow(workflowId);
  const workflowLink = useWorkflowPath()(workflowId);
  const { value, error, refreshError, updates, loading, showRun } =
    useRun(runId);
  const [cancelOpen, setCancelOpen] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [downloadError, setDownloadError] = useState<string>();
  const [downloading, setDownloading] = useState(false);

  const download = async () => {
    setDownloading(true);
    setDownloadError(undefined);
    try {
      const { blob, filename } = await api.downloadRunLog(runId);
      saveBlob(blob, filename);
    } catch (e) {
      setDownloadError(
        `Could not download the log: ${errorMessage(e as Error)}`,
      );
    } finally {
      setDownloading(false);
    }
  };

  let body;
  if (loading) {
    body = <Progress />;
  } else if (!value) {
    body = error ? <LoadError error={error} what="run" /> : null;
  } else {
    body = (
      <Stack spacing={3}>
        {refreshError && (
          <Alert severity="warning">
            Could not refresh the run, trying again:{' '}
            {errorMessage(refreshError)}
          </Alert>
        )}
        <RunSummary value={value} />
        <Box component="section" aria-label="Step timeline">
          <Typography variant="h5" component="h2" sx={{ mb: 1 }}>
            Steps
          </Typography>
          <StepTimeline run={value.run} steps={value.steps} />
        </Box>
      </Stack>
    );
  }

  const running = value?.run.status === 'running';
  return (
    <Page themeId="tool">
      <Header
        title={workflow?.title ?? workflowId}
        subtitle={`Run ${runId}`}
        type="Workflow"
        typeLink={workflowLink}
      >
        {value && (
          <HeaderLabel
            label="Status"
            value={runStatusLabel(value.run.status)}
          />
        )}
        {value && (
          <HeaderLabel
            label="Duration"
            value={formatDuration(value.run.durationMs)}
          />
        )}
      </Header>
      <Content>
        <ContentHeader title="Run">
          <Stack direction="row" spacing={1} alignItems="center">
            <LiveIndicator updates={updates} />
            <Button
              variant="outlined"
              startIcon={<DownloadIcon />}
              onClick={download}
              disabled={downloading || !value}
              sx={{ whiteSpace: 'nowrap' }}
            >
              Download log
            </Button>
            {running && (
              <PermissionButton
                permission={workflowRunCancelPermission}
                workflowId={workflowId}
                variant="outlined"
                color="error"
                startIcon={<StopIcon />}
                onClick={() => setCancelOpen(true)}
                sx={{ whiteSpace: 'nowrap' }}
              >
                Cancel run
              </PermissionButton>
            )}
          </Stack>
        </ContentHeader>
        <Stack spacing={2}>
          {notice && (
            <Alert severity="success" onClose={() => setNotice(undefined)}>
              {notice}
            </Alert>
          )}
          {downloadError && (
            <Alert severity="error" onClose={() => setDownloadError(undefined)}>
              {downloadError}
            </Alert>
          )}
          {body}
          <Link to={workflowLink}>All runs of this workflow</Link>
        </Stack>
        <CancelRunDialog
          runId={runId}
          open={cancelOpen}
          onClose={() => setCancelOpen(false)}
          onCancelled={run => {
            showRun(run);
            setCancelOpen(false);
            setNotice(
              'Run cancelled: QStash calls the workflow no more; steps already done stay done.',
            );
          }}
        />
      </Content>
    </Page>
  );
}
