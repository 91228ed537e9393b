import type { EventHandlers, PluginContext, PluginEvent, PluginStatement } from '@tuike/plugin-sdk';
import { newId } from './ids';
import type { CouponSettings } from './settings';

/**
 * The order events move a coupon through its life:
 *   order.placed    → locked by the order (the coupon ref comes in the event's `applied`)
 *   order.paid      → used, with one redemption row
 *   order.cancelled → a locked coupon is given back
 *   order.refunded  → once the order is fully refunded, a used (or still locked) coupon is given back
 * Given back means `available` again until its own expiry (`expired` if that has passed).
 * A platform with reserveOrder locks the coupon and records the placement inside the order's own
 * batch (reservation.ts); order.placed then finds both done and only logs its receipt.
 *
 * Delivery is at least once and, with retries, in any order. So each handler first records what
 * its event says about the order (`plg_coupons_orders`, `plg_coupons_refunds`, each fact written
 * once), then runs the same settling statements, which move the coupon to where the recorded
 * facts put it — every one a write guarded on the coupon's current status. All of it is one
 * batch: a replayed event, or events in another order, end in the same rows.
 */
type Args = Record<string, string | number | null>;
const stmt = (sql: string, args: Args): PluginStatement => ({ sql, args });

const orderIsLive = 'o.cancelled_at IS NULL AND o.refunded_full_at IS NULL';
const givenBackStatus = `CASE WHEN expires_at <= :now THEN 'expired' ELSE 'available' END`;

/** Brings the coupon of order `o` to the state its recorded facts call for. */
function settleOrder(o: string, now: number, redemptionId: string): PluginStatement[] {
  return [
    // Fully refunded: refunds add up to what was paid (or to every line's paid amount).
    stmt(`UPDATE plg_coupons_orders SET refunded_full_at = :now
      WHERE order_id = :o AND refunded_full_at IS NULL AND (
        (pay_total > 0 AND (SELECT coalesce(sum(amount), 0) FROM plg_coupons_refunds WHERE order_id = :o) >= pay_total)
        OR (items_paid > 0 AND (SELECT coalesce(sum(items_amount), 0) FROM plg_coupons_refunds WHERE order_id = :o) >= items_paid))`, { o, now }),
    // Lock: only an available coupon of the order's own member, for a placed order still live.
    stmt(`UPDATE plg_coupons_member_coupons SET status = 'locked', order_id = :o, locked_at = :now
      WHERE status = 'available' AND id = (SELECT o.member_coupon_id FROM plg_coupons_orders o
        WHERE o.order_id = :o AND o.placed_at IS NOT NULL AND ${orderIsLive} AND o.member_id = plg_coupons_member_coupons.member_id)`, { o, now }),
    // The order was priced with a coupon it could not hold (used or held by another order at the same time).
    stmt(`UPDATE plg_coupons_orders SET conflict_at = :now
      WHERE order_id = :o AND conflict_at IS NULL AND member_coupon_id IS NOT NULL AND placed_at IS NOT NULL
        AND cancelled_at IS NULL AND refunded_full_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM plg_coupons_member_coupons mc WHERE mc.id = plg_coupons_orders.member_coupon_id AND mc.order_id = :o)`, { o, now }),
    // Paid: the coupon this order holds is used …
    stmt(`UPDATE plg_coupons_member_coupons SET status = 'used', used_at = (SELECT o.paid_at FROM plg_coupons_orders o WHERE o.order_id = :o)
      WHERE order_id = :o AND status = 'locked'
        AND EXISTS (SELECT 1 FROM plg_coupons_orders o WHERE o.order_id = :o AND o.paid_at IS NOT NULL AND ${orderIsLive})`, { o }),
    // … with exactly one redemption (UNIQUE per order and coupon, and one live per coupon).
    stmt(`INSERT INTO plg_coupons_redemptions (id, member_coupon_id, template_id, member_id, order_id, amount, paid_event_id, redeemed_at)
      SELECT :rid, mc.id, mc.template_id, mc.member_id, mc.order_id, coalesce(o.discount, 0), o.paid_event_id, o.paid_at
      FROM plg_coupons_member_coupons mc JOIN plg_coupons_orders o ON o.order_id = mc.order_id
      WHERE mc.order_id = :o AND mc.status = 'used' AND o.member_coupon_id = mc.id
      ON CONFLICT DO NOTHING`, { o, rid: redemptionId }),
    // Cancelled (or refunded before its payment was recorded): a held coupon goes back.
    stmt(`UPDATE plg_coupons_member_coupons SET status = ${givenBackStatus}, order_id = NULL, locked_at = NULL
      WHERE order_id = :o AND status = 'locked'
        AND EXISTS (SELECT 1 FROM plg_coupons_orders o WHERE o.order_id = :o AND (o.cancelled_at IS NOT NULL OR o.refunded_full_at IS NOT NULL))`, { o, now }),
    // Fully refunded: a used coupon goes back, and its redemption is marked returned.
    stmt(`UPDATE plg_coupons_member_coupons SET status = ${givenBackStatus}, order_id = NULL, locked_at = NULL, used_at = NULL
      WHERE order_id = :o AND status = 'used'
        AND EXISTS (SELECT 1 FROM plg_coupons_orders o WHERE o.order_id = :o AND o.refunded_full_at IS NOT NULL)`, { o, now }),
    stmt(`UPDATE plg_coupons_redemptions SET returned_at = (SELECT o.refunded_full_at FROM plg_coupons_orders o WHERE o.order_id = :o)
      WHERE order_id = :o AND returned_at IS NULL
        AND EXISTS (SELECT 1 FROM plg_coupons_orders o WHERE o.order_id = :o AND o.refunded_full_at IS NOT NULL)`, { o }),
  ];
}
/** Index of the conflict statement in settleOrder's output, to log what it found. */
const conflictStep = 2;

function logEvent(event: PluginEvent, orderId: string, now: number): PluginStatement {
  return stmt(`INSERT INTO plg_coupons_events (event_id, type, order_id, received_at) VALUES (:e, :t, :o, :now)
    ON CONFLICT (event_id) DO NOTHING`, { e: event.id, t: event.type, o: orderId, now });
}

async function apply(ctx: PluginContext<CouponSettings>, event: PluginEvent, orderId: string, facts: readonly PluginStatement[]): Promise<void> {
  const now = ctx.now();
  const results = await ctx.db.batch([logEvent(event, orderId, now), ...facts, ...settleOrder(orderId, now, newId(now))]);
  if (results[1 + facts.length + conflictStep]?.rowsAffected) {
    ctx.log.warn('order placed with a coupon it could not hold (used or held by another order)', { orderId, eventId: event.id });
  }
}

/**
 * Paid, cancelled and refunded events only matter for orders of members who ever claimed a coupon
 * (an order cannot use a coupon its member never had): the rest cost one read and no write.
 */
async function concernsCoupons(ctx: PluginContext<CouponSettings>, orderId: string, memberId: string): Promise<boolean> {
  const r = await ctx.db.execute(
    `SELECT EXISTS (SELECT 1 FROM plg_coupons_orders WHERE order_id = ?) OR EXISTS (SELECT 1 FROM plg_coupons_member_coupons WHERE member_id = ?) AS relevant`,
    [orderId, memberId],
  );
  return Number(r.rows[0]?.relevant ?? 0) === 1;
}

/** What an order placed with a coupon records about itself; the reservation and order.placed write the same. */
export interface PlacedFacts {
  orderId: string;
  memberId: string;
  applied: readonly Readonly<{ amount: number; ref?: string }>[];
  payTotal: number;
  itemsPaid: number;
  placedAt: number;
}

/** The distinct coupon refs an order applied, in order. Pricing applies one coupon per order. */
export const couponRefs = (applied: PlacedFacts['applied']): string[] => [...new Set(applied.flatMap((a) => (a.ref === undefined ? [] : [a.ref])))];

/**
 * Records the order's placement once: values already there win (coalesce), so whichever of the
 * reservation and order.placed comes second changes nothing. The first ref is the order's coupon.
 */
export function placedFactsStatement(f: PlacedFacts): PluginStatement | null {
  const ref = couponRefs(f.applied)[0];
  if (ref === undefined) return null;
  const discount = f.applied.filter((a) => a.ref === ref).reduce((s, a) => s + a.amount, 0);
  return stmt(`INSERT INTO plg_coupons_orders (order_id, member_id, member_coupon_id, discount, pay_total, items_paid, placed_at)
    VALUES (:o, :m, :c, :d, :pt, :ip, :at)
    ON CONFLICT (order_id) DO UPDATE SET
      member_coupon_id = coalesce(plg_coupons_orders.member_coupon_id, excluded.member_coupon_id),
      discount = coalesce(plg_coupons_orders.discount, excluded.discount),
      pay_total = coalesce(plg_coupons_orders.pay_total, excluded.pay_total),
      items_paid = coalesce(plg_coupons_orders.items_paid, excluded.items_paid),
      placed_at = coalesce(plg_coupons_orders.placed_at, excluded.placed_at)`,
  { o: f.orderId, m: f.memberId, c: ref, d: discount, pt: f.payTotal, ip: f.itemsPaid, at: f.placedAt });
}

export const orderEventHandlers: EventHandlers<CouponSettings> = {
  /**
   * Orders placed with a reservation (reserveOrder) already hold their coupon and have their facts
   * recorded, so this finds nothing to do; it still locks for orders placed without one.
   */
  async 'order.placed'(event, ctx) {
    const p = event.payload;
    const refs = couponRefs(p.applied);
    const facts = placedFactsStatement({ orderId: p.orderId, memberId: p.memberId, applied: p.applied, payTotal: p.payTotal, itemsPaid: p.lines.reduce((s, l) => s + l.paidAmount, 0), placedAt: event.occurredAt });
    if (!facts) return;
    // Pricing applies one coupon per order; anything else is not ours to lock.
    if (refs.length > 1) ctx.log.warn('order applied several coupon refs; locking the first', { orderId: p.orderId, refs });
    await apply(ctx, event, p.orderId, [facts]);
  },

  async 'order.paid'(event, ctx) {
    const p = event.payload;
    if (!(await concernsCoupons(ctx, p.orderId, p.memberId))) return;
    await apply(ctx, event, p.orderId, [
      stmt(`INSERT INTO plg_coupons_orders (order_id, member_id, pay_total, paid_at, paid_event_id) VALUES (:o, :m, :pt, :at, :e)
        ON CONFLICT (order_id) DO UPDATE SET
          pay_total = coalesce(plg_coupons_orders.pay_total, excluded.pay_total),
          paid_at = coalesce(plg_coupons_orders.paid_at, excluded.paid_at),
          paid_event_id = coalesce(plg_coupons_orders.paid_event_id, excluded.paid_event_id)`,
      { o: p.orderId, m: p.memberId, pt: p.payTotal, at: p.paidAt, e: event.id }),
    ]);
  },

  async 'order.cancelled'(event, ctx) {
    const p = event.payload;
    if (!(await concernsCoupons(ctx, p.orderId, p.memberId))) return;
    await apply(ctx, event, p.orderId, [
      stmt(`INSERT INTO plg_coupons_orders (order_id, member_id, cancelled_at) VALUES (:o, :m, :at)
        ON CONFLICT (order_id) DO UPDATE SET cancelled_at = coalesce(plg_coupons_orders.cancelled_at, excluded.cancelled_at)`,
      { o: p.orderId, m: p.memberId, at: event.occurredAt }),
    ]);
  },

  async 'order.refunded'(event, ctx) {
    const p = event.payload;
    if (!(await concernsCoupons(ctx, p.orderId, p.memberId))) return;
    const itemsAmount = p.lines.reduce((s, l) => s + l.amount, 0);
    await apply(ctx, event, p.orderId, [
      stmt(`INSERT INTO plg_coupons_orders (order_id, member_id) VALUES (:o, :m) ON CONFLICT (order_id) DO NOTHING`, { o: p.orderId, m: p.memberId }),
      stmt(`INSERT INTO plg_coupons_refunds (refund_id, order_id, amount, items_amount, event_id, refunded_at) VALUES (:r, :o, :a, :ia, :e, :at)
        ON CONFLICT (refund_id) DO NOTHING`,
      { r: p.refundId, o: p.orderId, a: p.amount, ia: itemsAmount, e: event.id, at: event.occurredAt }),
    ]);
  },
};
