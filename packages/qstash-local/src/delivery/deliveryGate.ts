import { DueMessage } from '../store/messageStore';
import { StoredFlowKey } from '../store/flowControlStore';
import { Stores } from '../store/stores';

/** Attempts a flow-control key allows to start at `at`; Infinity without limits. */
export function flowKeyCapacity(
  flowKey: StoredFlowKey,
  active: number,
  at: number,
): number {
  if (flowKey.paused) return 0;
  const byParallelism =
    flowKey.parallelism === undefined
      ? Infinity
      : Math.max(0, flowKey.parallelism - active);
  return Math.min(byParallelism, rateLeft(flowKey, at));
}

function rateLeft(flowKey: StoredFlowKey, at: number): number {
  if (flowKey.rate === undefined) return Infinity;
  if (at >= ratePeriodEnd(flowKey)) return flowKey.rate;
  return Math.max(0, flowKey.rate - flowKey.rateCount);
}

function ratePeriodEnd(flowKey: StoredFlowKey): number {
  return flowKey.ratePeriodStart + flowKey.periodSeconds * 1000;
}

/**
 * Decides which messages may be attempted: every due message outside queues
 * and flow control, the front of each queue that is not paused (up to its
 * parallelism, in FIFO order), and messages under a flow-control key while the
 * key's parallelism and rate allow. Work per call grows with the number of
 * queues and keys that hold messages, not with the number of messages.
 */
export class DeliveryGate {
  constructor(private readonly stores: Stores) {}

  /** Messages that may start at `at`, at most `limit`, the longest due first. */
  due(at: number, limit: number): DueMessage[] {
    if (limit <= 0) return [];
    const { messages } = this.stores;
    const selected = messages.dueFree(at, limit);
    const budgets = new Map<string, number>();
    const take = (message: DueMessage): boolean => {
      if (message.flowControlKey === undefined) return true;
      const left = this.budget(budgets, message.flowControlKey, at);
      if (left <= 0) return false;
      budgets.set(message.flowControlKey, left - 1);
      return true;
    };

    for (const queue of this.stores.queues.deliverable()) {
      for (const slot of messages.queueWindow(queue.name, queue.parallelism)) {
        if (slot.state !== 'pending' || slot.nextAttemptAt > at) continue;
        if (take(slot)) selected.push(slot);
      }
    }
    for (const key of this.stores.flowControl.withWaitingMessages()) {
      const left = this.budget(budgets, key, at);
      if (left <= 0) continue;
      const due = messages.dueForFlowKey(key, at, Math.min(left, limit));
      budgets.set(key, left - due.length);
      selected.push(...due);
    }

    if (selected.length <= limit) return selected;
    return selected
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
      .slice(0, limit);
  }

  /** Counts a started attempt against its key's rate. */
  started(message: DueMessage, at: number): void {
    if (message.flowControlKey !== undefined) {
      this.stores.flowControl.countStart(message.flowControlKey, at);
    }
  }

  /**
   * The earliest time after `at` at which a message that cannot start now
   * may become startable by time alone (a delay or retry ends, a rate period
   * ends). Messages held by parallelism or a pause need no timer: a finished
   * attempt or a resume wakes the dispatcher.
   */
  nextWakeTime(at: number): number | undefined {
    const { messages } = this.stores;
    let next = messages.nextFreeDueTime();
    const consider = (time: number | undefined) => {
      if (time !== undefined && (next === undefined || time < next)) {
        next = time;
      }
    };
    const rateHold = (key: string): number | undefined => {
      const flowKey = this.stores.flowControl.get(key);
      if (!flowKey || flowKey.paused || rateLeft(flowKey, at) > 0) {
        return undefined;
      }
      return ratePeriodEnd(flowKey);
    };

    for (const queue of this.stores.queues.deliverable()) {
      for (const slot of messages.queueWindow(queue.name, queue.parallelism)) {
        if (slot.state !== 'pending') continue;
        if (slot.nextAttemptAt > at) consider(slot.nextAttemptAt);
        else if (slot.flowControlKey) consider(rateHold(slot.flowControlKey));
      }
    }
    for (const key of this.stores.flowControl.withWaitingMessages()) {
      const due = messages.nextDueForFlowKey(key);
      if (due === undefined) continue;
      if (due > at) consider(due);
      else consider(rateHold(key));
    }
    return next;
  }

  private budget(budgets: Map<string, number>, key: string, at: number) {
    let left = budgets.get(key);
    if (left === undefined) {
      const flowKey = this.stores.flowControl.get(key);
      // A key without settings cannot exist for a stored message; never hold one forever.
      left = flowKey
        ? flowKeyCapacity(
            flowKey,
            this.stores.messages.activeForFlowKey(key),
            at,
          )
        : Infinity;
      budgets.set(key, left);
    }
    return left;
  }
}
