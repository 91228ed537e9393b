import { describe, expect, it } from 'vitest';
import { earnedFor, mulDivFloor, offsetBlock, offsetCap, offsetFor } from './offset';

describe('points ↔ money, exactly', () => {
  it('spends points in the smallest block that buys whole fen', () => {
    expect(offsetBlock(100)).toEqual({ points: 1, amount: 1 });
    expect(offsetBlock(150)).toEqual({ points: 3, amount: 2 });
    expect(offsetBlock(7)).toEqual({ points: 7, amount: 100 });
    expect(offsetBlock(1)).toEqual({ points: 1, amount: 100 });
    expect(offsetBlock(1000)).toEqual({ points: 10, amount: 1 });
  });

  it('the points charged buy exactly the amount, at every rate', () => {
    for (const rate of [1, 3, 7, 25, 99, 100, 101, 150, 333, 1000, 12_345]) {
      for (const have of [0, 1, 2, 99, 100, 101, 1_234, 99_999]) {
        const o = offsetFor(have, 1_000_000_000, { pointsPerYuan: rate, maxOffsetBps: 10_000 });
        expect(o.points * 100).toBe(o.amount * rate);
        expect(o.points).toBeLessThanOrEqual(have);
        // One more block would need more points than there are.
        expect(o.points + offsetBlock(rate).points).toBeGreaterThan(have);
      }
    }
  });

  it('stays within the cap, floored to whole blocks', () => {
    expect(offsetCap(12_345, 5000)).toBe(6_172);
    expect(offsetFor(1_000_000, 12_345, { pointsPerYuan: 100, maxOffsetBps: 5000 })).toEqual({ points: 6_172, amount: 6_172 });
    // 150 per ¥1: 6172 fen of cap hold 3086 blocks of 2 fen.
    expect(offsetFor(1_000_000, 12_345, { pointsPerYuan: 150, maxOffsetBps: 5000 })).toEqual({ points: 9_258, amount: 6_172 });
    // 7 per ¥1: a block is ¥1, and ¥61.72 of cap hold 61 of them.
    expect(offsetFor(1_000_000, 12_345, { pointsPerYuan: 7, maxOffsetBps: 5000 })).toEqual({ points: 427, amount: 6_100 });
    expect(offsetFor(1_000_000, 199, { pointsPerYuan: 7, maxOffsetBps: 5000 })).toEqual({ points: 0, amount: 0 });
    expect(offsetFor(1_000_000, 12_345, { pointsPerYuan: 100, maxOffsetBps: 0 })).toEqual({ points: 0, amount: 0 });
  });

  it('earns the floor of paid fen × rate / 100', () => {
    expect(earnedFor(9_999, 1)).toBe(99);
    expect(earnedFor(10_000, 1)).toBe(100);
    expect(earnedFor(12_345, 3)).toBe(370);
    expect(earnedFor(0, 5)).toBe(0);
  });

  it('multiplies past 2^53 without losing a fen', () => {
    expect(mulDivFloor(9_007_199_254_740_991, 9_999, 10_000)).toBe(Number((9_007_199_254_740_991n * 9_999n) / 10_000n));
  });
});
