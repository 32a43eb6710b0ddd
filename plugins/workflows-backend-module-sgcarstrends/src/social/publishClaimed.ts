import { isError } from '@backstage/errors';
import type { Knex } from 'knex';
import { SocialPlatformError } from './platforms/SocialPlatformError';
import type { FetchFn, PlatformEnv, SocialPlatform } from './SocialPlatform';
import {
  LedgerKey,
  LedgerResolution,
  recordOutcome,
} from './socialPostsLedger';

/** A publish on a slot that this attempt holds as its pending claim. */
export interface ClaimedPublish {
  platform: SocialPlatform;
  key: LedgerKey;
  attemptId: string;
  text: string;
  env: PlatformEnv;
  fetch?: FetchFn;
  /** Set when an operator asked for this publish (post again). */
  resolvedBy?: string;
}

/**
 * What became of it. posted and uncertain are recorded in the ledger;
 * not-sent is left to the caller, which still holds the claim.
 */
export type ClaimedPublishOutcome =
  | { kind: 'posted'; postId: string; url?: string; reason?: string }
  | { kind: 'uncertain'; reason: string }
  | { kind: 'not-sent'; error: unknown };

/** True when the error says the post may exist (see SocialPlatformError). */
function mayHavePosted(error: unknown): boolean {
  return error instanceof SocialPlatformError && error.mayHavePosted;
}

/**
 * Publishes and records the outcome. When the platform may have taken the
 * post without confirming it, looks for it where the platform allows that
 * (findPost) and otherwise records it as uncertain; a ledger error then
 * propagates, and the claim left pending ages into uncertain, so the post is
 * never made twice.
 */
export async function publishClaimed(
  knex: Knex,
  claim: ClaimedPublish,
): Promise<ClaimedPublishOutcome> {
  const { platform, key, attemptId, text, env } = claim;
  const startedAt = new Date();
  const resolved = (resolution: LedgerResolution) =>
    claim.resolvedBy ? { resolution, resolvedBy: claim.resolvedBy } : undefined;
  try {
    const published = await platform.publish(text, env, claim.fetch);
    await recordOutcome(knex, key, {
      status: 'posted',
      attemptId,
      messageText: text,
      postId: published.postId,
      postUrl: published.url,
      resolved: resolved('posted-again'),
    });
    return { kind: 'posted', postId: published.postId, url: published.url };
  } catch (error) {
    if (!mayHavePosted(error)) {
      return { kind: 'not-sent', error };
    }
    const unconfirmed = (error as SocialPlatformError).message;
    const lookup = await lookForPost(claim, startedAt);
    if (lookup.found) {
      const reason = `${unconfirmed}; the post was then found on ${platform.name}`;
      await recordOutcome(knex, key, {
        status: 'posted',
        attemptId,
        messageText: text,
        postId: lookup.found.postId,
        postUrl: lookup.found.url,
        reason,
        resolved: resolved('found-on-platform'),
      });
      return {
        kind: 'posted',
        postId: lookup.found.postId,
        url: lookup.found.url,
        reason,
      };
    }
    const reason =
      `${unconfirmed}; ${lookup.note}. Not posted again automatically: ` +
      `check ${platform.name}, then mark it as posted or post it again`;
    await recordOutcome(knex, key, {
      status: 'uncertain',
      attemptId,
      messageText: text,
      reason,
    });
    return { kind: 'uncertain', reason };
  }
}

/** Asks the platform whether the post exists, when it offers a way to. */
export async function lookForPost(
  request: Pick<ClaimedPublish, 'platform' | 'text' | 'env' | 'fetch'>,
  since: Date,
): Promise<{ found?: { postId: string; url?: string }; note: string }> {
  const { platform } = request;
  if (!platform.findPost) {
    return {
      note: `${platform.name} offers no way to check whether it went through`,
    };
  }
  try {
    const found = await platform.findPost(
      request.text,
      request.env,
      since,
      request.fetch,
    );
    return found
      ? { found, note: `found on ${platform.name}` }
      : { note: `${platform.name} does not show it (yet)` };
  } catch (error) {
    // Platform errors are redacted where they are made; others name no secret.
    const message = isError(error) ? error.message : String(error);
    return { note: `looking for it failed: ${message}` };
  }
}
