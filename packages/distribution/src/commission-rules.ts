import { checkCommissionAdjustment } from '@tuike/plugin-sdk/engine';
import type { CommissionRule } from '@tuike/db-tenant';

/** An order line as commission sees it: `paidAmount` is after discounts and before shipping. */
export interface CommissionLineInput {
  lineId: string;
  productId: string;
  quantity: number;
  paidAmount: number;
  productRule: CommissionRule | null;
  categoryRule: CommissionRule | null;
}

/** One earner of the sale: level 1 is the distributor whose shop sold, 2 and 3 their upline. */
export interface Earner {
  distributorId: string;
  level: 1 | 2 | 3;
  gradeRule: CommissionRule | null;
}

export interface ProposedCommission {
  lineId: string;
  distributorId: string;
  level: 1 | 2 | 3;
  base: number;
  rateMode: 'bps' | 'fixed';
  rate: number;
  amount: number;
}

/**
 * The commission-adjuster hook point (plugins, DESIGN.md): pure, it sees the proposed lines and
 * returns them changed. The platform keeps only changes that stay inside the rules.
 */
export type CommissionAdjuster = (proposed: readonly ProposedCommission[]) => readonly ProposedCommission[];

export interface CommissionPolicy {
  levels: number;
  defaultRule: CommissionRule;
  capBps: number;
}

/** Rate precedence (D5): product rule > category rule > the earner's grade > shop default. */
function rateFor(line: CommissionLineInput, earner: Earner, policy: CommissionPolicy): { mode: 'bps' | 'fixed'; rate: number } | null {
  for (const rule of [line.productRule, line.categoryRule, earner.gradeRule, policy.defaultRule]) {
    const rate = rule?.levels[earner.level - 1];
    if (rule && rate !== undefined) return { mode: rule.mode, rate };
  }
  return null;
}

/** The most one line may pay in total: the cap applied to its base, floored. */
export const lineCap = (base: number, capBps: number) => Math.floor((base * capBps) / 10_000);

/**
 * Commission of one sale. Percentages are floored per line (the remainder stays with the
 * merchant); fixed amounts are per unit, times quantity. A line never pays more than the cap of
 * its base: fixed amounts that would pass it are cut from the deepest level up.
 */
export function proposeCommissions(lines: readonly CommissionLineInput[], earners: readonly Earner[], policy: CommissionPolicy): ProposedCommission[] {
  const out: ProposedCommission[] = [];
  for (const line of lines) {
    const forLine: ProposedCommission[] = [];
    for (const earner of earners) {
      if (earner.level > policy.levels) continue;
      const r = rateFor(line, earner, policy);
      if (!r) continue;
      const amount = r.mode === 'bps' ? Math.floor((line.paidAmount * r.rate) / 10_000) : r.rate * line.quantity;
      forLine.push({ lineId: line.lineId, distributorId: earner.distributorId, level: earner.level, base: line.paidAmount, rateMode: r.mode, rate: r.rate, amount });
    }
    clampToCap(forLine, lineCap(line.paidAmount, policy.capBps));
    out.push(...forLine);
  }
  return out;
}

function clampToCap(lines: ProposedCommission[], cap: number) {
  let excess = lines.reduce((a, l) => a + l.amount, 0) - cap;
  for (const l of [...lines].sort((a, b) => b.level - a.level)) {
    if (excess <= 0) break;
    const cut = Math.min(l.amount, excess);
    l.amount -= cut;
    excess -= cut;
  }
}

/**
 * Runs the adjusters in order. An adjuster that throws, invents an earner or a line, raises a
 * base, goes negative or breaks a line's cap is ignored for this sale (the sale still pays the
 * commission proposed before it) — a plugin bug never makes money wrong.
 */
export function adjustCommissions(proposed: ProposedCommission[], adjusters: readonly CommissionAdjuster[], capBps: number, onRejected: (index: number, why: string) => void = () => {}): ProposedCommission[] {
  let current = proposed;
  adjusters.forEach((adjust, index) => {
    let verdict: ProposedCommission[] | string;
    try {
      // Checking runs inside the guard too: whatever the plugin returned (nulls, getters that
      // throw, proxies) must not take the sale down with it.
      const checked = checkCommissionAdjustment(current, adjust(current.map((l) => ({ ...l }))), capBps);
      verdict = checked.ok ? checked.lines : checked.reason;
    } catch (e) {
      verdict = `threw: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (typeof verdict === 'string') onRejected(index, verdict);
    else current = verdict;
  });
  return current;
}
