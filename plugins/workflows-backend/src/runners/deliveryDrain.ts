import type { Request, Response } from 'express';

/**
 * Runner deliveries in flight, so that a stopping backend lets the steps it
 * started finish while the database is still open. New deliveries are
 * already refused with 503 by the plugin's HTTP router once it shuts down;
 * QStash delivers them again, to this replica or another.
 */
export class DeliveryDrain {
  private readonly inFlight = new Set<Request>();
  private readonly waiting = new Set<() => void>();

  /** Counts a delivery until its response is sent or its connection drops. */
  track(req: Request, res: Response): void {
    this.inFlight.add(req);
    const done = () => {
      if (!this.inFlight.delete(req)) return;
      if (this.inFlight.size === 0) {
        for (const wake of this.waiting) wake();
      }
    };
    res.once('finish', done);
    res.once('close', done);
  }

  /**
   * Waits for the deliveries in flight, at most `timeoutMs`; then drops the
   * connections of those still running, so that the HTTP server can close
   * (QStash retries a delivery that got no answer). Returns how many it dropped.
   */
  async drain(timeoutMs: number): Promise<{ dropped: number }> {
    if (this.inFlight.size > 0) {
      let wake!: () => void;
      const idle = new Promise<void>(resolve => {
        wake = resolve;
      });
      this.waiting.add(wake);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        idle,
        new Promise<void>(resolve => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      this.waiting.delete(wake);
    }
    const unfinished = [...this.inFlight];
    for (const req of unfinished) req.socket.destroy();
    return { dropped: unfinished.length };
  }
}
