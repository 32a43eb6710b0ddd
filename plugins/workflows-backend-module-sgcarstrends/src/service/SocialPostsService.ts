import {
  ConflictError,
  CustomErrorBase,
  isError,
  NotFoundError,
} from '@backstage/errors';
import type { SocialPost } from '@internal/plugin-workflows-common';
import type { Knex } from 'knex';
import {
  LedgerEntry,
  LedgerKey,
  LedgerListFilter,
  listLedgerEntries,
  markStaleClaimsUncertain,
  PENDING_CLAIM_LEASE_MS,
  postAgain,
  readLedgerEntry,
  resolveUncertainAsPosted,
  socialPlatforms,
} from '../social';
import type { PlatformEnv, SocialPlatform } from '../social';

/**
 * Posting again reached the platform but did not end with a post: it was
 * refused (nothing sent, the post stays uncertain) or its outcome is unknown
 * again. 502: the failure is the platform's, not the request's.
 */
export class PostAgainFailedError extends CustomErrorBase {
  override name = 'PostAgainFailedError';
  readonly statusCode = 502;
}

export interface SocialPostsServiceOptions {
  database(): Promise<Knex>;
  /** The platforms the runners post to (workflows.sgcarstrends.social.platforms). */
  platforms: readonly SocialPlatform[];
  env: PlatformEnv;
  /** workflows.sgcarstrends.social.dryRun: then nothing may be sent. */
  dryRun: boolean;
}

/** Lists the post-once ledger and resolves uncertain posts; no permission checks. */
export class SocialPostsService {
  constructor(private readonly options: SocialPostsServiceOptions) {}

  async list(filter: LedgerListFilter): Promise<SocialPost[]> {
    const knex = await this.options.database();
    // An attempt that stopped mid-publish must show up as uncertain here.
    await markStaleClaimsUncertain(knex, leaseCutoff());
    return (await listLedgerEntries(knex, filter)).map(toSocialPost);
  }

  /** Posts the uncertain post now, at most once (see postAgain). */
  async postAgain(key: LedgerKey, actor: string): Promise<SocialPost> {
    const { knex, entry } = await this.uncertainEntry(key, platformNamed(key));
    const platform = this.enabledPlatform(key);
    if (this.options.dryRun) {
      throw new ConflictError(
        'Dry run is on (workflows.sgcarstrends.social.dryRun): nothing can be posted',
      );
    }
    const missing = platform.missingEnv(this.options.env);
    if (missing.length > 0) {
      throw new ConflictError(
        `${platform.name} is not configured: missing ${missing.join(', ')}`,
      );
    }
    const outcome = await postAgain(knex, {
      platform,
      entry,
      env: this.options.env,
      resolvedBy: actor,
    });
    switch (outcome.kind) {
      case 'posted':
        return this.read(knex, key);
      case 'claimed-elsewhere':
        throw resolvedMeanwhile(platform, key);
      case 'uncertain':
        throw new PostAgainFailedError(
          `${platform.name} did not confirm the post again; it stays uncertain: ${outcome.reason}`,
        );
      default:
        throw new PostAgainFailedError(
          `${
            platform.name
          } did not take the post; nothing was sent and it stays uncertain: ${
            isError(outcome.error)
              ? outcome.error.message
              : String(outcome.error)
          }`,
        );
    }
  }

  /** Records the uncertain post as posted, on the operator's word. */
  async markPosted(
    key: LedgerKey,
    where: { postId?: string; postUrl?: string },
    actor: string,
  ): Promise<SocialPost> {
    // Also for a platform no longer posted to: recording needs no client.
    const platform = platformNamed(key);
    const { knex, entry } = await this.uncertainEntry(key, platform);
    const changed = await resolveUncertainAsPosted(knex, key, entry.attemptId, {
      resolution: 'marked-posted',
      resolvedBy: actor,
      postId: where.postId,
      postUrl: where.postUrl,
      reason: `Marked as posted by ${actor}`,
    });
    if (!changed) {
      throw resolvedMeanwhile(platform, key);
    }
    return this.read(knex, key);
  }

  private async uncertainEntry(
    key: LedgerKey,
    platform: Pick<SocialPlatform, 'name'>,
  ): Promise<{ knex: Knex; entry: LedgerEntry }> {
    const knex = await this.options.database();
    await markStaleClaimsUncertain(knex, leaseCutoff(), key);
    const entry = await readLedgerEntry(knex, key);
    if (!entry) {
      throw new NotFoundError(
        `No ${platform.name} post of ${key.dataset} ${key.period}`,
      );
    }
    if (entry.status !== 'uncertain') {
      throw new ConflictError(
        `The ${platform.name} post of ${key.dataset} ${key.period} is ${entry.status}, not uncertain: ` +
          'only an uncertain post can be marked as posted or posted again',
      );
    }
    return { knex, entry };
  }

  private async read(knex: Knex, key: LedgerKey): Promise<SocialPost> {
    const entry = await readLedgerEntry(knex, key);
    if (!entry) {
      throw new NotFoundError(
        `No ${key.platform} post of ${key.dataset} ${key.period}`,
      );
    }
    return toSocialPost(entry);
  }

  private enabledPlatform(key: LedgerKey): SocialPlatform {
    const platform = this.options.platforms.find(p => p.id === key.platform);
    if (!platform) {
      throw new ConflictError(
        `${key.platform} is not one of the platforms posted to (workflows.sgcarstrends.social.platforms)`,
      );
    }
    return platform;
  }
}

function leaseCutoff(): Date {
  return new Date(Date.now() - PENDING_CLAIM_LEASE_MS);
}

function platformNamed(key: LedgerKey): Pick<SocialPlatform, 'name'> {
  return (
    socialPlatforms.find(p => p.id === key.platform) ?? { name: key.platform }
  );
}

function resolvedMeanwhile(
  platform: Pick<SocialPlatform, 'name'>,
  key: LedgerKey,
) {
  return new ConflictError(
    `The ${platform.name} post of ${key.dataset} ${key.period} was resolved or retried by another request meanwhile`,
  );
}

export function toSocialPost(entry: LedgerEntry): SocialPost {
  return {
    platform: entry.platform,
    dataset: entry.dataset,
    period: entry.period,
    status: entry.status,
    postId: entry.postId ?? null,
    postUrl: entry.postUrl ?? null,
    messageText: entry.messageText,
    reason: entry.reason ?? null,
    resolution: entry.resolution ?? null,
    resolvedBy: entry.resolvedBy ?? null,
    resolvedAt: entry.resolvedAt?.toISOString() ?? null,
    createdAt: entry.createdAt.toISOString(),
    updatedAt: entry.updatedAt.toISOString(),
  };
}
