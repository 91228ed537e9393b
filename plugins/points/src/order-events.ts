import type { EventHandlers, PluginContext, PluginEvent, PluginStatement, SqlValue } from '@tuike/plugin-sdk';
import type { PointsSettings } from './settings';
import { bind } from './statements';

/**
 * The order events move points:
 *   order.placed     → only for an order that used points: if its reservation did not deduct
 *                      them (the platform skipped it), they are deducted now — what the balance
 *                      cannot cover becomes debt
 *   order.paid       → the order's items paid are recorded (the base of earning), and earned now
 *                      (`earnOn = paid`) or promised as pending (`earnOn = completed`)
 *   order.completed  → pending points become spendable
 *   order.cancelled  → spent points come back, once; pending points are dropped
 *   order.refunded   → spent points come back and earned points are taken back, in proportion to
 *                      what the refunds add up to (floored, cumulative, so a full refund returns
 *                      exactly all). A take-back the balance cannot cover is recorded as debt,
 *                      which future earnings pay first: the balance never goes below zero.
 *
 * Delivery is at least once and, with retries, in any order. So each handler records what its
 * event says about the order (`plg_points_orders`, `plg_points_refunds`, each fact once), then
 * runs the same settling statements, which move points from where the recorded facts stand to
 * where they should be. Every posting is guarded by the order's own state and unique in the
 * ledger, and all of it is one batch: a replayed event, or events in another order, end in the
 * same rows.
 */

/** Settings and identity the settling statements read. */
interface SettleValues extends Record<string, SqlValue> {
  o: string;
  e: string;
  now: number;
  rate: number;
  mode: 'paid' | 'completed';
}

const orderRow = (column: string) => `(SELECT o.${column} FROM plg_points_orders o WHERE o.order_id = :o)`;
const dueRow = (expr: string) => `(SELECT ${expr} FROM plg_points_order_due d WHERE d.order_id = :o)`;
const ledgerColumns = 'member_id, kind, delta, debt_delta, ref, order_id, event_id, note, created_at';

/**
 * Points the order earns on what was paid for its items, floored by integer division. The rate is
 * cast because a client may bind a JavaScript number as REAL, which would make the division exact.
 */
const earnOf = (p: string) => `(${p}items_paid * CAST(:rate AS INTEGER) / 100)`;

/** A spend the reservation did not post (the platform skipped the hook). */
const spendDue = (p: string) => `${p}spent_points > 0 AND ${p}spend_posted = 0 AND ${p}cancelled_at IS NULL`;
/** Paid, not completed, in `completed` mode: promised, not spendable yet. */
const pendingDue = (p: string) => `${p}earn_status = 'none' AND ${p}items_paid IS NOT NULL AND ${p}paid_at IS NOT NULL
  AND ${p}completed_at IS NULL AND ${p}cancelled_at IS NULL AND :mode = 'completed'`;
/** Completed (or paid, in `paid` mode) and not yet earned. */
const earnDue = (p: string) => `${p}earn_status IN ('none', 'pending') AND ${p}items_paid IS NOT NULL AND ${p}cancelled_at IS NULL
  AND (${p}completed_at IS NOT NULL OR (:mode = 'paid' AND ${p}paid_at IS NOT NULL))`;
/** What becomes spendable on earning: the points less what refunds already took back while pending. */
const availOf = (p: string) => `(coalesce(${p}earn_points, ${earnOf(p)}) - ${p}earn_back)`;

function settle(values: SettleValues): PluginStatement[] {
  const s = (sql: string) => bind(sql, values);
  const avail = `(SELECT ${availOf('o.')} FROM plg_points_orders o WHERE o.order_id = :o)`;
  const spent = orderRow('spent_points');
  const take = dueRow('d.back_target - d.earn_back');
  const give = dueRow('d.return_target - d.spend_returned');
  const memberWhere = (cond: string) => `member_id = (SELECT o.member_id FROM plg_points_orders o WHERE o.order_id = :o AND ${cond})`;
  const dueMemberWhere = (cond: string) => `member_id = (SELECT d.member_id FROM plg_points_order_due d WHERE d.order_id = :o AND ${cond})`;
  const takeBack = (status: 'pending' | 'earned') => `d.earn_status = '${status}' AND d.back_target > d.earn_back`;
  return [
    s(`INSERT INTO plg_points_accounts (member_id, updated_at) SELECT o.member_id, :now FROM plg_points_orders o WHERE o.order_id = :o
      ON CONFLICT (member_id) DO NOTHING`),

    // A spend the reservation missed: take what the balance has, the rest becomes debt.
    s(`INSERT INTO plg_points_ledger (${ledgerColumns})
      SELECT o.member_id, 'spend', -min(o.spent_points, a.balance), o.spent_points - min(o.spent_points, a.balance), o.order_id, o.order_id, :e, o.order_no, :now
      FROM plg_points_orders o JOIN plg_points_accounts a ON a.member_id = o.member_id
      WHERE o.order_id = :o AND ${spendDue('o.')}`),
    s(`UPDATE plg_points_accounts SET debt = debt + ${spent} - min(balance, ${spent}), balance = balance - min(balance, ${spent}),
        lifetime_spent = lifetime_spent + ${spent}, updated_at = :now
      WHERE ${memberWhere(spendDue('o.'))}`),
    s(`UPDATE plg_points_orders SET spend_posted = 1 WHERE order_id = :o AND ${spendDue('')}`),

    // Paid in `completed` mode: promised as pending.
    s(`UPDATE plg_points_accounts SET pending = pending + (SELECT ${earnOf('o.')} FROM plg_points_orders o WHERE o.order_id = :o), updated_at = :now
      WHERE ${memberWhere(pendingDue('o.'))}`),
    s(`UPDATE plg_points_orders SET earn_status = 'pending', earn_points = ${earnOf('')} WHERE order_id = :o AND ${pendingDue('')}`),

    // Earned: spendable now, paying any debt first.
    s(`INSERT INTO plg_points_ledger (${ledgerColumns})
      SELECT o.member_id, 'earn', ${availOf('o.')} - min(${availOf('o.')}, a.debt), -min(${availOf('o.')}, a.debt), o.order_id, o.order_id, :e, o.order_no, :now
      FROM plg_points_orders o JOIN plg_points_accounts a ON a.member_id = o.member_id
      WHERE o.order_id = :o AND ${earnDue('o.')} AND ${availOf('o.')} > 0`),
    s(`UPDATE plg_points_accounts SET balance = balance + ${avail} - min(${avail}, debt), debt = debt - min(${avail}, debt),
        pending = pending - (SELECT CASE WHEN o.earn_status = 'pending' THEN ${availOf('o.')} ELSE 0 END FROM plg_points_orders o WHERE o.order_id = :o),
        lifetime_earned = lifetime_earned + ${avail}, updated_at = :now
      WHERE ${memberWhere(earnDue('o.'))}`),
    s(`UPDATE plg_points_orders SET earn_status = 'earned', earn_points = coalesce(earn_points, ${earnOf('')}), earned_at = :now
      WHERE order_id = :o AND ${earnDue('')}`),

    // Refunded (or cancelled) after the promise: pending shrinks, or earned points are taken back.
    s(`UPDATE plg_points_accounts SET pending = pending - ${take}, updated_at = :now WHERE ${dueMemberWhere(takeBack('pending'))}`),
    s(`INSERT INTO plg_points_ledger (${ledgerColumns})
      SELECT d.member_id, 'refund_earn', -min(d.back_target - d.earn_back, a.balance), (d.back_target - d.earn_back) - min(d.back_target - d.earn_back, a.balance),
        d.order_id || ':earn-back:' || d.back_target, d.order_id, :e, d.order_no, :now
      FROM plg_points_order_due d JOIN plg_points_accounts a ON a.member_id = d.member_id
      WHERE d.order_id = :o AND ${takeBack('earned')}`),
    s(`UPDATE plg_points_accounts SET debt = debt + ${take} - min(${take}, balance), balance = balance - min(${take}, balance),
        lifetime_earned = lifetime_earned - ${take}, updated_at = :now
      WHERE ${dueMemberWhere(takeBack('earned'))}`),
    s(`UPDATE plg_points_orders SET earn_back = ${dueRow('d.back_target')}
      WHERE order_id = :o AND earn_status IN ('pending', 'earned') AND ${dueRow('d.back_target')} > earn_back`),

    // Cancelled or refunded: spent points come back, never more than were spent.
    s(`INSERT INTO plg_points_ledger (${ledgerColumns})
      SELECT d.member_id, 'refund_spend', d.return_target - d.spend_returned, 0, d.order_id || ':returned:' || d.return_target, d.order_id, :e, d.order_no, :now
      FROM plg_points_order_due d WHERE d.order_id = :o AND d.return_target > d.spend_returned`),
    s(`UPDATE plg_points_accounts SET balance = balance + ${give}, lifetime_spent = lifetime_spent - ${give}, updated_at = :now
      WHERE ${dueMemberWhere('d.return_target > d.spend_returned')}`),
    s(`UPDATE plg_points_orders SET spend_returned = ${dueRow('d.return_target')}
      WHERE order_id = :o AND ${dueRow('d.return_target')} > spend_returned`),
  ];
}

/**
 * Records the event, its facts and the settlement in one batch: all of it or none. A replayed
 * event runs it again and changes nothing (the facts keep their first values, every posting is
 * guarded and unique), so no read first to spot one: the common, first delivery is one batch.
 */
async function apply(ctx: PluginContext<PointsSettings>, event: PluginEvent, orderId: string, facts: readonly PluginStatement[]): Promise<void> {
  const now = ctx.now();
  const values: SettleValues = { o: orderId, e: event.id, now, rate: ctx.settings.earnPointsPerYuan, mode: ctx.settings.earnOn };
  await ctx.db.batch([
    bind(`INSERT INTO plg_points_events (event_id, type, order_id, received_at) VALUES (:e, :t, :o, :now) ON CONFLICT (event_id) DO NOTHING`, { ...values, t: event.type }),
    ...facts,
    ...settle(values),
  ]);
}

/** The order row, created by whichever event comes first; `set` fills what this event knows. */
function recordOrder(orderId: string, memberId: string, set: Readonly<Record<string, SqlValue>>, merge: string): PluginStatement {
  const columns = Object.keys(set);
  return bind(
    `INSERT INTO plg_points_orders (order_id, member_id${columns.map((c) => `, ${c}`).join('')}) VALUES (:o, :m${columns.map((c) => `, :${c}`).join('')})
      ON CONFLICT (order_id) DO UPDATE SET ${merge}`,
    { o: orderId, m: memberId, ...set },
  );
}
const keepFirst = (...columns: string[]) => columns.map((c) => `${c} = coalesce(plg_points_orders.${c}, excluded.${c})`).join(', ');

export const orderEventHandlers: EventHandlers<PointsSettings> = {
  async 'order.placed'(event, ctx) {
    const p = event.payload;
    const used = p.applied.filter((a) => a.kind === 'points_redemption');
    // Without points used there is nothing to deduct; order.paid brings what earning needs.
    if (used.length === 0) return;
    await apply(ctx, event, p.orderId, [
      recordOrder(p.orderId, p.memberId, {
        order_no: p.orderNo,
        items_paid: p.lines.reduce((s, l) => s + l.paidAmount, 0),
        pay_total: p.payTotal,
        spent_points: used.reduce((s, a) => s + (a.points ?? 0), 0),
        spent_amount: used.reduce((s, a) => s + a.amount, 0),
        placed_at: event.occurredAt,
      }, `${keepFirst('order_no', 'items_paid', 'pay_total', 'placed_at')},
        spent_points = CASE WHEN plg_points_orders.spend_posted = 1 THEN plg_points_orders.spent_points ELSE excluded.spent_points END,
        spent_amount = CASE WHEN plg_points_orders.spend_posted = 1 THEN plg_points_orders.spent_amount ELSE excluded.spent_amount END`),
    ]);
  },

  async 'order.paid'(event, ctx) {
    const p = event.payload;
    await apply(ctx, event, p.orderId, [
      recordOrder(p.orderId, p.memberId, { order_no: p.orderNo, items_paid: p.itemsPaid, pay_total: p.payTotal, paid_at: p.paidAt }, keepFirst('order_no', 'items_paid', 'pay_total', 'paid_at')),
    ]);
  },

  async 'order.completed'(event, ctx) {
    const p = event.payload;
    await apply(ctx, event, p.orderId, [
      recordOrder(p.orderId, p.memberId, { order_no: p.orderNo, items_paid: p.itemsPaid, pay_total: p.payTotal, completed_at: p.completedAt }, keepFirst('order_no', 'items_paid', 'pay_total', 'completed_at')),
    ]);
  },

  async 'order.cancelled'(event, ctx) {
    const p = event.payload;
    await apply(ctx, event, p.orderId, [
      recordOrder(p.orderId, p.memberId, { order_no: p.orderNo, cancelled_at: event.occurredAt }, keepFirst('order_no', 'cancelled_at')),
    ]);
  },

  async 'order.refunded'(event, ctx) {
    const p = event.payload;
    await apply(ctx, event, p.orderId, [
      recordOrder(p.orderId, p.memberId, { order_no: p.orderNo }, keepFirst('order_no')),
      bind(`INSERT INTO plg_points_refunds (refund_id, order_id, amount, items_amount, event_id, refunded_at) VALUES (:r, :o, :a, :ia, :e, :at)
        ON CONFLICT (refund_id) DO NOTHING`,
      { r: p.refundId, o: p.orderId, a: p.amount, ia: p.lines.reduce((s, l) => s + l.amount, 0), e: event.id, at: event.occurredAt }),
    ]);
  },
};
