import { describe, expect, it } from 'vitest';
import { describeTerms, floorMulDiv, reductionOn, spreadExact, yuan, yuanExact } from './campaign-terms';

describe('spreadExact', () => {
  it('floors each share and gives the fen left to the largest part', () => {
    // 10 × 1/3 each = 3.33…: floors 3 + 3 + 3, the fen left to the largest (the middle one).
    expect(spreadExact(10, [100, 101, 100])).toEqual([3, 4, 3]);
  });

  it('ties for largest go to the earlier part, then the next largest', () => {
    expect(spreadExact(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(spreadExact(5, [3, 3, 1])).toEqual([3, 2, 0]);
  });

  it('never gives a part more than its own total, and always adds up', () => {
    expect(spreadExact(7, [5, 1, 1])).toEqual([5, 1, 1]);
    expect(spreadExact(0, [5, 0])).toEqual([0, 0]);
  });

  it('refuses more than the parts hold, negatives and fractions', () => {
    expect(() => spreadExact(8, [5, 1, 1])).toThrow(RangeError);
    expect(() => spreadExact(-1, [5])).toThrow(RangeError);
    expect(() => spreadExact(1.5, [5])).toThrow(RangeError);
  });
});

describe('money arithmetic', () => {
  it('floorMulDiv stays exact past 2^53', () => {
    expect(floorMulDiv(10_000_000_000 * 99, 9_900, 10_000)).toBe(980_100_000_000);
    expect(floorMulDiv(9_007_199_254_740_991, 3, 7)).toBe(Number((9_007_199_254_740_991n * 3n) / 7n));
  });

  it('yuan drops trailing zeros; yuanExact keeps two places', () => {
    expect([yuan(20_000), yuan(1_250), yuan(1_205), yuan(1)]).toEqual(['200', '12.5', '12.05', '0.01']);
    expect([yuanExact(2_300), yuanExact(5), yuanExact(123_456)]).toEqual(['23.00', '0.05', '1234.56']);
  });
});

describe('reductionOn', () => {
  const tiers = [{ threshold: 10_000, off: 1_000 }, { threshold: 20_000, off: 3_000 }];
  it('the highest tier reached, or null below all', () => {
    expect(reductionOn({ kind: 'tiered_reduction', tiers, repeat: null }, 9_999)).toBeNull();
    expect(reductionOn({ kind: 'tiered_reduction', tiers, repeat: null }, 25_000)).toEqual({ tier: tiers[1], off: 3_000 });
  });

  it('repeat: once per full threshold, capped', () => {
    const every = { kind: 'tiered_reduction' as const, tiers: [tiers[0]!], repeat: { maxOff: 2_500 } };
    expect([19_999, 20_000, 90_000].map((t) => reductionOn(every, t)?.off)).toEqual([1_000, 2_000, 2_500]);
  });

  it('describes a repeat with its cap', () => {
    expect(describeTerms({ kind: 'tiered_reduction', tiers: [tiers[0]!], repeat: { maxOff: 2_500 } })).toEqual({ zh: '每满100减10，最高减25', en: '¥10 off every ¥100, up to ¥25' });
  });
});
