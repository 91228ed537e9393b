import type { InStatement } from '@libsql/client';
import { newId } from '@tuike/core';
import { whilePluginsEnabled } from '@tuike/db-tenant';
import type { ProposedCommission } from './commission-rules';

/*
 * The commission ledger (D7) as statements that ride in the batch of the order event that moves
 * the money — placement, payment, completion, refund, settlement — so money moves exactly when
 * its event commits. Every movement is first written as wallet entries under one batch id and
 * then exactly those entries are added to the wallets: wallet = Σ entries by construction, and
 * the wallets' CHECKs refuse any batch that would overdraw.
 */

/** Adds the entries of one batch to their wallets. */
export function applyEntries(batchId: string, now: number): InStatement {
  const sum = (col: string) => `${col} = ${col} + coalesce((SELECT sum(e.${col}) FROM wallet_entries e WHERE e.batch_id = ?1 AND e.distributor_id = wallets.distributor_id), 0)`;
  return {
    sql: `UPDATE wallets SET ${['pending', 'frozen', 'available', 'reserved', 'withdrawn', 'debt'].map(sum).join(', ')}, updated_at = ?2
          WHERE distributor_id IN (SELECT distributor_id FROM wallet_entries WHERE batch_id = ?1)`,
    args: [batchId, now],
  };
}

/** Commission lines written with the order, outside every wallet until it is paid. */
export function placedCommissionStatements(orderId: string, lines: readonly ProposedCommission[], now: number): InStatement[] {
  return lines.map((l) => ({
    sql: `INSERT INTO commissions (id, order_id, order_line_id, distributor_id, level, base, rate_mode, rate, amount, status, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'awaiting_payment', ?, ?)`,
    args: [newId(), orderId, l.lineId, l.distributorId, l.level, l.base, l.rateMode, l.rate, l.amount, now, now],
  }));
}

/** Upgrades (never downgrades) the named distributors to the best grade whose conditions hold. */
export function upgradeGrades(whereMember: string, args: (string | number)[]): InStatement {
  const holds = `(CASE g.match WHEN 'all' THEN
      (g.min_sales IS NULL OR d.own_sales + d.team_sales >= g.min_sales) AND (g.min_team IS NULL OR d.direct_count + d.team_l2_count + d.team_l3_count >= g.min_team) AND (g.min_direct IS NULL OR d.direct_count >= g.min_direct)
    ELSE
      (g.min_sales IS NOT NULL AND d.own_sales + d.team_sales >= g.min_sales) OR (g.min_team IS NOT NULL AND d.direct_count + d.team_l2_count + d.team_l3_count >= g.min_team) OR (g.min_direct IS NOT NULL AND d.direct_count >= g.min_direct)
    END) AND coalesce(g.min_sales, g.min_team, g.min_direct) IS NOT NULL`;
  const best = `(SELECT g.%s FROM distributor_grades g, distributors d WHERE d.member_id = distributors.member_id AND g.rank > distributors.grade_rank AND ${holds} ORDER BY g.rank DESC LIMIT 1)`;
  return {
    sql: `UPDATE distributors SET grade_id = coalesce(${best.replace('%s', 'id')}, grade_id), grade_rank = coalesce(${best.replace('%s', 'rank')}, grade_rank)
          WHERE +status = 'active' AND member_id IN (${whereMember})`,
    args,
  };
}

const ORDER_OF_INTENT = '(SELECT order_id FROM payment_intents WHERE id = ?)';

/**
 * At payment: the order's commission enters the earners' pending balance; own and team sales,
 * the leaderboard buckets of this week and month, and grades move in the same batch.
 */
export function paidCommissionStatements(intentId: string, now: number, periods: { week: string; month: string }): InStatement[] {
  const batchId = newId();
  // Unary + keeps the planner on the order's index rather than a status index spanning the shop.
  const awaiting = `FROM commissions c WHERE c.order_id = ${ORDER_OF_INTENT} AND +c.status = 'awaiting_payment'`;
  return [
    { sql: `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, pending, created_at)
            SELECT ?1 || ':' || c.distributor_id, ?1, c.distributor_id, 'commission.paid', c.order_id, sum(c.amount), ?2 ${awaiting.replace('?', '?3')} GROUP BY c.distributor_id`, args: [batchId, now, intentId] },
    applyEntries(batchId, now),
    { sql: `UPDATE distributors SET
              own_sales = own_sales + coalesce((SELECT sum(c.base) ${awaiting.replace('?', '?1')} AND c.level = 1 AND c.distributor_id = distributors.member_id), 0),
              own_orders = own_orders + EXISTS (SELECT 1 ${awaiting.replace('?', '?1')} AND c.level = 1 AND c.distributor_id = distributors.member_id),
              team_sales = team_sales + coalesce((SELECT sum(c.base) ${awaiting.replace('?', '?1')} AND c.level > 1 AND c.distributor_id = distributors.member_id), 0),
              updated_at = ?2
            WHERE member_id IN (SELECT c.distributor_id ${awaiting.replace('?', '?1')})`, args: [intentId, now] },
    { sql: `INSERT INTO sales_board (period, distributor_id, amount)
            SELECT p.period, c.distributor_id, sum(c.base)
            FROM commissions c CROSS JOIN (SELECT 'all' AS period UNION ALL SELECT ?2 UNION ALL SELECT ?3) p
            WHERE c.order_id = ${ORDER_OF_INTENT.replace('?', '?1')} AND +c.status = 'awaiting_payment' AND c.level = 1
            GROUP BY p.period, c.distributor_id
            ON CONFLICT (period, distributor_id) DO UPDATE SET amount = amount + excluded.amount`, args: [intentId, periods.week, periods.month] },
    upgradeGrades(`SELECT c.distributor_id ${awaiting.replace('?', '?1')}`, [intentId]),
    { sql: `INSERT INTO notifications (id, recipient_kind, recipient_id, type, title, body, ref, created_at)
            SELECT ?2 || ':' || c.distributor_id, 'member', c.distributor_id, 'commission.pending', '新的佣金',
                   '订单 ' || o.order_no || ' 为你带来佣金 ¥' || printf('%.2f', sum(c.amount) / 100.0) || '，订单完成并过冻结期后可提现', c.order_id, ?3
            FROM commissions c JOIN orders o ON o.id = c.order_id
            WHERE c.order_id = ${ORDER_OF_INTENT.replace('?', '?1')} AND +c.status = 'awaiting_payment' AND c.amount > 0 GROUP BY c.distributor_id`, args: [intentId, batchId, now] },
    { sql: `UPDATE commissions SET status = 'pending', paid_week = ?2, paid_month = ?3, updated_at = ?4 WHERE order_id = ${ORDER_OF_INTENT.replace('?', '?1')} AND +status = 'awaiting_payment'`, args: [intentId, periods.week, periods.month, now] },
  ];
}

/** An unpaid order closed or cancelled: its commission never was. */
export function releasedCommissionStatements(orderId: string, now: number): InStatement[] {
  return [{ sql: `UPDATE commissions SET status = 'cancelled', updated_at = ? WHERE order_id = ? AND +status = 'awaiting_payment'`, args: [now, orderId] }];
}

/**
 * Orders completed at `now` (advanceDueOrders stamps completed_at = now in the same batch):
 * their commission moves from pending to frozen until the freeze ends.
 */
export function completedCommissionStatements(now: number, freezeMs: number): InStatement[] {
  const batchId = newId();
  const due = `FROM commissions c WHERE +c.status = 'pending' AND c.order_id IN (SELECT id FROM orders WHERE completed_at = ?2 AND +status = 'completed')`;
  return [
    { sql: `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, pending, frozen, created_at)
            SELECT ?1 || ':' || c.distributor_id, ?1, c.distributor_id, 'commission.frozen', ?1, -sum(c.amount - c.reversed), sum(c.amount - c.reversed), ?2 ${due} GROUP BY c.distributor_id`, args: [batchId, now] },
    applyEntries(batchId, now),
    { sql: `UPDATE commissions SET status = 'frozen', settle_after = ?1 + ?3, updated_at = ?1 WHERE +status = 'pending' AND order_id IN (SELECT id FROM orders WHERE completed_at = ?2 AND +status = 'completed')`, args: [now, now, freezeMs] },
  ];
}

/** What a commission keeps after its line's refunds: its share of what is still paid, floored. */
const kept = (c: string) => `(CASE WHEN l.paid_amount = 0 THEN 0 ELSE ${c}.amount * (l.paid_amount - l.refunded_amount) / l.paid_amount END)`;
const EARNING = `+status IN ('pending', 'frozen', 'settled')`;

/**
 * After a refund updated its order lines' refunded amounts (same batch, earlier): each commission
 * of the order shrinks to its share of what is still paid. Pending and frozen money shrinks in
 * place; settled money comes out of the available balance, and what was already withdrawn
 * becomes debt. Sales counters and leaderboard buckets lose the refunded amounts.
 */
export function refundedCommissionStatements(orderId: string, lines: readonly { lineId: string; amount: number }[], now: number): InStatement[] {
  const batchId = newId();
  const delta = `(c.amount - c.reversed) - ${kept('c')}`;
  const sumIf = (status: string) => `sum(CASE WHEN c.status = '${status}' THEN ${delta} ELSE 0 END)`;
  const statements: InStatement[] = [
    { sql: `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, pending, frozen, available, debt, created_at)
            SELECT ?1 || ':' || x.distributor_id, ?1, x.distributor_id, 'commission.reversed', ?3, -x.p, -x.f, -min(w.available, x.s), x.s - min(w.available, x.s), ?2
            FROM (SELECT c.distributor_id, ${sumIf('pending')} AS p, ${sumIf('frozen')} AS f, ${sumIf('settled')} AS s
                  FROM commissions c JOIN order_lines l ON l.id = c.order_line_id
                  WHERE c.order_id = ?3 AND +c.status IN ('pending', 'frozen', 'settled') GROUP BY c.distributor_id) x
            JOIN wallets w ON w.distributor_id = x.distributor_id
            WHERE x.p + x.f + x.s > 0`, args: [batchId, now, orderId] },
    applyEntries(batchId, now),
    { sql: `UPDATE commissions SET reversed = amount - (SELECT ${kept('commissions')} FROM order_lines l WHERE l.id = commissions.order_line_id), updated_at = ?
            WHERE order_id = ? AND ${EARNING}`, args: [now, orderId] },
  ];
  for (const line of lines) {
    const earner = (cmp: string) => `SELECT distributor_id FROM commissions WHERE order_line_id = ? AND level ${cmp} AND ${EARNING}`;
    const paidIn = (col: string) => `(SELECT ${col} FROM commissions WHERE order_line_id = ?2 AND level = 1)`;
    statements.push(
      { sql: `UPDATE distributors SET own_sales = max(own_sales - ?, 0), updated_at = ? WHERE member_id IN (${earner('= 1')})`, args: [line.amount, now, line.lineId] },
      { sql: `UPDATE distributors SET team_sales = max(team_sales - ?, 0), updated_at = ? WHERE member_id IN (${earner('> 1')})`, args: [line.amount, now, line.lineId] },
      { sql: `UPDATE sales_board SET amount = max(amount - ?1, 0)
              WHERE distributor_id IN (${earner('= 1').replace('?', '?2')}) AND period IN ('all', ${paidIn('paid_week')}, ${paidIn('paid_month')})`, args: [line.amount, line.lineId] },
    );
  }
  return statements;
}

/**
 * A settlement run (D8) for a closed period: every frozen commission whose freeze ended by the
 * period's end settles. Settled money pays the distributor's debt first, the rest becomes
 * available. The run's row (primary key = period) makes a second run of the period fail whole.
 */
export function settlementStatements(period: { key: string; end: number }, now: number): InStatement[] {
  const batchId = newId();
  const due = `FROM commissions WHERE status = 'frozen' AND settle_after <= ?`;
  const perDistributor = `(SELECT distributor_id, count(*) AS n, sum(amount - reversed) AS s ${due} GROUP BY distributor_id)`;
  return [
    { sql: `INSERT INTO settlement_runs (period, period_end, distributors, amount, ran_at)
            SELECT ?1, ?2, count(DISTINCT distributor_id), coalesce(sum(amount - reversed), 0), ?3 ${due.replace('?', '?2')}`, args: [period.key, period.end, now] },
    { sql: `INSERT INTO settlement_statements (period, distributor_id, commissions, amount, debt_paid, created_at)
            SELECT ?1, x.distributor_id, x.n, x.s, min(w.debt, x.s), ?3 FROM ${perDistributor.replace('?', '?2')} x JOIN wallets w ON w.distributor_id = x.distributor_id`, args: [period.key, period.end, now] },
    { sql: `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, frozen, available, debt, created_at)
            SELECT ?1 || ':' || x.distributor_id, ?1, x.distributor_id, 'commission.settled', ?2, -x.s, x.s - min(w.debt, x.s), -min(w.debt, x.s), ?4
            FROM ${perDistributor.replace('?', '?3')} x JOIN wallets w ON w.distributor_id = x.distributor_id WHERE x.s > 0`, args: [batchId, period.key, period.end, now] },
    applyEntries(batchId, now),
    // One commission.settled per commission that settles with money in it, for plugins (only while one is enabled).
    { sql: `INSERT INTO outbox_events (id, type, payload, created_at)
            SELECT lower(hex(randomblob(16))), 'commission.settled', json_object('distributorId', distributor_id, 'orderId', order_id, 'amount', amount - reversed), ?1
            ${due.replace('?', '?2')} AND amount - reversed > 0 AND ${whilePluginsEnabled} ORDER BY settle_after, id`, args: [now, period.end] },
    { sql: `UPDATE commissions SET status = 'settled', settled_at = ?1, settlement_period = ?2, updated_at = ?1 WHERE status = 'frozen' AND settle_after <= ?3`, args: [now, period.key, period.end] },
  ];
}
