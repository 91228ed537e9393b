import { describe, expect, expectTypeOf, it } from 'vitest';
// The distribution package owns commission; the SDK mirrors its adjuster contract without
// depending on it. These imports (test only) fail the build or the suite if the two drift.
import { adjustCommissions, type CommissionAdjuster as DistributionAdjuster, type ProposedCommission as DistributionLine } from '../../distribution/src/commission-rules';
import { checkCommissionAdjustment } from './commission-check';
import type { CommissionAdjuster, ProposedCommission } from './hooks';

const proposed: ProposedCommission[] = [
  { lineId: 'l1', distributorId: 'd1', level: 1, base: 10_000, rateMode: 'bps', rate: 1000, amount: 1000 },
  { lineId: 'l1', distributorId: 'd2', level: 2, base: 10_000, rateMode: 'bps', rate: 500, amount: 500 },
];

const adjusters: [string, (lines: readonly ProposedCommission[]) => unknown][] = [
  ['unchanged', (l) => l],
  ['a bonus within the cap', (l) => l.map((x) => (x.level === 1 ? { ...x, amount: x.amount + 1000 } : x))],
  ['a cut to zero', (l) => l.map((x) => ({ ...x, amount: 0 }))],
  ['a dropped earner', (l) => l.slice(0, 1)],
  ['over the cap', (l) => l.map((x) => ({ ...x, amount: 2000 }))],
  ['an invented earner', (l) => [...l, { ...l[0]!, distributorId: 'd9', level: 3 }]],
  ['a raised base', (l) => l.map((x) => ({ ...x, base: 20_000 }))],
  ['a negative amount', (l) => l.map((x) => ({ ...x, amount: -1 }))],
  ['a fractional amount', (l) => l.map((x) => ({ ...x, amount: 0.5 }))],
  ['a line twice', (l) => [...l, l[0]]],
  ['a changed rate, which is dropped', (l) => l.map((x) => ({ ...x, rate: 9999, rateMode: 'fixed' as const, amount: x.amount - 1 }))],
  ['a getter that throws', (l) => l.map((x) => Object.defineProperty({ ...x }, 'amount', { get: () => { throw new Error('boom'); } }))],
  ['not a list', () => 'nope'],
];

describe('commission adjusters', () => {
  it('have the very type distribution runs', () => {
    expectTypeOf<CommissionAdjuster>().toEqualTypeOf<DistributionAdjuster>();
    expectTypeOf<ProposedCommission>().toEqualTypeOf<DistributionLine>();
  });

  it.each(adjusters)('are judged as distribution judges them: %s', (_, adjust) => {
    const capBps = 3000;
    let distributionRefused = false;
    const paid = adjustCommissions(proposed.map((l) => ({ ...l })), [adjust as DistributionAdjuster], capBps, () => { distributionRefused = true; });
    const ours = checkCommissionAdjustment(proposed, adjust(proposed), capBps);
    expect(!ours.ok).toBe(distributionRefused);
    expect(ours.ok ? ours.lines : proposed).toEqual(paid);
  });

  it('names the reason it refuses', () => {
    const reason = (out: unknown, cap?: number) => { const r = checkCommissionAdjustment(proposed, out, cap); return r.ok ? null : r.reason; };
    expect(reason(adjusters[5]![1](proposed))).toMatch(/unknown or altered line l1\|3/);
    expect(reason(adjusters[4]![1](proposed), 3000)).toMatch(/over the cap/);
    expect(reason(adjusters[4]![1](proposed))).toBeNull();
  });
});
