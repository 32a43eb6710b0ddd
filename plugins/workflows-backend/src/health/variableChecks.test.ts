import type { EnvVarFormat } from '@internal/plugin-workflows-node';
import { checkVariable, VariableSpec } from './variableChecks';

const spec = (format?: EnvVarFormat, extra: Partial<VariableSpec> = {}) => ({
  name: 'SOME_VARIABLE',
  kind: 'env' as const,
  format,
  secret: true,
  ...extra,
});

describe('variable checks', () => {
  it.each<[EnvVarFormat, string, string]>([
    ['url', 'https://example.com/hook', 'ftp://example.com/hook'],
    [
      'https-url',
      'https://discord.com/api/webhooks/1/abc',
      'http://discord.com/api/webhooks/1/abc',
    ],
    ['https-url', 'http://127.0.0.1:4000/webhook', 'not a url at all'],
    ['postgres-url', 'postgresql://u:p@db:5432/cars', 'mysql://u:p@db/cars'],
    ['numeric-id', '98765', 'urn:li:organization:98765'],
    ['token', 'abcDEF123-_=+/', 'abc def'],
    [
      'telegram-bot-token',
      '123456:AAHk-secret_part',
      '123456-AAHk-secret_part',
    ],
    ['telegram-chat-id', '@sgcarstrends', 'sgcarstrends'],
    ['telegram-chat-id', '-1001234567890', '@x'],
    [
      'prefix:sig_',
      'sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs',
      'key_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs',
    ],
  ])(
    '%s: accepts a good value and refuses a bad one without quoting it',
    (format, good, bad) => {
      expect(checkVariable(spec(format), { value: good })).toEqual({
        check: {
          name: 'SOME_VARIABLE',
          kind: 'env',
          state: 'present',
          problem: null,
          fix: null,
        },
        verdict: 'ok',
      });
      const invalid = checkVariable(spec(format), { value: bad });
      expect(invalid.verdict).toBe('failing');
      expect(invalid.check.state).toBe('invalid');
      expect(invalid.check.problem).toEqual(expect.any(String));
      expect(invalid.check.fix).toContain('SOME_VARIABLE');
      for (const text of [invalid.check.problem!, invalid.check.fix!]) {
        expect(text).not.toContain(bad);
      }
    },
  );

  it('counts a blank value as missing, failing unless optional', () => {
    expect(checkVariable(spec('url'), { value: '   ' })).toEqual({
      check: {
        name: 'SOME_VARIABLE',
        kind: 'env',
        state: 'missing',
        problem: null,
        fix: 'set SOME_VARIABLE',
      },
      verdict: 'failing',
    });
    expect(checkVariable(spec('url', { optional: true }), {}).verdict).toBe(
      'ok',
    );
    // Optional only means it may be absent: a wrong value is still wrong.
    expect(
      checkVariable(spec('url', { optional: true }), { value: 'nope' }).verdict,
    ).toBe('failing');
  });

  it('says where a config key is set, and reports one that is not text', () => {
    const configKey = spec(undefined, {
      name: 'workflows.qstash.token',
      kind: 'config',
    });
    expect(checkVariable(configKey, {}).check.fix).toBe(
      'set workflows.qstash.token in the app config',
    );
    expect(
      checkVariable(configKey, { unreadable: 'not a text value' }).check,
    ).toMatchObject({ state: 'invalid', problem: 'not a text value' });
  });

  it('names both a variable and its config key, and says which one holds the value', () => {
    const token = spec('token', {
      name: 'QSTASH_TOKEN',
      configKey: 'workflows.qstash.token',
    });
    const fromConfig = {
      kind: 'config',
      name: 'workflows.qstash.token',
    } as const;
    expect(checkVariable(token, {}).check).toEqual({
      name: 'QSTASH_TOKEN',
      kind: 'env',
      state: 'missing',
      problem: null,
      fix: 'set QSTASH_TOKEN, or workflows.qstash.token in the app config',
    });
    expect(
      checkVariable(token, { value: 'qstash-token', suppliedBy: fromConfig })
        .check,
    ).toEqual({
      name: 'QSTASH_TOKEN',
      kind: 'env',
      state: 'present',
      problem: null,
      fix: null,
      suppliedBy: fromConfig,
    });
    expect(
      checkVariable(token, { value: 'two words', suppliedBy: fromConfig })
        .check,
    ).toMatchObject({
      state: 'invalid',
      suppliedBy: fromConfig,
      fix: 'correct workflows.qstash.token (contains spaces, quotes or line breaks)',
    });
  });

  it('checks surrounding spaces away, as the runners trim them', () => {
    expect(
      checkVariable(spec('numeric-id'), { value: ' 42\n' }).check.state,
    ).toBe('present');
  });
});
