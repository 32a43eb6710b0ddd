import { envVariableSpecs } from './healthPlan';

describe('envVariableSpecs', () => {
  const hostKeys = new Map([['QSTASH_TOKEN', 'workflows.qstash.token']]);

  it('gives a variable the config key the host supplies it from', () => {
    expect(
      envVariableSpecs(
        ['QSTASH_TOKEN', 'TELEGRAM_BOT_TOKEN'],
        [{ name: 'QSTASH_TOKEN', format: 'token' }],
        hostKeys,
      ),
    ).toEqual([
      {
        name: 'QSTASH_TOKEN',
        kind: 'env',
        format: 'token',
        secret: true,
        configKey: 'workflows.qstash.token',
      },
      {
        name: 'TELEGRAM_BOT_TOKEN',
        kind: 'env',
        secret: true,
        configKey: undefined,
      },
    ]);
  });

  it('takes the config key a runner declares over the host one', () => {
    const [spec] = envVariableSpecs(
      [],
      [{ name: 'QSTASH_TOKEN', configKey: 'workflows.mine.token' }],
      hostKeys,
    );
    expect(spec.configKey).toBe('workflows.mine.token');
  });

  it('reads no config key for a name the object prototype has', () => {
    const [spec] = envVariableSpecs(['constructor'], [], hostKeys);
    expect(spec.configKey).toBeUndefined();
  });
});
