import { MessageConfig, WorkflowLink } from '../config/messageConfig';
import { badRequest } from '../errors';
import { StoredRun, WorkflowStore } from '../store/workflowStore';

/** Where a published workflow message belongs. */
export type RunPlacement =
  | { kind: 'run'; run: StoredRun; seq?: number }
  | { kind: 'duplicateStart'; existingMessageId: string };

/**
 * Finds (or, for `Upstash-Workflow-Init: true`, creates) the run a workflow
 * message belongs to. Step messages for a run that is not running are refused
 * with 400, which the SDK reads as "the run was finished or canceled".
 */
export function placeWorkflowMessage(
  store: WorkflowStore,
  link: WorkflowLink,
  config: MessageConfig,
  body: Buffer,
  messageId: string,
  callerIp: string,
  now: number,
): RunPlacement {
  if (link.init) {
    const existing = store.activeRun(link.runId);
    if (existing) {
      return {
        kind: 'duplicateStart',
        existingMessageId: existing.config.initMessageId,
      };
    }
    const runKey = store.createRun({
      runId: link.runId,
      workflowUrl: link.workflowUrl,
      state: 'RUN_STARTED',
      createdAt: now,
      initialBody: body,
      config: {
        retries: config.retries,
        retryDelayExpression: config.retryDelayExpression,
        flowControl: config.flowControl,
        failureCallback: config.failureCallback,
        contentType: config.contentType,
        userHeaders: config.forwardHeaders,
        initMessageId: messageId,
      },
      callerIp,
      labels: config.labels,
      flowControlKey: config.flowControl?.key,
    });
    return { kind: 'run', run: store.getRun(runKey)!, seq: 0 };
  }

  if (link.callType === 'failureCall') {
    const run = store.latestRun(link.runId);
    if (!run) throw badRequest(`workflow run ${link.runId} does not exist`);
    return { kind: 'run', run };
  }

  const run = store.activeRun(link.runId);
  if (!run) {
    throw badRequest(
      `workflow run ${link.runId} is not running (it finished, failed or was canceled)`,
    );
  }
  return { kind: 'run', run, seq: store.nextSeq(run.runKey) };
}
