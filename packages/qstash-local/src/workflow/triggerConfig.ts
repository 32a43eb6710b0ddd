import { parseMessageConfig } from '../config/parseMessageConfig';
import { MessageConfig } from '../config/messageConfig';
import { badRequest } from '../errors';
import { isIdentifier, newWorkflowRunId } from '../ids';

/**
 * The start message of a run triggered through the API: the run id from
 * `Upstash-Workflow-RunId` (or a new one) and the workflow headers `serve()`
 * expects on its first step.
 */
export function triggerConfig(
  workflowUrl: string,
  headers: Record<string, string>,
): { runId: string; config: MessageConfig } {
  const runId = headers['upstash-workflow-runid'] ?? newWorkflowRunId();
  if (!isIdentifier(runId)) {
    throw badRequest(
      'invalid Upstash-Workflow-RunId header: must match [A-Za-z0-9._-]+',
    );
  }
  const config = parseMessageConfig(workflowUrl, {
    ...headers,
    'upstash-workflow-runid': runId,
    'upstash-workflow-init': 'true',
    'upstash-workflow-url': workflowUrl,
    'upstash-workflow-calltype': 'step',
    // Marks the delivery as a step, so serve() runs it instead of starting over.
    'upstash-forward-upstash-workflow-sdk-version': '1',
  });
  return { runId, config };
}
