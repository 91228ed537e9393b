import type { CartLine, InterceptResult, PlaceOrderContext, PricingInput, PricingOperation } from '@tuike/plugin-sdk';
import { bestCoupon, fitCoupon, operationLabel, spreadExact, type BestCoupon, type CouponMiss } from './coupon-terms';
import type { ChosenProblem, CouponChoice, CouponState } from './coupon-state';
import { vetoOf, type CouponErrorCode } from './errors';
import type { CouponSettings } from './settings';

/**
 * The synchronous checkout hooks: pure, no I/O, the same answer for the same input.
 *
 * pricing: one coupon at most — the one the buyer chose, or (no choice, `autoPickBest` on) the
 * one saving the most. A coupon covering every line of the cart is an order discount; one
 * covering some lines is line discounts spread over those lines in proportion, exact to the fen.
 * Every operation is class `coupon`, ref = the member coupon id (what order.placed locks).
 */
export function couponPricing(input: PricingInput<CouponSettings, CouponState, CouponChoice>): PricingOperation[] {
  if (!input.member) return [];
  // The platform passes no state when loadState failed or timed out: price without coupons.
  const coupons = input.state?.coupons ?? [];
  let pick: BestCoupon | null;
  if (input.choice) {
    const id = input.choice.memberCouponId;
    if (id === null) return [];
    const chosen = coupons.find((c) => c.id === id);
    pick = chosen ? bestCoupon([chosen], input.lines, input.now) : null;
  } else {
    if (!input.settings.autoPickBest) return [];
    pick = bestCoupon(coupons, input.lines, input.now);
  }
  return pick ? operationsFor(pick) : [];
}

function operationsFor(pick: BestCoupon): PricingOperation[] {
  const common = { label: operationLabel(pick.coupon.terms), combinesWith: 'coupon' as const, priority: 0, ref: pick.coupon.id };
  if (pick.wholeCart) return [{ kind: 'order_discount', amount: pick.discount, ...common }];
  const shares = spreadExact(pick.discount, pick.eligible.map((l) => l.total));
  return pick.eligible.flatMap((l, i) => (shares[i]! > 0 ? [{ kind: 'line_discount' as const, lineId: l.lineId, amount: shares[i]!, ...common }] : []));
}

/** The stable code for each reason a coupon does not fit a cart. */
export const missCodes: Record<CouponMiss, CouponErrorCode> = {
  'not-started': 'COUPON_NOT_STARTED',
  expired: 'COUPON_EXPIRED',
  'out-of-scope': 'COUPON_NOT_APPLICABLE',
  'below-threshold': 'COUPON_THRESHOLD_NOT_MET',
};

const chosenCodes: Record<ChosenProblem, CouponErrorCode> = {
  missing: 'COUPON_NOT_FOUND',
  used: 'COUPON_ALREADY_USED',
  locked: 'COUPON_IN_USE',
  expired: 'COUPON_EXPIRED',
};

/** Why coupon `id` cannot be used on these lines now, or null when it can. */
export function couponProblem(id: string, state: Readonly<CouponState>, lines: readonly Readonly<CartLine>[], now: number): CouponErrorCode | null {
  const coupon = state.coupons.find((c) => c.id === id);
  if (!coupon) return chosenCodes[state.chosen?.id === id ? state.chosen.problem : 'missing'];
  const fit = fitCoupon(coupon, lines, now);
  return fit.ok ? null : missCodes[fit.miss];
}

/**
 * willPlaceOrder: refuses the order when the coupon the buyer chose, or one the price applied, is
 * no longer usable (used or held elsewhere, expired, below its threshold, out of scope). A usable
 * coupon the shop's stacking rules left out is no reason to refuse: the buyer was shown that price.
 */
export function couponPlaceOrderCheck(ctx: PlaceOrderContext<CouponSettings, CouponState, CouponChoice>): InterceptResult {
  const ids = new Set<string>();
  for (const a of ctx.priced.applied) if (a.ref !== undefined) ids.add(a.ref);
  const chosen = ctx.choice?.memberCouponId ?? null;
  if (chosen !== null) ids.add(chosen);
  if (ids.size === 0) return undefined;
  const state = ctx.state as Readonly<CouponState> | undefined;
  if (!state) return vetoOf('COUPON_UNAVAILABLE');
  for (const id of ids) {
    const problem = couponProblem(id, state, ctx.lines, ctx.now);
    if (problem) return vetoOf(problem);
  }
  return undefined;
}
