import { Link } from '@backstage/core-components';
import type { TriageGroup } from '@internal/plugin-workflows-common';
import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { TriageWindow } from '../../hooks/triageWindow';
import { Fact, FactList } from '../shared/Facts';
import { useWorkflowPath } from '../shared/links';
import { Sparkline } from '../shared/Sparkline';
import { RelativeTime } from '../shared/time';
import { CauseChip } from './CauseChip';
import { CauseFixLink } from './CauseFixLink';
import { GroupFailures } from './GroupFailures';
import { TrendText } from './TrendText';

/** The error with its volatile parts masked: one line, the whole of it on hover. */
function Signature({ text }: { text: string }) {
  return (
    <Tooltip
      title={
        <Typography
          variant="caption"
          component="pre"
          sx={{ m: 0, whiteSpace: 'pre-wrap', fontFamily: 'monospace' }}
        >
          {text}
        </Typography>
      }
    >
      <Typography
        variant="body2"
        component="code"
        aria-label={`Signature: ${text}`}
        sx={{
          display: 'block',
          fontFamily: 'monospace',
          whiteSpace: 'nowrap',
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          color: 'text.secondary',
        }}
      >
        {text}
      </Typography>
    </Tooltip>
  );
}

/**
 * One group of failures: where and why it fails, how often and since when,
 * how to fix it; expanded, its runs and dead letter entries.
 */
export function TriageGroupCard({
  group,
  timeWindow,
  expanded,
  onToggle,
  onActed,
}: {
  group: TriageGroup;
  timeWindow: TriageWindow;
  expanded: boolean;
  onToggle: () => void;
  onActed: () => void;
}) {
  const workflowPath = useWorkflowPath();
  const panelId = `failures-of-${group.groupId}`;
  const title = `${group.workflowTitle}: ${group.step ?? 'before any step'}`;
  return (
    <Paper
      component="section"
      aria-label={title}
      data-testid={`group-${group.groupId}`}
      sx={{ p: 2 }}
    >
      <Stack spacing={1.5}>
        <Stack
          direction="row"
          spacing={2}
          alignItems="flex-start"
          justifyContent="space-between"
        >
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="h6" component="h3">
              <Link to={workflowPath(group.workflowId)}>
                {group.workflowTitle}
              </Link>
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {group.step
                ? `Fails at step ${group.step}`
                : 'Fails before any step'}
            </Typography>
          </Box>
          <Sparkline values={group.series} />
        </Stack>

        <Stack
          direction="row"
          spacing={1}
          alignItems="center"
          flexWrap="wrap"
          useFlexGap
        >
          <CauseChip cause={group.cause} />
          <Typography variant="body2">{group.cause.summary}</Typography>
          {group.cause.retryAfterSeconds !== null && (
            <Typography variant="caption" color="text.secondary">
              The upstream asked to wait {group.cause.retryAfterSeconds} s
            </Typography>
          )}
        </Stack>
        <Signature text={group.signature} />

        <FactList minColumnWidth={130}>
          <Fact term="Failures">
            <Typography variant="body1">{group.count}</Typography>
          </Fact>
          <Fact term="In DLQ">
            <Typography variant="body1">{group.inDlqCount}</Typography>
          </Fact>
          <Fact term="Vs window before">
            <TrendText
              trend={group.trend}
              previousCount={group.previousCount}
            />
          </Fact>
          <Fact term="First seen">
            <Typography variant="body2">
              <RelativeTime iso={group.firstSeen} />
            </Typography>
          </Fact>
          <Fact term="Last seen">
            <Typography variant="body2">
              <RelativeTime iso={group.lastSeen} />
            </Typography>
          </Fact>
        </FactList>

        <Stack
          direction="row"
          spacing={2}
          alignItems="center"
          justifyContent="space-between"
          flexWrap="wrap"
          useFlexGap
        >
          <CauseFixLink group={group} />
          <Button
            onClick={onToggle}
            aria-expanded={expanded}
            aria-controls={panelId}
            endIcon={expanded ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            sx={{ whiteSpace: 'nowrap', ml: 'auto' }}
          >
            {expanded ? 'Hide failures' : 'Show failures'}
          </Button>
        </Stack>
      </Stack>
      <Collapse in={expanded} unmountOnExit>
        <Box id={panelId} sx={{ pt: 2 }}>
          <Divider sx={{ mb: 2 }} />
          <GroupFailures
            group={group}
            timeWindow={timeWindow}
            onActed={onActed}
          />
        </Box>
      </Collapse>
    </Paper>
  );
}
