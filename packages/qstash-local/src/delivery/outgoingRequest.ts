import { StoredMessage } from '../store/messageStore';
import { StoredRun, WorkflowStore } from '../store/workflowStore';
import { rawStepsOf } from '../workflow/rawSteps';
import { OutgoingRequest } from './httpAttempt';

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD']);

/**
 * Builds the HTTP request of one attempt (without the signature): forwarded
 * headers, QStash's own headers and, for workflow steps, the step list body.
 */
export function buildOutgoingRequest(
  message: StoredMessage,
  run: StoredRun | undefined,
  workflows: WorkflowStore,
): OutgoingRequest {
  const { config } = message;
  const callType = config.workflow?.callType;
  const isStepDelivery =
    run !== undefined && message.runSeq !== undefined && callType === 'step';
  const headers: Record<string, string> = {};

  // A run's start headers reach every step, so context.headers stays the same.
  if (isStepDelivery) {
    for (const [name, value] of run.config.userHeaders) headers[name] = value;
    if (run.config.contentType)
      headers['content-type'] = run.config.contentType;
  }
  for (const [name, value] of config.forwardHeaders) headers[name] = value;
  if (config.contentType) headers['content-type'] = config.contentType;

  headers['user-agent'] = 'Upstash-QStash';
  headers['upstash-message-id'] = message.messageId;
  headers['upstash-retried'] = String(message.retried);
  headers['upstash-caller-ip'] = message.callerIp;
  if (message.scheduleId) headers['upstash-schedule-id'] = message.scheduleId;

  if (run && config.workflow && callType !== 'toCallback') {
    headers['upstash-workflow-runid'] = run.runId;
    headers['upstash-workflow-url'] = run.workflowUrl;
    headers['upstash-workflow-createdat'] = String(run.createdAt);
    if (run.labels.length) headers['upstash-label'] = run.labels.join(',');
  }

  let body: Buffer | undefined = message.body;
  if (isStepDelivery) {
    const steps = rawStepsOf(workflows.messages(run.runKey), message.runSeq);
    body = Buffer.from(JSON.stringify(steps));
  }
  if (METHODS_WITHOUT_BODY.has(config.method)) body = undefined;

  return { url: config.url, method: config.method, headers, body };
}
