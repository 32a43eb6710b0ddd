import { Clock } from '../clock';
import { WakeTimer } from '../wakeTimer';
import { ScheduleService } from './scheduleService';

/** Fires schedule ticks when the clock reaches them. */
export class Scheduler {
  private readonly timer: WakeTimer;
  private schedules?: ScheduleService;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {
    this.timer = new WakeTimer(clock, () => this.fire(this.clock.now()));
  }

  start(schedules: ScheduleService): void {
    this.schedules = schedules;
    this.refresh();
  }

  /** Re-reads the earliest tick; call after any schedule change. */
  refresh(): void {
    if (!this.schedules) return;
    const next = this.schedules.nextTickTime();
    this.timer.clear();
    if (next !== undefined) this.timer.wakeAtOrBefore(next);
  }

  /** Publishes every tick due at or before `at`. */
  fire(at: number): number {
    if (!this.schedules) return 0;
    let published = 0;
    try {
      published = this.schedules.fireDue(at);
    } catch (error) {
      this.onError(error);
    }
    this.refresh();
    return published;
  }

  stop(): void {
    this.timer.stop();
  }
}
