import type { HealthProbeOutcome } from '@internal/plugin-workflows-node';
import type { QStashSigningKeys } from '../qstash/QStashGateway';

const ROTATE_FIX =
  "rotate: the next key is now current on QStash; set QSTASH_CURRENT_SIGNING_KEY to the old next and QSTASH_NEXT_SIGNING_KEY to QStash's new next";
const RESET_FIX =
  'set QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY (workflows.qstash.currentSigningKey and nextSigningKey) to the current and next signing keys shown in the Upstash console';

/**
 * Compares the keys this backend verifies deliveries with against the keys
 * QStash signs with. QStash signs with its current key and a receiver tries
 * its current key, then its next, so one rotation is survived (our next is
 * QStash's current) and a second is not. Says nothing about the keys themselves.
 */
export function signingKeyDrift(
  configured: QStashSigningKeys,
  qstash: QStashSigningKeys,
): HealthProbeOutcome {
  if (configured.current === qstash.current) {
    if (configured.next === qstash.next) {
      return { verdict: 'ok', message: 'in sync with QStash' };
    }
    return {
      verdict: 'warning',
      message:
        'the current key matches QStash, the next key does not: the next rotation will break every delivery',
      fix: "set QSTASH_NEXT_SIGNING_KEY to QStash's next signing key",
    };
  }
  if (configured.next === qstash.current) {
    return {
      verdict: 'warning',
      message:
        'one rotation behind: deliveries still verify with the configured next key, one more rotation breaks them',
      fix: ROTATE_FIX,
    };
  }
  return {
    verdict: 'failing',
    message:
      'broken: QStash signs with a key this backend does not have, so every delivery fails verification',
    fix: RESET_FIX,
  };
}
