import { Clock } from '../clock';
import { DueMessage, MessageStore } from '../store/messageStore';
import { WakeTimer } from '../wakeTimer';
import { DeliveryGate } from './deliveryGate';

/** Upper bound of rounds in one `runDue`, against endlessly failing destinations. */
const MAX_DRAIN_ROUNDS = 100_000;

/**
 * Decides when messages are attempted: as soon as they are due and their
 * queue or flow-control key allows (see DeliveryGate), at most
 * `maxConcurrency` at once. The message table is the queue, so a restart
 * continues where the last process stopped.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly timer: WakeTimer;
  private pumpScheduled = false;
  private closed = false;
  private attempt?: (messageId: string) => Promise<void> | undefined;

  constructor(
    private readonly messages: MessageStore,
    private readonly gate: DeliveryGate,
    private readonly clock: Clock,
    private readonly maxConcurrency: number,
    private readonly onError: (error: unknown) => void,
    /** Runs work in one SQLite transaction (nested calls become savepoints). */
    private readonly inTransaction: (work: () => void) => void,
  ) {
    this.timer = new WakeTimer(clock, () => this.pump());
  }

  /** Tells the dispatcher a message becomes due at `dueAt`. */
  wake(dueAt: number): void {
    if (this.closed) return;
    if (dueAt <= this.clock.now()) this.schedulePump();
    else this.timer.wakeAtOrBefore(dueAt);
  }

  /**
   * Starts attempting messages with `attempt`, which claims a due message and
   * returns undefined when it could not (someone else took or removed it).
   * Messages cut off by the last stop go first.
   */
  start(attempt: (messageId: string) => Promise<void> | undefined): void {
    this.attempt = attempt;
    this.messages.releaseInterrupted();
    this.schedulePump();
  }

  /**
   * Attempts everything due at `at` (default: now), including retries and
   * follow-up messages that become due by then, and waits for the attempts.
   */
  async runDue(at: number = this.clock.now()): Promise<void> {
    for (let round = 0; round < MAX_DRAIN_ROUNDS && !this.closed; round++) {
      this.startDue(at);
      if (this.inFlight.size === 0) {
        if (this.gate.due(at, 1).length === 0) return;
        continue;
      }
      await Promise.race(this.inFlight.values());
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer.stop();
    await Promise.allSettled(this.inFlight.values());
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    try {
      this.startDue(this.clock.now());
      // While every slot is busy, finishing attempts pump again anyway.
      if (this.inFlight.size >= this.maxConcurrency) return;
      // A message may have fallen due since startDue looked; the timer's
      // minimum delay then pumps again shortly instead of never.
      const next = this.gate.nextWakeTime(this.clock.now());
      if (next !== undefined) this.timer.wakeAtOrBefore(next);
    } catch (error) {
      this.onError(error);
    }
  }

  private startDue(at: number): void {
    const attempt = this.attempt;
    const free = this.maxConcurrency - this.inFlight.size;
    if (!attempt || free <= 0) return;
    const dueNow = this.gate.due(at, free);
    if (dueNow.length === 0) return;
    // All claims of one pump share a commit instead of one commit each.
    this.inTransaction(() => {
      for (const due of dueNow) this.startOne(attempt, due, at);
    });
  }

  private startOne(
    attempt: (messageId: string) => Promise<void> | undefined,
    due: DueMessage,
    at: number,
  ): void {
    const { messageId } = due;
    let started: Promise<void> | undefined;
    try {
      // A failing claim rolls back its own savepoint only: the claims before
      // it already have attempts under way and must stay committed.
      started = attempt(messageId);
    } catch (error) {
      this.onError(error);
      return;
    }
    if (!started) return;
    const running = started.catch(this.onError).finally(() => {
      this.inFlight.delete(messageId);
      this.schedulePump();
    });
    this.inFlight.set(messageId, running);
    try {
      this.gate.started(due, at);
    } catch (error) {
      this.onError(error);
    }
  }
}
