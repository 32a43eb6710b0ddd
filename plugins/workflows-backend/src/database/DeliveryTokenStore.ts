import { Knex } from 'knex';
import { isUniqueViolation } from './uniqueViolation';

const PRUNE_INTERVAL_MS = 60_000;

/** The signature token ids (`jti`) that runner endpoints have accepted. */
export interface DeliveryTokenStore {
  /**
   * Records that the token `jti` was used; false when it was used before.
   * The record is kept at least until `expiresAt`, after which the token
   * itself is refused as expired.
   */
  markUsed(jti: string, expiresAt: Date): Promise<boolean>;
}

/** Keeps the used token ids in `workflow_delivery_tokens`. */
export class KnexDeliveryTokenStore implements DeliveryTokenStore {
  private lastPrunedAt = 0;

  constructor(
    private readonly db: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  async markUsed(jti: string, expiresAt: Date): Promise<boolean> {
    await this.pruneNowAndThen();
    try {
      // One insert decides between concurrent replicas: the primary key lets one win.
      await this.db('workflow_delivery_tokens').insert({
        jti,
        expires_at: expiresAt,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrunedAt < PRUNE_INTERVAL_MS) return;
    this.lastPrunedAt = now;
    await this.db('workflow_delivery_tokens')
      .where('expires_at', '<', new Date(now))
      .delete();
  }
}
