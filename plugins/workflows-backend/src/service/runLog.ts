import type { RunStep, WorkflowRun } from '@internal/plugin-workflows-common';

function seconds(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, prefix: string): string {
  return text
    .split(/\r?\n/)
    .map(line => `${prefix}${line}`)
    .join('\n');
}

/** Pretty JSON when the text is JSON, the text itself otherwise. */
function readable(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The run as plain text, for download and for pasting into a ticket. */
export function formatRunLog(
  run: WorkflowRun,
  steps: RunStep[],
  workflowTitle?: string,
): string {
  const lines: string[] = [
    `Run ${run.runId} of workflow ${run.workflowId}${
      workflowTitle ? ` (${workflowTitle})` : ''
    }`,
    `Status:   ${run.status}`,
    `Started:  ${run.startedAt}`,
    `Finished: ${run.finishedAt ?? '-'}`,
    `Duration: ${seconds(run.durationMs)}`,
  ];
  if (run.label) lines.push(`Label:    ${run.label}`);
  if (run.failedStep) lines.push(`Failed step: ${run.failedStep}`);
  if (run.error) lines.push(`Error:    ${run.error}`);
  lines.push('');
  for (const step of steps) {
    lines.push(
      `#${step.position} ${step.name} [${step.type}, ${step.group}] ${
        step.state
      }, ${step.attempts} attempt${step.attempts === 1 ? '' : 's'}, ${seconds(
        step.durationMs,
      )}`,
    );
    lines.push(
      `    started ${step.startedAt ?? '-'}, finished ${
        step.finishedAt ?? '-'
      }`,
    );
    for (const attempt of step.attemptLog) {
      lines.push(
        `    attempt ${attempt.attempt}: ${attempt.status} after ${seconds(
          attempt.durationMs,
        )}${attempt.error ? `: ${attempt.error}` : ''}`,
      );
    }
    if (step.error) lines.push(indent(`error: ${step.error}`, '    '));
    if (step.output) {
      lines.push('    output:');
      lines.push(indent(readable(step.output), '      '));
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
