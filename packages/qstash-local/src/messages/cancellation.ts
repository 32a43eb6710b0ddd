import { Clock } from '../clock';
import { StoredMessage } from '../store/messageStore';
import { Stores } from '../store/stores';
import { MessageLog } from './messageLog';

/** Cancels messages: waiting ones at once, in-flight ones when their attempt ends. */
export class MessageCancellation {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly messageLog: MessageLog,
  ) {}

  /** Returns how many messages were cancelled or marked for cancelling. */
  cancel(messages: StoredMessage[]): number {
    const now = this.clock.now();
    return this.stores.transaction(() => {
      let cancelled = 0;
      for (const message of messages) {
        const current = this.stores.messages.get(message.messageId);
        if (!current || current.cancelRequested) continue;
        this.messageLog.record(current, 'CANCEL_REQUESTED', now);
        if (current.state === 'active') {
          this.stores.messages.requestCancel(current.messageId);
        } else {
          this.finish(current, now);
        }
        cancelled += 1;
      }
      return cancelled;
    });
  }

  /** Completes a cancellation (also used when an in-flight attempt returns). */
  finish(message: StoredMessage, now: number): void {
    this.stores.messages.delete(message.messageId);
    this.messageLog.record(message, 'CANCELLED', now);
    if (message.runKey !== undefined && message.runSeq !== undefined) {
      this.stores.workflows.updateMessage(message.runKey, message.runSeq, {
        deliveryState: 'cancelled',
        nextDeliveryAt: undefined,
      });
    }
  }
}
