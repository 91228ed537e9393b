import type { PluginDb, StateContext } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import type { UsableCoupon } from './coupon-terms';
import { int, text } from './rows';
import type { CouponSettings } from './settings';
import { termColumns, termsOf } from './template-rows';

/**
 * What the buyer may pick at checkout: a coupon of theirs, or explicitly none (`null`). No choice
 * at all lets the plugin pick the best coupon when the shop's `autoPickBest` is on.
 */
export const couponChoice = v.object({ memberCouponId: v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(64))) });
export type CouponChoice = v.InferOutput<typeof couponChoice>;

/** Why a chosen coupon is not among the usable ones. */
export type ChosenProblem = 'missing' | 'locked' | 'used' | 'expired';

/** What loadState hands to pricing and willPlaceOrder: plain data, frozen by the platform. */
export interface CouponState {
  /** The member's coupons still available (not used, not held, not expired at load time). */
  coupons: readonly UsableCoupon[];
  /** The coupon the buyer chose, when it is not in `coupons`: why not. */
  chosen: { id: string; problem: ChosenProblem } | null;
}

export const emptyState: CouponState = { coupons: [], chosen: null };

/** Most coupons loaded per cart evaluation, soonest-expiring first. */
export const maxLoadedCoupons = 200;

const couponColumns = `mc.id, mc.template_id, mc.valid_from, mc.expires_at, t.name, ${termColumns('t')}`;
const fromCoupons = 'FROM plg_coupons_member_coupons mc JOIN plg_coupons_templates t ON t.id = mc.template_id';

function usableOf(row: Parameters<typeof termsOf>[0]): UsableCoupon {
  return { id: text(row, 'id'), templateId: text(row, 'template_id'), name: text(row, 'name'), terms: termsOf(row), validFrom: int(row, 'valid_from'), expiresAt: int(row, 'expires_at') };
}

/** A member's coupons still available at `now`, soonest-expiring first. */
export async function readUsableCoupons(db: PluginDb, memberId: string, now: number): Promise<UsableCoupon[]> {
  const found = await db.execute(
    `SELECT ${couponColumns} ${fromCoupons} WHERE mc.member_id = ? AND mc.status = 'available' AND mc.expires_at > ? ORDER BY mc.expires_at, mc.id LIMIT ?`,
    [memberId, now, maxLoadedCoupons],
  );
  return found.rows.map(usableOf);
}

/** The member's usable coupons (read-only; the platform gives loadState a SELECT-only database). */
export async function loadCouponState(ctx: StateContext<CouponSettings, CouponChoice>): Promise<CouponState> {
  if (!ctx.member) return emptyState;
  const memberId = ctx.member.id;
  const coupons = await readUsableCoupons(ctx.db, memberId, ctx.now);
  const chosenId = ctx.choice?.memberCouponId ?? null;
  if (chosenId === null || coupons.some((c) => c.id === chosenId)) return { coupons, chosen: null };

  // Chosen but not loaded: past the first page, or no longer usable — say which.
  const r = await ctx.db.execute(`SELECT mc.status, ${couponColumns} ${fromCoupons} WHERE mc.id = ? AND mc.member_id = ?`, [chosenId, memberId]);
  const row = r.rows[0];
  if (!row) return { coupons, chosen: { id: chosenId, problem: 'missing' } };
  const status = text(row, 'status');
  if (status === 'available' && int(row, 'expires_at') > ctx.now) return { coupons: [...coupons, usableOf(row)], chosen: null };
  const problem: ChosenProblem = status === 'used' ? 'used' : status === 'locked' ? 'locked' : 'expired';
  return { coupons, chosen: { id: chosenId, problem } };
}
