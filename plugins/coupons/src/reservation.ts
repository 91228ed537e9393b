import type { Reservation, ReservedStatement, ReserveContext } from '@tuike/plugin-sdk';
import type { CouponChoice, CouponState } from './coupon-state';
import { messageOf } from './errors';
import { couponRefs, placedFactsStatement } from './order-events';
import type { CouponSettings } from './settings';

/**
 * reserveOrder: the coupon the order was priced with is locked in the order's own write batch.
 *
 * Pricing and willPlaceOrder read the coupon before the order exists, so two orders placed at
 * the same moment could both be priced with it. Here each applied coupon gets a write guarded on
 * its being still this member's, available and unexpired, expected to change exactly one row:
 * the first order's batch takes it, the second finds nothing to change and is refused whole
 * (its stock and other holds roll back with it). The placement facts go in the same batch, so
 * the order.placed event that follows finds everything already recorded.
 *
 * Pure: it only returns statements; `ctx.now` is the placement's time.
 */
export function couponReservation(ctx: ReserveContext<CouponSettings, CouponState, CouponChoice>): Reservation | null {
  const refs = couponRefs(ctx.priced.applied);
  if (refs.length === 0) return null;
  // A discount given is a discount held: without a member the guard matches no row and refuses.
  const member = ctx.member?.id ?? null;
  const statements: ReservedStatement[] = refs.map((ref) => ({
    sql: `UPDATE plg_coupons_member_coupons SET status = 'locked', order_id = :orderId, locked_at = :now
      WHERE id = :ref AND member_id = :member AND status = 'available' AND expires_at > :now`,
    args: { orderId: ctx.orderId, now: ctx.now, ref, member },
    expect: 1,
  }));
  if (member !== null) {
    const facts = placedFactsStatement({
      orderId: ctx.orderId,
      memberId: member,
      applied: ctx.priced.applied,
      payTotal: ctx.priced.payTotal,
      itemsPaid: ctx.lines.reduce((s, l) => s + l.paidAmount, 0),
      placedAt: ctx.now,
    });
    if (facts) statements.push(facts);
  }
  return { statements, refusal: { code: 'COUPON_IN_USE', message: messageOf('COUPON_IN_USE') } };
}
