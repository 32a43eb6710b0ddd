import { StoredWorkflowMessage } from '../store/workflowStore';

/** A step as the SDK's `serve()` reads it from a delivery body. */
export interface RawStep {
  messageId: string;
  body: string;
  callType: StoredWorkflowMessage['callType'];
}

/**
 * The steps a delivery of message `uptoSeq` carries: everything the run
 * received up to and including that message, in arrival order. Element 0 is
 * the start message, whose body is the initial payload. Cutting at the
 * delivered message is what lets parallel branches each see their own plan
 * step last.
 */
export function rawStepsOf(
  messages: StoredWorkflowMessage[],
  uptoSeq?: number,
): RawStep[] {
  return messages
    .filter(message => uptoSeq === undefined || message.seq <= uptoSeq)
    .map(message => ({
      messageId: message.messageId,
      body: message.body.toString('base64'),
      callType: message.callType,
    }));
}
