import type { InterceptResult, PlaceOrderContext, PricingInput, PricingOperation, ReserveContext, ReserveResult, StateContext } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import { messageOf, vetoOf } from './errors';
import { offsetFor, type Offset } from './offset';
import { int } from './rows';
import type { PointsSettings } from './settings';

/**
 * The checkout side: loadState reads the balance, pricing offers one points redemption, the
 * interceptor refuses a choice that cannot be honoured, and reserveOrder deducts the points in
 * the order's own batch. All but loadState are pure.
 */

/**
 * What the buyer picks: a number of points (0 = none; the offset uses at most this many, in whole
 * blocks and within the cap) or `'max'` (as many as the balance and cap allow). Anything else —
 * negative, fractional, a string — fails the schema and reaches pricing as no choice at all.
 */
export const pointsChoice = v.object({
  usePoints: v.union([v.pipe(v.number(), v.safeInteger(), v.minValue(0)), v.literal('max')]),
});
export type PointsChoice = v.InferOutput<typeof pointsChoice>;

/** What loadState hands the synchronous hooks: the buyer's spendable balance when it was read. */
export interface PointsState {
  balance: number;
}

export async function loadPointsState(ctx: StateContext<PointsSettings, PointsChoice>): Promise<PointsState> {
  if (!ctx.member) return { balance: 0 };
  const r = await ctx.db.execute('SELECT balance FROM plg_points_accounts WHERE member_id = ?', [ctx.member.id]);
  return { balance: r.rows[0] ? int(r.rows[0], 'balance') : 0 };
}

/** Points the buyer wants to use: their choice, else everything when the shop auto-uses points. */
function wanted(choice: Readonly<PointsChoice> | null, settings: Readonly<PointsSettings>): number | 'max' {
  if (choice) return choice.usePoints;
  return settings.autoUse ? 'max' : 0;
}

type Plan = { offset: Offset } | { refused: 'POINTS_INSUFFICIENT' | 'POINTS_BELOW_MINIMUM' | 'POINTS_UNAVAILABLE' } | null;

/**
 * The one decision both pricing and willPlaceOrder read, so the price shown and the check at
 * placement cannot disagree. A number above the balance is refused rather than quietly cut: the
 * buyer asked for points they do not have (or no longer have), and should choose again.
 */
function plan(member: unknown, state: Readonly<PointsState> | undefined, choice: Readonly<PointsChoice> | null, settings: Readonly<PointsSettings>, itemsTotal: number): Plan {
  if (!member) return null;
  const want = wanted(choice, settings);
  if (want === 0) return null;
  // No state: loadState failed or timed out. Price without points; an explicit number is refused.
  if (!state) return typeof want === 'number' ? { refused: 'POINTS_UNAVAILABLE' } : null;
  if (typeof want === 'number' && want > state.balance) return { refused: 'POINTS_INSUFFICIENT' };
  const offset = offsetFor(want === 'max' ? state.balance : want, itemsTotal, settings);
  if (offset.points === 0) return null;
  if (offset.points < settings.minPointsPerUse) return typeof want === 'number' ? { refused: 'POINTS_BELOW_MINIMUM' } : null;
  return { offset };
}

export function pointsLabel(points: number): { zh: string; en: string } {
  return { zh: `积分抵扣（使用${points}积分）`, en: `Points: ${points} used` };
}

/**
 * One `points_redemption` of class `points`. The cap is measured on the items total this hook
 * sees; the platform's stacking engine then caps the amount at what other discounts left on the
 * lines (charging proportionally fewer points, rounded up) and never lets a total go below zero.
 */
export function pointsPricing(input: PricingInput<PointsSettings, PointsState, PointsChoice>): PricingOperation[] {
  const p = plan(input.member, input.state, input.choice, input.settings, input.itemsTotal);
  if (!p || !('offset' in p)) return [];
  const { points, amount } = p.offset;
  return [{ kind: 'points_redemption', points, amount, combinesWith: 'points', priority: 0, label: pointsLabel(points), ref: 'points' }];
}

/**
 * willPlaceOrder: refuses an explicit number of points the buyer does not have, or one below the
 * shop's minimum. `'max'` and auto-use never refuse — they use what there is. A redemption the
 * stacking rules left out is no reason to refuse: the buyer was shown that price.
 */
export function pointsPlaceOrderCheck(ctx: PlaceOrderContext<PointsSettings, PointsState, PointsChoice>): InterceptResult {
  const p = plan(ctx.member, ctx.state as Readonly<PointsState> | undefined, ctx.choice, ctx.settings, ctx.priced.itemsTotal);
  return p && 'refused' in p ? { veto: vetoOf(p.refused) } : undefined;
}

/**
 * reserveOrder: the points the order's price used leave the balance in the order's own batch.
 * The guarded UPDATE must change exactly one row — a balance spent meanwhile by another order
 * makes it change none, and the whole order rolls back with POINTS_INSUFFICIENT (the CHECK on
 * the balance refuses it too). The spend is posted once per order (UNIQUE kind + ref), and the
 * order's facts are recorded for the events that follow (cancel and refund give points back).
 */
export function pointsReservation(ctx: ReserveContext<PointsSettings, PointsState, PointsChoice>): ReserveResult {
  if (!ctx.member) return null;
  const used = ctx.priced.applied.filter((a) => a.kind === 'points_redemption');
  const points = used.reduce((s, a) => s + (a.points ?? 0), 0);
  if (points <= 0) return null;
  const amount = used.reduce((s, a) => s + a.amount, 0);
  const itemsPaid = ctx.lines.reduce((s, l) => s + l.paidAmount, 0);
  const m = ctx.member.id;
  const o = ctx.orderId;
  const now = ctx.now;
  return {
    statements: [
      {
        sql: `UPDATE plg_points_accounts SET balance = balance - :p, lifetime_spent = lifetime_spent + :p, updated_at = :now
          WHERE member_id = :m AND balance >= :p`,
        args: { p: points, m, now },
        expect: 1,
      },
      {
        sql: `INSERT INTO plg_points_ledger (member_id, kind, delta, debt_delta, ref, order_id, note, created_at)
          VALUES (:m, 'spend', :d, 0, :o, :o, :no, :now)`,
        args: { m, d: -points, o, no: ctx.orderNo, now },
        expect: 1,
      },
      {
        sql: `INSERT INTO plg_points_orders (order_id, member_id, order_no, items_paid, pay_total, spent_points, spent_amount, spend_posted, placed_at)
          VALUES (:o, :m, :no, :ip, :pt, :p, :a, 1, :now)`,
        args: { o, m, no: ctx.orderNo, ip: itemsPaid, pt: ctx.priced.payTotal, p: points, a: amount, now },
        expect: 1,
      },
    ],
    refusal: { code: 'POINTS_INSUFFICIENT', message: messageOf('POINTS_INSUFFICIENT') },
  };
}
