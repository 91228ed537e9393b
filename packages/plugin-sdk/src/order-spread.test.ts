import { describe, expect, it } from 'vitest';
import { spreadProportionally } from './order-spread';

/** A small seeded generator, so a failure reproduces. */
function random(seed: number) {
  let s = seed >>> 0;
  return (max: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % max;
  };
}

describe('proportional spreading of order-level amounts', () => {
  it('floors each share and gives the leftover fen to the largest line', () => {
    expect(spreadProportionally(1000, [3000, 3000, 3001])).toEqual([333, 333, 334]);
    expect(spreadProportionally(100, [200, 100])).toEqual([67, 33]); // 66.67 → 66, 33.33 → 33, 1 left for the largest
  });

  it('breaks ties between equal lines by cart order', () => {
    expect(spreadProportionally(1, [5, 5])).toEqual([1, 0]);
  });

  it('never puts more on a line than it has left, even where a naive remainder would', () => {
    // Floors give 0, 0, 0; a naive "remainder on the largest line" would put 2 on a line worth 1.
    expect(spreadProportionally(2, [1, 1, 1])).toEqual([1, 1, 0]);
  });

  it('adds up exactly and stays within each line for thousands of random carts', () => {
    const rnd = random(42);
    for (let n = 0; n < 5000; n++) {
      const lines = Array.from({ length: 1 + rnd(8) }, () => rnd(5) === 0 ? 0 : 1 + rnd(100_000));
      const total = lines.reduce((a, b) => a + b, 0);
      const amount = total === 0 ? 0 : rnd(total + 1);
      const shares = spreadProportionally(amount, lines);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
      shares.forEach((s, i) => {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(lines[i]!);
        expect(Number.isInteger(s)).toBe(true);
      });
    }
  });

  it('stays exact for amounts whose products pass 2^53', () => {
    const lines = [9_000_000_000_000, 3_000_000_000_001];
    const shares = spreadProportionally(6_000_000_000_000, lines);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(6_000_000_000_000);
    expect(shares[0]).toBe(Number((6_000_000_000_000n * 9_000_000_000_000n) / 12_000_000_000_001n) + 1);
  });

  it('refuses an amount above what the lines have, negative or fractional', () => {
    expect(() => spreadProportionally(4, [1, 2])).toThrow(RangeError);
    expect(() => spreadProportionally(-1, [1, 2])).toThrow(RangeError);
    expect(() => spreadProportionally(1.5, [1, 2])).toThrow(RangeError);
  });
});
