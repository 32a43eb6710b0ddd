import { signingKeyDrift } from './signingKeyDrift';

const keys = (current: string, next: string) => ({ current, next });

describe('signing-key drift', () => {
  it('is in sync when both keys match', () => {
    expect(
      signingKeyDrift(keys('sig_a', 'sig_b'), keys('sig_a', 'sig_b')),
    ).toEqual({
      verdict: 'ok',
      message: 'in sync with QStash',
    });
  });

  it('is one rotation behind when our next key is QStash current', () => {
    const outcome = signingKeyDrift(
      keys('sig_a', 'sig_b'),
      keys('sig_b', 'sig_c'),
    );
    expect(outcome.verdict).toBe('warning');
    expect(outcome.message).toMatch(/^one rotation behind/);
    expect(outcome.fix).toBe(
      "rotate: the next key is now current on QStash; set QSTASH_CURRENT_SIGNING_KEY to the old next and QSTASH_NEXT_SIGNING_KEY to QStash's new next",
    );
  });

  it('is broken after two rotations, or with unrelated keys', () => {
    for (const qstash of [keys('sig_c', 'sig_d'), keys('sig_x', 'sig_a')]) {
      const outcome = signingKeyDrift(keys('sig_a', 'sig_b'), qstash);
      expect(outcome.verdict).toBe('failing');
      expect(outcome.message).toMatch(/^broken/);
    }
  });

  it('warns when only the next key differs, before a rotation breaks it', () => {
    expect(
      signingKeyDrift(keys('sig_a', 'sig_old'), keys('sig_a', 'sig_b')).verdict,
    ).toBe('warning');
  });

  it('never repeats a key in what it says', () => {
    const outcomes = [
      signingKeyDrift(keys('sig_a1', 'sig_b1'), keys('sig_a1', 'sig_b1')),
      signingKeyDrift(keys('sig_a1', 'sig_b1'), keys('sig_b1', 'sig_c1')),
      signingKeyDrift(keys('sig_a1', 'sig_b1'), keys('sig_c1', 'sig_d1')),
    ];
    const text = JSON.stringify(outcomes);
    for (const key of ['sig_a1', 'sig_b1', 'sig_c1', 'sig_d1']) {
      expect(text).not.toContain(key);
    }
  });
});
