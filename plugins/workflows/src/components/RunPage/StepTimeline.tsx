import type {
  RunStep,
  StepState,
  WorkflowRun,
} from '@internal/plugin-workflows-common';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { useState } from 'react';
import { formatDuration } from '../shared/formatDuration';
import { StepStateChip } from '../shared/RunStatusChip';
import { formatDateTime } from '../shared/time';
import { FoldedText, readableOutput, StepOutput } from './StepOutput';

/** Steps of one sequential step, one Promise.all, or QStash's pending frontier. */
export type StepBlock = {
  key: string;
  group: RunStep['group'];
  steps: RunStep[];
};

/** Steps in run order, the parallel ones of one groupIndex together, the frontier last. */
export function blocksOf(steps: RunStep[]): StepBlock[] {
  const ordered = [...steps].sort((a, b) => a.position - b.position);
  const blocks: StepBlock[] = [];
  const shared = new Map<string, StepBlock>();
  for (const step of ordered) {
    if (step.group === 'sequential') {
      blocks.push({
        key: `step-${step.position}`,
        group: 'sequential',
        steps: [step],
      });
      continue;
    }
    const key = `${step.group}-${step.groupIndex}`;
    let block = shared.get(key);
    if (!block) {
      block = { key, group: step.group, steps: [] };
      shared.set(key, block);
      blocks.push(block);
    }
    block.steps.push(step);
  }
  return [
    ...blocks.filter(block => block.group !== 'next'),
    ...blocks.filter(block => block.group === 'next'),
  ];
}

/** Start and length of the run's time axis, in epoch milliseconds. */
export function timeAxisOf(run: WorkflowRun, steps: RunStep[], now: number) {
  const start = Date.parse(run.startedAt);
  let end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  for (const step of steps) {
    if (step.finishedAt) end = Math.max(end, Date.parse(step.finishedAt));
    if (step.startedAt && !step.finishedAt && run.status === 'running') {
      end = Math.max(end, now);
    }
  }
  return { start, span: Math.max(end - start, 1) };
}

const BAR_COLOR: Record<
  StepState,
  'success' | 'error' | 'info' | 'warning' | 'grey'
> = {
  succeeded: 'success',
  failed: 'error',
  running: 'info',
  retrying: 'warning',
  pending: 'grey',
  cancelled: 'grey',
};

function DurationBar({
  step,
  axis,
  now,
}: {
  step: RunStep;
  axis: { start: number; span: number };
  now: number;
}) {
  const theme = useTheme();
  if (!step.startedAt) {
    return (
      <Typography
        variant="caption"
        color="text.secondary"
        sx={{ whiteSpace: 'nowrap' }}
      >
        Not started
      </Typography>
    );
  }
  const started = Date.parse(step.startedAt);
  const length =
    step.durationMs ??
    (step.finishedAt ? Date.parse(step.finishedAt) : now) - started;
  const left = Math.min(Math.max((started - axis.start) / axis.span, 0), 1);
  const width = Math.min(Math.max(length / axis.span, 0.005), 1 - left);
  const colorName = BAR_COLOR[step.state];
  const color =
    colorName === 'grey'
      ? theme.palette.grey[500]
      : theme.palette[colorName].main;
  return (
    <Box
      data-testid={`bar-${step.position}`}
      title={`Starts ${formatDuration(
        started - axis.start,
      )} into the run, takes ${formatDuration(length)}`}
      sx={{
        position: 'relative',
        height: 10,
        borderRadius: 1,
        bgcolor: 'action.hover',
      }}
    >
      <Box
        sx={{ position: 'absolute', top: 0, bottom: 0, borderRadius: 1 }}
        // Per-bar values inline: one CSS class per step would be wasteful.
        style={{
          left: `${(left * 100).toFixed(2)}%`,
          width: `${(width * 100).toFixed(2)}%`,
          backgroundColor: color,
        }}
      />
    </Box>
  );
}

const ROW_COLUMNS = {
  display: 'grid',
  gridTemplateColumns: 'minmax(180px, 2fr) 104px 88px 80px minmax(140px, 3fr)',
  columnGap: 2,
  alignItems: 'center',
  width: '100%',
} as const;

function AttemptResult({
  error,
  output,
  label,
}: {
  error: string | null;
  output: string | null;
  label: string;
}) {
  if (error) {
    return (
      <FoldedText text={error} label={`Error of ${label}`} color="error" />
    );
  }
  const readable = readableOutput(output);
  if (readable.kind === 'empty') return null;
  return <FoldedText text={readable.text} label={`Output of ${label}`} />;
}

function AttemptLog({ step }: { step: RunStep }) {
  if (step.attemptLog.length === 0) return null;
  return (
    <Table
      size="small"
      aria-label={`Attempts of ${step.name}`}
      // The theme lets cells break words anywhere, which squeezes columns.
      sx={{ '& th, & td': { wordBreak: 'normal' } }}
    >
      <TableHead>
        <TableRow>
          <TableCell>Attempt</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Started</TableCell>
          <TableCell>Duration</TableCell>
          <TableCell>Output or error</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {step.attemptLog.map(attempt => (
          <TableRow key={attempt.attempt}>
            {/* Attempts count from 1 for people; the journal counts from 0. */}
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              {attempt.attempt + 1}
            </TableCell>
            <TableCell>
              <StepStateChip state={attempt.status} />
            </TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              {formatDateTime(attempt.startedAt)}
            </TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              {formatDuration(attempt.durationMs)}
            </TableCell>
            <TableCell>
              <AttemptResult
                error={attempt.error}
                output={attempt.output}
                label={`attempt ${attempt.attempt + 1}`}
              />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function StepItem({
  step,
  axis,
  now,
  expanded,
  onToggle,
}: {
  step: RunStep;
  axis: { start: number; span: number };
  now: number;
  expanded: boolean;
  onToggle: () => void;
}) {
  const failed = step.state === 'failed' || step.state === 'retrying';
  return (
    <Box
      component="li"
      aria-label={`Step ${step.name}`}
      sx={{ listStyle: 'none' }}
    >
      <Accordion
        expanded={expanded}
        onChange={onToggle}
        disableGutters
        TransitionProps={{ unmountOnExit: true }}
        sx={
          failed
            ? { borderLeft: 4, borderColor: 'error.main' }
            : { borderLeft: 4, borderColor: 'transparent' }
        }
      >
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Box sx={ROW_COLUMNS}>
            <Box sx={{ minWidth: 0 }}>
              <Typography
                variant="body2"
                fontWeight={500}
                sx={{ overflowWrap: 'break-word' }}
              >
                {step.name}
              </Typography>
              <Typography
                variant="caption"
                color="text.secondary"
                sx={{ whiteSpace: 'nowrap' }}
              >
                #{step.position} · {step.type}
              </Typography>
            </Box>
            <Box>
              <StepStateChip state={step.state} />
            </Box>
            <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
              {step.attempts} attempt{step.attempts === 1 ? '' : 's'}
            </Typography>
            <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
              {formatDuration(step.durationMs)}
            </Typography>
            <DurationBar step={step} axis={axis} now={now} />
          </Box>
        </AccordionSummary>
        <AccordionDetails>
          <Stack spacing={2}>
            {step.error && (
              <Alert
                severity="error"
                role="group"
                aria-label={`Error of ${step.name}`}
              >
                <FoldedText
                  text={step.error}
                  label="Error text"
                  color="error"
                />
              </Alert>
            )}
            <Box>
              <Typography variant="overline" color="text.secondary">
                Output
              </Typography>
              <StepOutput output={step.output} stepName={step.name} />
            </Box>
            <AttemptLog step={step} />
          </Stack>
        </AccordionDetails>
      </Accordion>
    </Box>
  );
}

const BLOCK_TITLE: Record<
  StepBlock['group'],
  (count: number) => string | undefined
> = {
  sequential: () => undefined,
  parallel: count => `Parallel: ${count} steps at once`,
  next: count =>
    `Next: ${count === 1 ? 'the step' : `${count} steps`} QStash will run`,
};

/**
 * The steps of a run in order, parallel groups boxed together, each with a
 * bar on the run's time axis so long steps stand out.
 */
export function StepTimeline({
  run,
  steps,
}: {
  run: WorkflowRun;
  steps: RunStep[];
}) {
  const now = Date.now();
  const blocks = blocksOf(steps);
  const axis = timeAxisOf(run, steps, now);
  const [expanded, setExpanded] = useState<Record<number, boolean>>({});
  const isExpanded = (step: RunStep) =>
    expanded[step.position] ??
    (step.state === 'failed' || step.state === 'retrying');

  if (steps.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No step has run yet.
      </Typography>
    );
  }

  const setAll = (open: boolean) =>
    setExpanded(Object.fromEntries(steps.map(step => [step.position, open])));

  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={1} alignItems="center">
        <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
          Bars are drawn to scale: the whole width is{' '}
          {formatDuration(axis.span)} from the start of the run.
        </Typography>
        <Button
          size="small"
          onClick={() => setAll(true)}
          sx={{ whiteSpace: 'nowrap' }}
        >
          Expand all
        </Button>
        <Button
          size="small"
          onClick={() => setAll(false)}
          sx={{ whiteSpace: 'nowrap' }}
        >
          Collapse all
        </Button>
      </Stack>
      <Box sx={{ overflowX: 'auto' }}>
        <Box
          component="ol"
          aria-label="Steps"
          sx={{ m: 0, p: 0, minWidth: 720 }}
        >
          {blocks.map(block => {
            const items = block.steps.map(step => (
              <StepItem
                key={step.position}
                step={step}
                axis={axis}
                now={now}
                expanded={isExpanded(step)}
                onToggle={() =>
                  setExpanded({
                    ...expanded,
                    [step.position]: !isExpanded(step),
                  })
                }
              />
            ));
            const title = BLOCK_TITLE[block.group](block.steps.length);
            // A sequential block is one step.
            if (!title) return items[0];
            return (
              <Box
                component="li"
                key={block.key}
                sx={{ listStyle: 'none', my: 1 }}
                aria-label={title}
              >
                <Paper
                  variant="outlined"
                  sx={{
                    p: 1,
                    borderStyle: block.group === 'next' ? 'dashed' : 'solid',
                  }}
                >
                  <Typography variant="overline" color="text.secondary">
                    {title}
                  </Typography>
                  <Box component="ol" sx={{ m: 0, p: 0 }}>
                    {items}
                  </Box>
                </Paper>
              </Box>
            );
          })}
        </Box>
      </Box>
    </Stack>
  );
}
