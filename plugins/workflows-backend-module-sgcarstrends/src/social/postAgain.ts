import { isError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  ClaimedPublishOutcome,
  lookForPost,
  publishClaimed,
} from './publishClaimed';
import type { FetchFn, PlatformEnv, SocialPlatform } from './SocialPlatform';
import {
  claimUncertain,
  LedgerEntry,
  resolveUncertainAsPosted,
  returnClaimToUncertain,
} from './socialPostsLedger';

export interface PostAgainRequest {
  platform: SocialPlatform;
  /** The uncertain row as read; it is retried only if it is still that row. */
  entry: LedgerEntry;
  env: PlatformEnv;
  fetch?: FetchFn;
  /** Who asked: a user entity ref or a service subject. */
  resolvedBy: string;
}

/** claimed-elsewhere: another request resolved or retried the row first. */
export type PostAgainOutcome =
  | ClaimedPublishOutcome
  | { kind: 'claimed-elsewhere' };

/**
 * Posts an uncertain post now, with the text recorded for it, at most once:
 * where the platform can tell, it first looks for the earlier post and
 * records that instead; then the row becomes this request's pending claim
 * (only if it is still the uncertain row that was read, so two concurrent
 * requests cannot both post), and the outcome is recorded as for a run. A
 * publish that certainly posted nothing puts the row back to uncertain.
 */
export async function postAgain(
  knex: Knex,
  request: PostAgainRequest,
): Promise<PostAgainOutcome> {
  const { platform, entry, resolvedBy } = request;
  const text = entry.messageText;
  const lookup = await lookForPost({ ...request, text }, entry.createdAt);
  if (lookup.found) {
    const reason = `Found on ${platform.name} before posting again`;
    const changed = await resolveUncertainAsPosted(
      knex,
      entry,
      entry.attemptId,
      {
        resolution: 'found-on-platform',
        resolvedBy,
        postId: lookup.found.postId,
        postUrl: lookup.found.url,
        reason,
      },
    );
    return changed
      ? {
          kind: 'posted',
          postId: lookup.found.postId,
          url: lookup.found.url,
          reason,
        }
      : { kind: 'claimed-elsewhere' };
  }

  const attemptId = randomUUID();
  if (!(await claimUncertain(knex, entry, entry.attemptId, attemptId))) {
    return { kind: 'claimed-elsewhere' };
  }
  const outcome = await publishClaimed(knex, {
    platform,
    key: entry,
    attemptId,
    text,
    env: request.env,
    fetch: request.fetch,
    resolvedBy,
  });
  if (outcome.kind === 'not-sent') {
    const message = isError(outcome.error)
      ? outcome.error.message
      : String(outcome.error);
    await returnClaimToUncertain(
      knex,
      entry,
      attemptId,
      `Posting again at ${new Date().toISOString()} failed and sent nothing: ${message}`,
    );
  }
  return outcome;
}
