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
 * the event; the event row's trigger runs the same settling statements for every event, which
 * move points from where the recorded facts stand to where they should be. Every posting is
 * guarded by the order's own state and unique in the ledger, and all of it is one batch: a
 * replayed event, or events in another order, end in the same rows.
 */

/**
 * Records the event's facts, then the event itself, in one batch: all of it or none. The event
 * row's trigger (`plg_points_events_settle`, migration 2) runs the settling statements in the
 * same batch, under the settings given here. A replayed event inserts no row, so it settles
 * nothing again (its first delivery did); no read first to spot one: the common, first delivery
 * is one batch.
 */
async function apply(ctx: PluginContext<PointsSettings>, event: PluginEvent, orderId: string, facts: readonly PluginStatement[]): Promise<void> {
  await ctx.db.batch([
    ...facts,
    bind(`INSERT INTO plg_points_events (event_id, type, order_id, received_at, rate, mode)
      SELECT :e, :t, :o, :now, :rate, :mode WHERE NOT EXISTS (SELECT 1 FROM plg_points_events WHERE event_id = :e)`,
    { e: event.id, t: event.type, o: orderId, now: ctx.now(), rate: ctx.settings.earnPointsPerYuan, mode: ctx.settings.earnOn }),
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
