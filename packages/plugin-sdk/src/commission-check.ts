import type { ProposedCommission } from './hooks';

export type CommissionAdjustmentCheck = { ok: true; lines: ProposedCommission[] } | { ok: false; reason: string };

/**
 * The rules a commission adjuster's output must keep, the same the distribution package applies
 * (`adjustCommissions` there): no invented or altered earner, line or base, no line twice, whole
 * non-negative amounts, and — when the shop's cap is given — no line paying over it. Only amounts
 * can change: the lines are rebuilt from the proposal, so nothing else a plugin returned is kept.
 * Never throws, whatever the output holds (getters that throw, proxies).
 */
export function checkCommissionAdjustment(before: readonly ProposedCommission[], after: unknown, capBps?: number): CommissionAdjustmentCheck {
  try {
    return check(before, after, capBps);
  } catch (e) {
    return { ok: false, reason: `unreadable output: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function check(before: readonly ProposedCommission[], after: unknown, capBps: number | undefined): CommissionAdjustmentCheck {
  const fail = (reason: string): CommissionAdjustmentCheck => ({ ok: false, reason });
  if (!Array.isArray(after)) return fail('did not return a list');
  const known = new Map(before.map((l) => [`${l.lineId}|${l.level}`, l]));
  const seen = new Set<string>();
  const perLine = new Map<string, number>();
  const lines: ProposedCommission[] = [];
  for (const item of after as unknown[]) {
    if (typeof item !== 'object' || item === null) return fail('returned something that is not a commission line');
    const l = item as Partial<ProposedCommission>;
    const key = `${String(l.lineId)}|${String(l.level)}`;
    const was = known.get(key);
    if (!was || was.distributorId !== l.distributorId || was.base !== l.base) return fail(`unknown or altered line ${key}`);
    if (seen.has(key)) return fail(`line ${key} twice`);
    seen.add(key);
    const amount = l.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) return fail(`amount of ${key} is not a non-negative integer`);
    perLine.set(was.lineId, (perLine.get(was.lineId) ?? 0) + amount);
    lines.push({ ...was, amount });
  }
  if (capBps !== undefined) {
    for (const [lineId, total] of perLine) {
      const base = before.find((l) => l.lineId === lineId)!.base;
      if (total > Math.floor((base * capBps) / 10_000)) return fail(`line ${lineId} pays over the cap`);
    }
  }
  return { ok: true, lines };
}
