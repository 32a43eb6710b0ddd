import type { PlatformId } from '../types';

/**
 * Environment the platform clients read their credentials from: process.env
 * or values derived from config. Only names are ever reported, never values.
 */
export type PlatformEnv = Readonly<Record<string, string | undefined>>;

/** The fetch the clients use; tests and runners may pass their own. */
export type FetchFn = typeof fetch;

/** What a platform returns for a created post. */
export interface PublishResult {
  /** The platform's id of the post (Discord message id, tweet id, LinkedIn URN, ...). */
  postId: string;
  /** A public link to the post, when the platform's response allows one. */
  url?: string;
}

/** Outcome of a credentials check; `message` is safe to show operators. */
export interface HealthResult {
  ok: boolean;
  message: string;
  /** HTTP status of the platform's refusal, when it answered with one. */
  status?: number;
  /** Works now, but needs a person soon (a credential about to expire). */
  attention?: boolean;
}

/** One social network the runners post to. */
export interface SocialPlatform {
  id: PlatformId;
  /** Human name, used in step names such as "Publish to Discord". */
  name: string;
  /** Env var names the platform needs; all must be set for it to be configured. */
  requiredEnv: readonly string[];
  isConfigured(env: PlatformEnv): boolean;
  /** Names (never values) of the required variables that are unset or blank. */
  missingEnv(env: PlatformEnv): string[];
  /** Posts plain text; throws a SocialPlatformError when the platform refuses. */
  publish(
    text: string,
    env: PlatformEnv,
    fetchImpl?: FetchFn,
  ): Promise<PublishResult>;
  /**
   * After a publish whose outcome is unknown: looks on the platform for a
   * post of exactly `text` made since `since`. Resolves undefined when it is
   * not there; throws a SocialPlatformError when the platform could not be
   * asked. Absent where the platform offers no way to look (each platform
   * file says what its API allows).
   */
  findPost?(
    text: string,
    env: PlatformEnv,
    since: Date,
    fetchImpl?: FetchFn,
  ): Promise<PublishResult | undefined>;
  /** Verifies the credentials without posting; never throws. */
  checkHealth(env: PlatformEnv, fetchImpl?: FetchFn): Promise<HealthResult>;
}
