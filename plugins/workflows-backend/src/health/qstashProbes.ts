import type {
  HealthProbe,
  HealthProbeOutcome,
} from '@internal/plugin-workflows-node';
import type { QStashGateway } from '../qstash/QStashGateway';
import { qstashStatusOf } from '../qstash/qstashHttp';
import type { QStashConnection } from '../runners/qstashConnection';
import { signingKeyDrift } from './signingKeyDrift';

const NO_TOKEN: HealthProbeOutcome = {
  verdict: 'not-probed',
  message: 'not probed: no QStash token is configured',
  fix: 'set workflows.qstash.token (QSTASH_TOKEN)',
};

/** A refusal, a rate limit or an outage of QStash, as a verdict. */
function qstashFailure(error: unknown): HealthProbeOutcome {
  const status = qstashStatusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === 401 || status === 403) {
    return {
      verdict: 'failing',
      message: `QStash refused the token (HTTP ${status})`,
      fix: 'set QSTASH_TOKEN (workflows.qstash.token) to a token of the region at workflows.qstash.url (QSTASH_URL)',
    };
  }
  if (status === 429) {
    return {
      verdict: 'warning',
      message: `${message}: the check could not be made`,
      fix: 'check again in a minute; if it persists, the daily quota may be used up',
    };
  }
  return {
    verdict: 'failing',
    message,
    fix: 'check that QSTASH_URL (workflows.qstash.url) points at a QStash that answers',
  };
}

/** The token works: an authenticated read of the schedules. */
export function qstashTokenProbe(
  gateway: QStashGateway | undefined,
): HealthProbe {
  return {
    id: 'qstash-token',
    title: 'QStash token (authenticated read)',
    async probe({ signal }) {
      if (!gateway) return NO_TOKEN;
      try {
        const { schedules } = await gateway.checkToken({ signal });
        return {
          verdict: 'ok',
          message: `QStash accepted the token (${schedules} schedule${
            schedules === 1 ? '' : 's'
          } visible)`,
        };
      } catch (error) {
        return qstashFailure(error);
      }
    },
  };
}

/** The configured signing keys against the ones QStash signs with. */
export function signingKeysProbe(
  connection: QStashConnection | undefined,
  gateway: QStashGateway | undefined,
): HealthProbe {
  return {
    id: 'signing-keys',
    title: 'QStash signing keys (drift)',
    async probe({ signal }) {
      if (!connection || !gateway) return NO_TOKEN;
      const { currentSigningKey, nextSigningKey } = connection;
      if (!currentSigningKey || !nextSigningKey) {
        return {
          verdict: 'failing',
          message:
            'runner endpoints are disabled: both signing keys must be configured so that every delivery can be verified',
          fix: 'set QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY (workflows.qstash.currentSigningKey and nextSigningKey)',
        };
      }
      try {
        const keys = await gateway.getSigningKeys({ signal });
        return signingKeyDrift(
          { current: currentSigningKey, next: nextSigningKey },
          keys,
        );
      } catch (error) {
        return qstashFailure(error);
      }
    },
  };
}
