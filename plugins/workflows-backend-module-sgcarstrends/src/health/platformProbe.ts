import type {
  HealthProbe,
  HealthProbeOutcome,
} from '@internal/plugin-workflows-node';
import type {
  FetchFn,
  HealthResult,
  PlatformEnv,
  SocialPlatform,
} from '../social';
import type { PlatformId } from '../types';

/** The call each platform's check makes, for the probe's title. */
const CHECK_CALLS: Record<PlatformId, string> = {
  discord: 'webhook GET',
  telegram: 'getMe',
  linkedin: 'token refresh',
  twitter: 'users/me',
};

/** Refusals that mean the credentials themselves are wrong, revoked or expired. */
const REFUSED = new Set([400, 401, 403, 404]);

/** The platform's fetch, ended when the probe's time is up. */
function fetchUntil(signal: AbortSignal): FetchFn {
  return (input, init) =>
    fetch(input, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal,
    });
}

function outcomeOf(
  platform: SocialPlatform,
  health: HealthResult,
): HealthProbeOutcome {
  const variables = platform.requiredEnv.join(', ');
  if (health.ok) {
    return health.attention
      ? {
          verdict: 'warning',
          message: health.message,
          fix: `renew the ${platform.name} credentials before they expire (${variables})`,
        }
      : { verdict: 'ok', message: health.message };
  }
  if (health.status === 429) {
    return {
      verdict: 'warning',
      message: `rate limited, the credentials could not be checked: ${health.message}`,
      fix: `check again later; ${platform.name} limits how often this backend may call it`,
    };
  }
  if (health.status !== undefined && REFUSED.has(health.status)) {
    return {
      verdict: 'failing',
      message: health.message,
      fix: `the credentials were refused (wrong, revoked or expired): set ${variables} again`,
    };
  }
  return {
    verdict: 'failing',
    message: health.message,
    fix: `check that ${platform.name} is reachable from this backend and answers as its API documents`,
  };
}

/**
 * A platform's own credentials check (`checkHealth`, which never posts).
 * In dry run nothing is sent to the platform, so it is not called either,
 * unless the caller asks for it.
 */
export function platformProbe(
  platform: SocialPlatform,
  options: { dryRun: boolean; env: PlatformEnv },
): HealthProbe {
  return {
    id: platform.id,
    title: `${platform.name} credentials (${CHECK_CALLS[platform.id]})`,
    async probe({ signal, probePlatforms }) {
      if (options.dryRun && !probePlatforms) {
        return { verdict: 'not-probed', message: 'not probed: dry run' };
      }
      const missing = platform.missingEnv(options.env);
      if (missing.length > 0) {
        return {
          verdict: 'not-probed',
          message: `not probed: missing ${missing.join(', ')}`,
          fix: `set ${missing.join(', ')}`,
        };
      }
      return outcomeOf(
        platform,
        await platform.checkHealth(options.env, fetchUntil(signal)),
      );
    },
  };
}
