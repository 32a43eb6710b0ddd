/**
 * Runs the work handed in during one event-loop turn in one commit, each
 * piece in a savepoint of its own, so a failing piece rolls back alone. Each
 * promise settles once the commit holds its piece (or refused it).
 */
export class TurnCommit {
  private pending: Array<{
    work: () => unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }> = [];

  /** `transaction` runs work in one SQLite transaction; nested calls are savepoints. */
  constructor(private readonly transaction: <T>(work: () => T) => T) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (this.pending.length === 1) setImmediate(() => this.commit());
    });
  }

  private commit(): void {
    const batch = this.pending;
    this.pending = [];
    const outcomes: Array<{ value: unknown } | { error: unknown }> = [];
    try {
      this.transaction(() => {
        for (const { work } of batch) {
          try {
            outcomes.push({ value: this.transaction(work) });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index];
      if ('error' in outcome) item.reject(outcome.error);
      else item.resolve(outcome.value);
    });
  }
}
