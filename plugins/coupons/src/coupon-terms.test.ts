import { describe, expect, it } from 'vitest';
import { describeTerms, discountOn, floorMulDiv, operationLabel, spreadExact, type CouponTerms } from './coupon-terms';

const terms = (t: Partial<CouponTerms>): CouponTerms => ({ kind: 'fixed', amountOff: 500, percentOffBps: null, maxDiscount: null, threshold: 0, scope: 'all', scopeIds: [], ...t });

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe('spreadExact', () => {
  it('gives each part the floor of its share and the fen left to the largest remainders', () => {
    expect(spreadExact(2000, [3333, 13334])).toEqual([400, 1600]);
    expect(spreadExact(3, [1, 1, 1])).toEqual([1, 1, 1]);
    expect(spreadExact(2, [100, 100, 100])).toEqual([1, 1, 0]); // equal remainders: earlier first
    expect(spreadExact(0, [5, 5])).toEqual([0, 0]);
  });

  it('adds up exactly and never exceeds a part, over 5,000 random spreads', () => {
    const rand = lcg(20260101);
    for (let n = 0; n < 5000; n++) {
      const totals = Array.from({ length: 1 + rand(8) }, () => rand(5) === 0 ? 0 : 1 + rand(1_000_000));
      const sum = totals.reduce((a, b) => a + b, 0);
      const amount = sum === 0 ? 0 : rand(sum + 1);
      const shares = spreadExact(amount, totals);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
      shares.forEach((s, i) => {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(totals[i]!);
        // Within one fen of the exact proportional share.
        if (sum > 0) expect(Math.abs(s - (amount * totals[i]!) / sum)).toBeLessThan(1);
      });
    }
  });

  it('refuses to spread more than there is', () => {
    expect(() => spreadExact(11, [5, 5])).toThrow(RangeError);
    expect(() => spreadExact(-1, [5])).toThrow(RangeError);
  });
});

describe('discount arithmetic', () => {
  it('rounds a percent discount down and caps it', () => {
    expect(discountOn(terms({ kind: 'percent', amountOff: null, percentOffBps: 1500 }), 3333)).toBe(499);
    expect(discountOn(terms({ kind: 'percent', amountOff: null, percentOffBps: 1500, maxDiscount: 5000 }), 1_000_000)).toBe(5000);
  });

  it('stays exact past 2^53', () => {
    expect(floorMulDiv(9_000_000_000_000, 9_900, 10_000)).toBe(8_910_000_000_000);
    expect(floorMulDiv(2 ** 52 + 1, 3, 7)).toBe(Number((BigInt(2 ** 52 + 1) * 3n) / 7n));
  });
});

describe('terms in words', () => {
  it('names the three kinds the way shops do', () => {
    expect(describeTerms(terms({ kind: 'threshold', amountOff: 2000, threshold: 10_000 }))).toEqual({ zh: '满100减20', en: '¥20 off orders over ¥100' });
    expect(describeTerms(terms({ amountOff: 550 }))).toEqual({ zh: '无门槛减5.5', en: '¥5.5 off' });
    expect(describeTerms(terms({ kind: 'percent', amountOff: null, percentOffBps: 1500, maxDiscount: 5000 }))).toEqual({ zh: '8.5折，最高减50', en: '15% off, up to ¥50' });
    expect(describeTerms(terms({ kind: 'percent', amountOff: null, percentOffBps: 1234, threshold: 9_905 }))).toEqual({ zh: '满99.05享8.766折', en: '12.34% off over ¥99.05' });
  });

  it('keeps operation labels within the 60 characters the SDK allows', () => {
    const label = operationLabel(terms({ kind: 'percent', amountOff: null, percentOffBps: 1234, maxDiscount: 9_999_999_999, threshold: 9_999_999_999 }));
    expect(label.zh.length).toBeLessThanOrEqual(60);
    expect(label.en.length).toBeLessThanOrEqual(60);
  });
});
