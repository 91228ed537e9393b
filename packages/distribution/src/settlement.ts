import type { Client } from '@libsql/client';
import { isUniqueViolation } from '@tuike/core';
import { settlementStatements } from './ledger';
import { lastClosedPeriod } from './periods';
import type { DistributionContext } from './order-hooks';

/**
 * The settlement job (D8), run by the scheduler as often as it likes: when the latest closed
 * week or month (shop time) has no run yet, it settles it in one batch; otherwise nothing.
 */
export async function settleClosedPeriod(db: Client, ctx: DistributionContext, now: number): Promise<{ period: string; ran: boolean }> {
  const period = lastClosedPeriod(now, ctx.timeZone, ctx.settings.settlement.period);
  const done = await db.execute({ sql: `SELECT 1 FROM settlement_runs WHERE period = ?`, args: [period.key] });
  if (done.rows.length) return { period: period.key, ran: false };
  try {
    await db.batch(settlementStatements(period, now), 'write');
    return { period: period.key, ran: true };
  } catch (e) {
    if (isUniqueViolation(e, 'settlement_runs.period')) return { period: period.key, ran: false };
    throw e;
  }
}
