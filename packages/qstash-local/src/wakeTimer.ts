import { Clock } from './clock';

// setTimeout cannot wait longer than this; longer waits are re-armed.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
// Keeps a frozen test clock from turning a near deadline into a busy loop.
const MIN_TIMEOUT_MS = 5;

/** Calls `onWake` once the clock reaches the earliest time it was asked for. */
export class WakeTimer {
  private timer?: NodeJS.Timeout;
  private wakeAt?: number;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onWake: () => void,
  ) {}

  /** Wakes at `at` unless an earlier wake-up is already set. */
  wakeAtOrBefore(at: number): void {
    if (this.stopped) return;
    if (this.timer && this.wakeAt !== undefined && this.wakeAt <= at) return;
    this.clear();
    this.wakeAt = at;
    const delay = Math.min(
      Math.max(at - this.clock.now(), MIN_TIMEOUT_MS),
      MAX_TIMEOUT_MS,
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = undefined;
      this.onWake();
    }, delay);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = undefined;
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }
}
