import { worstVerdict } from './verdicts';

describe('worst verdict', () => {
  it('ranks failing over warning over ok over not probed', () => {
    expect(worstVerdict(['ok', 'failing', 'warning'])).toBe('failing');
    expect(worstVerdict(['not-probed', 'warning', 'ok'])).toBe('warning');
    expect(worstVerdict(['not-probed', 'ok'])).toBe('ok');
    expect(worstVerdict(['not-probed'])).toBe('not-probed');
    expect(worstVerdict([])).toBe('not-probed');
  });
});
