import { aVariable, aWorkflowHealth } from '../../__testUtils__/healthFixtures';
import { healthRowsOf } from './healthRows';

const findings = (...variables: ReturnType<typeof aVariable>[]) =>
  healthRowsOf(aWorkflowHealth({ variables, probes: [] })).map(
    row => row.finding,
  );

describe('healthRowsOf', () => {
  it('says where a variable with a config equivalent is set, never its value', () => {
    expect(
      findings(
        aVariable({
          suppliedBy: { kind: 'config', name: 'workflows.qstash.token' },
        }),
        aVariable({
          name: 'QSTASH_NEXT_SIGNING_KEY',
          suppliedBy: { kind: 'env', name: 'QSTASH_NEXT_SIGNING_KEY' },
        }),
        aVariable({
          name: 'QSTASH_CURRENT_SIGNING_KEY',
          state: 'invalid',
          problem: 'does not start with sig_',
          suppliedBy: {
            kind: 'config',
            name: 'workflows.qstash.currentSigningKey',
          },
        }),
        aVariable({ name: 'TELEGRAM_BOT_TOKEN' }),
      ),
    ).toEqual([
      'Set in config: workflows.qstash.token',
      'Set in the environment: QSTASH_NEXT_SIGNING_KEY',
      'Invalid in config: workflows.qstash.currentSigningKey: does not start with sig_',
      'Set',
    ]);
  });
});
