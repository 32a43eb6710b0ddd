import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from './uniqueViolation';

const PRUNE_INTERVAL_MS = 60_000;

/** A claim on one step of one run while a delivery executes it. */
export interface StepLease {
  runId: string;
  stepKey: string;
  holder: string;
}

/** Which steps of which runs are executing now, across replicas. */
export interface StepLeaseStore {
  /**
   * Claims the step for `durationMs`; undefined while another delivery holds
   * an unexpired lease on it.
   */
  acquire(
    runId: string,
    stepKey: string,
    durationMs: number,
  ): Promise<StepLease | undefined>;
  /** Gives the step up; a lease that expired and was claimed again stays. */
  release(lease: StepLease): Promise<void>;
}

/** Keeps the leases in `workflow_step_leases`. */
export class KnexStepLeaseStore implements StepLeaseStore {
  private lastPrunedAt = 0;

  constructor(
    private readonly db: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(
    runId: string,
    stepKey: string,
    durationMs: number,
  ): Promise<StepLease | undefined> {
    const now = this.now();
    await this.pruneNowAndThen(now);
    // An expired lease belongs to a delivery that is gone or overran the bound.
    await this.db('workflow_step_leases')
      .where({ run_id: runId, step_key: stepKey })
      .andWhere('expires_at', '<=', new Date(now))
      .delete();
    const lease = { runId, stepKey, holder: randomUUID() };
    try {
      await this.db('workflow_step_leases').insert({
        run_id: runId,
        step_key: stepKey,
        holder: lease.holder,
        expires_at: new Date(now + durationMs),
      });
      return lease;
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  async release(lease: StepLease): Promise<void> {
    await this.db('workflow_step_leases')
      .where({
        run_id: lease.runId,
        step_key: lease.stepKey,
        holder: lease.holder,
      })
      .delete();
  }

  /** Leases of deliveries that never released them (a replica that died). */
  private async pruneNowAndThen(now: number): Promise<void> {
    if (now - this.lastPrunedAt < PRUNE_INTERVAL_MS) return;
    this.lastPrunedAt = now;
    await this.db('workflow_step_leases')
      .where('expires_at', '<=', new Date(now))
      .delete();
  }
}
