import { describe, expect, it } from 'vitest';
import type { CommissionRule } from '@tuike/db-tenant';
import { adjustCommissions, lineCap, proposeCommissions, type CommissionAdjuster, type CommissionLineInput, type CommissionPolicy, type Earner, type ProposedCommission } from './commission-rules';

const bps = (...levels: number[]): CommissionRule => ({ mode: 'bps', levels });
const fixed = (...levels: number[]): CommissionRule => ({ mode: 'fixed', levels });

const line = (lineId: string, paidAmount: number, quantity = 1, productRule: CommissionRule | null = null, categoryRule: CommissionRule | null = null): CommissionLineInput =>
  ({ lineId, productId: 'p1', quantity, paidAmount, productRule, categoryRule });

const earners = (g1: CommissionRule | null = null, g2: CommissionRule | null = null, g3: CommissionRule | null = null): Earner[] => [
  { distributorId: 'd1', level: 1, gradeRule: g1 },
  { distributorId: 'd2', level: 2, gradeRule: g2 },
  { distributorId: 'd3', level: 3, gradeRule: g3 },
];

const policy = (over: Partial<CommissionPolicy> = {}): CommissionPolicy => ({ levels: 3, defaultRule: bps(1000, 500, 200), capBps: 10_000, ...over });

/** line → [level, mode, rate, amount] per level, for compact assertions. */
const table = (out: ProposedCommission[]) =>
  Object.fromEntries([...new Set(out.map((c) => c.lineId))].map((id) => [id, out.filter((c) => c.lineId === id).map((c) => [c.level, c.rateMode, c.rate, c.amount])]));

describe('commission rates (D5): product > category > grade > shop default, per level', () => {
  it('takes each level from the most specific rule that lists it, falling through for levels it does not', () => {
    const out = proposeCommissions([
      line('a', 10_000, 1, bps(2000), bps(1800, 900)), // product for L1, category for L2, grade for L3
      line('b', 10_000, 3, null, fixed(100)), // category for L1 (fixed × 3), default for L2, grade for L3
      line('c', 10_000), // grade for L1, default for L2, grade for L3
      line('d', 10_000, 1, bps(0, 0, 0), bps(3000, 3000, 3000)), // an explicit 0 is a rate, not a gap
    ], earners(bps(1500, 700), null, bps(0, 0, 900)), policy());
    expect(table(out)).toEqual({
      a: [[1, 'bps', 2000, 2000], [2, 'bps', 900, 900], [3, 'bps', 900, 900]],
      b: [[1, 'fixed', 100, 300], [2, 'bps', 500, 500], [3, 'bps', 900, 900]],
      c: [[1, 'bps', 1500, 1500], [2, 'bps', 500, 500], [3, 'bps', 900, 900]],
      d: [[1, 'bps', 0, 0], [2, 'bps', 0, 0], [3, 'bps', 0, 0]],
    });
    // The base is what the line paid; each row names its earner.
    expect(out.every((c) => c.base === 10_000)).toBe(true);
    expect(out.filter((c) => c.lineId === 'a').map((c) => c.distributorId)).toEqual(['d1', 'd2', 'd3']);
  });

  it('the grade of each earner counts for that earner only', () => {
    const out = proposeCommissions([line('a', 10_000)], earners(null, bps(1200, 800, 300), null), policy());
    expect(table(out).a).toEqual([[1, 'bps', 1000, 1000], [2, 'bps', 800, 800], [3, 'bps', 200, 200]]);
  });

  it('multiplies fixed amounts by the quantity', () => {
    const out = proposeCommissions([line('a', 100_000, 4, fixed(300, 200, 100))], earners(), policy());
    expect(table(out).a).toEqual([[1, 'fixed', 300, 1200], [2, 'fixed', 200, 800], [3, 'fixed', 100, 400]]);
  });

  it('floors percentages per line and level; the remainder stays with the merchant', () => {
    const out = proposeCommissions([line('a', 12_345)], earners(), policy());
    expect(table(out).a!.map((r) => r[3])).toEqual([1234, 617, 246]); // 1234.5, 617.25, 246.9
    // Three lines of 9 fen at 50%: 4 each, not floor(27 × 50%) = 13 for the order.
    const three = proposeCommissions([line('x', 9), line('y', 9), line('z', 9)], [earners()[0]!], policy({ defaultRule: bps(5000, 0, 0) }));
    expect(three.map((c) => c.amount)).toEqual([4, 4, 4]);
  });

  it('pays nothing beyond the configured number of levels, and nobody moves up into a missing level', () => {
    expect(table(proposeCommissions([line('a', 10_000)], earners(), policy({ levels: 2 }))).a).toEqual([[1, 'bps', 1000, 1000], [2, 'bps', 500, 500]]);
    const withoutLevel2 = earners().filter((e) => e.level !== 2);
    expect(table(proposeCommissions([line('a', 10_000)], withoutLevel2, policy())).a).toEqual([[1, 'bps', 1000, 1000], [3, 'bps', 200, 200]]);
  });

  it('clamps a line to its cap, cutting from the deepest level up', () => {
    expect(lineCap(9900, 3000)).toBe(2970);
    expect(lineCap(9999, 3333)).toBe(3332); // 3332.6667
    // Fixed ¥20 / ¥10 / ¥5 on a ¥99 line under a 30% cap (¥29.70): level 3 loses all, level 2 the rest.
    expect(table(proposeCommissions([line('a', 9900, 1, fixed(2000, 1000, 500))], earners(), policy({ capBps: 3000 }))).a!.map((r) => r[3])).toEqual([2000, 970, 0]);
    // Under a 20% cap (¥19.80) even level 1 is cut.
    expect(table(proposeCommissions([line('a', 9900, 1, fixed(2000, 1000, 500))], earners(), policy({ capBps: 2000 }))).a!.map((r) => r[3])).toEqual([1980, 0, 0]);
    // Grade rates adding up to more than the cap are clamped the same way.
    expect(table(proposeCommissions([line('a', 10_000)], earners(bps(1600), bps(0, 900), bps(0, 0, 400)), policy({ capBps: 2000 }))).a!.map((r) => r[3])).toEqual([1600, 400, 0]);
    // Under the cap nothing changes, and every line stays within it.
    const lines = [line('a', 10_000, 2, fixed(3000, 3000, 3000)), line('b', 1, 1, fixed(1, 1, 1)), line('c', 0, 1, fixed(100, 100, 100)), line('d', 77_777)];
    const out = proposeCommissions(lines, earners(), policy({ capBps: 2500 }));
    for (const l of lines) expect(out.filter((c) => c.lineId === l.lineId).reduce((n, c) => n + c.amount, 0)).toBeLessThanOrEqual(lineCap(l.paidAmount, 2500));
    expect(table(out).c!.map((r) => r[3])).toEqual([0, 0, 0]);
    expect(table(out).d!.map((r) => r[3])).toEqual([7777, 3888, 1555]);
  });
});

describe('commission adjusters: a plugin changes the proposal only within the rules', () => {
  const proposal = () => proposeCommissions([line('a', 10_000), line('b', 5000, 2)], earners(), policy({ capBps: 3000 }));
  const run = (...adjusters: CommissionAdjuster[]) => {
    const rejected: [number, string][] = [];
    const out = adjustCommissions(proposal(), adjusters, 3000, (i, why) => rejected.push([i, why]));
    return { out, rejected };
  };
  const amounts = (out: readonly ProposedCommission[]) => out.map((c) => `${c.lineId}${c.level}:${c.amount}`).join(' ');
  const before = amounts(proposal());

  it('applies a valid adjustment: lowering, or raising within the cap', () => {
    const halve: CommissionAdjuster = (p) => p.map((c) => (c.level === 1 ? { ...c, amount: Math.floor(c.amount / 2) } : c));
    expect(amounts(run(halve).out)).toBe('a1:500 a2:500 a3:200 b1:250 b2:250 b3:100');
    const raise: CommissionAdjuster = (p) => p.map((c) => (c.lineId === 'a' && c.level === 1 ? { ...c, amount: 2300 } : c)); // 2300 + 500 + 200 = cap 3000
    const { out, rejected } = run(raise);
    expect(amounts(out)).toBe('a1:2300 a2:500 a3:200 b1:500 b2:250 b3:100');
    expect(rejected).toEqual([]);
  });

  it.each<[string, CommissionAdjuster, RegExp]>([
    ['throws', () => { throw new Error('plugin bug'); }, /threw: plugin bug/],
    ['goes negative', (p) => p.map((c) => ({ ...c, amount: -1 })), /not a non-negative integer/],
    ['returns a fraction', (p) => p.map((c) => ({ ...c, amount: c.amount + 0.5 })), /not a non-negative integer/],
    ['returns NaN', (p) => p.map((c) => ({ ...c, amount: Number.NaN })), /not a non-negative integer/],
    ['invents a line', (p) => [...p, { ...p[0]!, lineId: 'shipping' }], /unknown or altered/],
    ['invents an earner', (p) => p.map((c) => (c.level === 1 ? { ...c, distributorId: 'plugin-author' } : c)), /unknown or altered/],
    ['invents a level', (p) => [...p.filter((c) => c.lineId === 'a' && c.level !== 3), { ...p[0]!, level: 3 }], /unknown or altered/],
    ['raises a base', (p) => p.map((c) => ({ ...c, base: c.base * 10 })), /unknown or altered/],
    ['pays one line twice', (p) => [...p, p[0]!], /twice/],
    ['breaks the cap', (p) => p.map((c) => (c.lineId === 'a' && c.level === 1 ? { ...c, amount: 2301 } : c)), /over the cap/],
    ['returns no list', () => ({}) as unknown as ProposedCommission[], /did not return a list/],
    ['returns holes', (p) => [null, ...p.slice(1)] as unknown as ProposedCommission[], /./],
    ['returns nonsense', () => ['x', 42] as unknown as ProposedCommission[], /./],
  ])('ignores and reports an adjuster that %s', (_, bad, why) => {
    const { out, rejected } = run(bad);
    expect(amounts(out)).toBe(before);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]![0]).toBe(0);
    expect(rejected[0]![1]).toMatch(why);
  });

  it('keeps going after a bad adjuster: each valid one applies to what the valid ones before it left', () => {
    const minus100: CommissionAdjuster = (p) => p.map((c) => ({ ...c, amount: Math.max(c.amount - 100, 0) }));
    const crash: CommissionAdjuster = () => { throw new TypeError('x is undefined'); };
    const { out, rejected } = run(minus100, crash, minus100);
    expect(amounts(out)).toBe('a1:800 a2:300 a3:0 b1:300 b2:50 b3:0');
    expect(rejected.map(([i]) => i)).toEqual([1]);
  });

  it('takes only amounts from an adjuster: the recorded rule of each line stays what it was', () => {
    const relabel: CommissionAdjuster = (p) => p.map((c) => ({ ...c, rateMode: 'fixed', rate: 999_999, amount: c.amount - 1, note: 'x' }) as ProposedCommission);
    const { out, rejected } = run(relabel);
    expect(rejected).toEqual([]);
    expect(out.map((c) => [c.rateMode, c.rate, c.amount])).toEqual(proposal().map((c) => [c.rateMode, c.rate, c.amount - 1]));
    expect(out.every((c) => !('note' in c))).toBe(true);
  });

  it('contains an adjuster whose result throws when read', () => {
    const trap: CommissionAdjuster = (p) => p.map((c) => ({ ...c, get amount(): number { throw new Error('getter'); } }));
    const { out, rejected } = run(trap);
    expect(amounts(out)).toBe(before);
    expect(rejected).toEqual([[0, 'unreadable output: getter']]);
  });

  it('an adjuster cannot change the proposal by mutating what it was given', () => {
    const original = proposal();
    const sneaky: CommissionAdjuster = (p) => { for (const c of p as ProposedCommission[]) c.amount = 999_999; throw new Error('oops'); };
    const out = adjustCommissions(original, [sneaky], 3000);
    expect(amounts(out)).toBe(before);
    expect(amounts(original)).toBe(before);
  });
});
