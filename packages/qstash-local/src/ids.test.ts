import { newMessageId, randomToken } from './ids';

describe('ids', () => {
  it('draws tokens of the asked length from the base58 alphabet, all different', () => {
    const tokens = Array.from({ length: 5_000 }, () => randomToken(24));
    for (const token of tokens)
      expect(token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(newMessageId()).toMatch(/^msg_[1-9A-HJ-NP-Za-km-z]{40}$/);
  });

  it('uses every character about equally often', () => {
    const counts = new Map<string, number>();
    for (const char of randomToken(58 * 2_000)) {
      counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(58);
    // 2,000 expected per character; a biased draw (byte % 58 without
    // rejection) gives some characters about 2,270.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(1_780);
      expect(count).toBeLessThan(2_220);
    }
  });
});
