import type { CartLine, JsonValue, PluginContext, PluginDb, SqlRowValue } from '@tuike/plugin-sdk';
import { missCodes } from './checkout';
import { bestCoupon, describeTerms, fitCoupon, inScope } from './coupon-terms';
import { readUsableCoupons } from './coupon-state';
import type { CouponErrorCode } from './errors';
import { newId } from './ids';
import { int, intOrNull, oneOf, text, textOrNull } from './rows';
import type { CouponSettings } from './settings';
import { relativeExpiry } from './shop-time';
import { termColumns, termsOf } from './template-rows';
import { constraintFailed, couponTermsOf, readTemplate, templateColumns, templateOf, type Outcome, type Template } from './templates';

/** The buyer's side: the claim centre, claiming, their coupons, and which fit a cart. */

/** What a buyer sees of a template. */
export function publicTemplateView(t: Template, claimed: number | null, now: number): JsonValue {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    summary: describeTerms(couponTermsOf(t)),
    terms: t.terms,
    scope: t.scope,
    validity: t.validity,
    claimWindow: t.claimWindow,
    perMemberLimit: t.perMemberLimit,
    remaining: t.quantity - t.issued,
    claimed,
    canClaim: claimRefusal(t, claimed ?? 0, now) === null,
  };
}

/** Why this member cannot claim from `t` now, or null. */
export function claimRefusal(t: Template, claimedByMember: number, now: number): CouponErrorCode | null {
  if (t.status !== 'active') return 'COUPON_TEMPLATE_DISABLED';
  if (t.claimWindow.startsAt !== null && now < t.claimWindow.startsAt) return 'COUPON_CLAIM_NOT_STARTED';
  if ((t.claimWindow.endsAt !== null && now >= t.claimWindow.endsAt) || (t.validity.type === 'absolute' && now >= t.validity.endsAt)) return 'COUPON_CLAIM_ENDED';
  if (claimedByMember >= t.perMemberLimit) return 'COUPON_LIMIT_REACHED';
  if (t.issued >= t.quantity) return 'COUPON_SOLD_OUT';
  return null;
}

const claimableNow = `t.status = 'active'
  AND (t.claim_starts_at IS NULL OR t.claim_starts_at <= :now)
  AND (t.claim_ends_at IS NULL OR :now < t.claim_ends_at)
  AND (t.validity = 'relative' OR :now < t.valid_until)`;

/**
 * Templates a buyer can claim now, newest first; with a member, how many they hold of each. A
 * product page narrows it to the coupons covering one product (and its category).
 */
export async function claimCentre(db: PluginDb, memberId: string | null, now: number, covering: { productId: string; categoryId: string | null } | null): Promise<JsonValue[]> {
  const r = await db.execute(
    `SELECT ${templateColumns('t')}, (SELECT count(*) FROM plg_coupons_member_coupons mc WHERE mc.template_id = t.id AND mc.member_id = :m) AS claimed
     FROM plg_coupons_templates t WHERE ${claimableNow} AND t.issued < t.quantity
     ORDER BY t.created_at DESC, t.id DESC LIMIT 100`,
    { m: memberId ?? '', now },
  );
  return r.rows
    .map((row) => ({ t: templateOf(row), claimed: int(row, 'claimed') }))
    .filter(({ t }) => covering === null || inScope(couponTermsOf(t), covering))
    .map(({ t, claimed }) => publicTemplateView(t, memberId === null ? null : claimed, now));
}

/** How many coupons of a template a member has claimed (whatever became of them). */
export async function claimedBy(db: PluginDb, templateId: string, memberId: string): Promise<number> {
  const r = await db.execute('SELECT count(*) AS n FROM plg_coupons_member_coupons WHERE template_id = ? AND member_id = ?', [templateId, memberId]);
  return int(r.rows[0]!, 'n');
}

/**
 * Claims one coupon. The rules live in the database, not in this function's reads: the INSERT
 * numbers the member's claim (UNIQUE with the member's earlier claims, CHECK ≤ the limit) and its
 * trigger counts it on the template (CHECK issued ≤ quantity), all in one statement — so under any
 * concurrency exactly `limit` claims of a member and `quantity` claims in all succeed, and a
 * refused claim changes nothing.
 */
export async function claimCoupon(ctx: PluginContext<CouponSettings>, templateId: string, memberId: string): Promise<Outcome<JsonValue>> {
  const now = ctx.now();
  const t = await readTemplate(ctx.db, templateId);
  if (!t) return { ok: false, code: 'COUPON_TEMPLATE_NOT_FOUND' };
  const early = claimRefusal(t, await claimedBy(ctx.db, templateId, memberId), now);
  if (early) return { ok: false, code: early };

  const days = t.validity.type === 'relative' ? t.validity.days : null;
  const id = newId(now);
  let inserted = 0;
  try {
    const r = await ctx.db.execute(
      `INSERT INTO plg_coupons_member_coupons (id, template_id, member_id, claim_seq, claim_limit, status, valid_from, expires_at, claimed_at)
       SELECT :id, t.id, :m,
         (SELECT count(*) FROM plg_coupons_member_coupons c WHERE c.template_id = t.id AND c.member_id = :m) + 1,
         t.per_member_limit, 'available',
         CASE t.validity WHEN 'absolute' THEN t.valid_from ELSE :now END,
         CASE t.validity WHEN 'absolute' THEN t.valid_until ELSE :expires END,
         :now
       FROM plg_coupons_templates t
       WHERE t.id = :t AND ${claimableNow} AND t.validity = :validity AND t.valid_days IS :days`,
      { id, m: memberId, t: templateId, now, expires: days === null ? null : relativeExpiry(now, days, ctx.shop.timeZone), validity: t.validity.type, days },
    );
    inserted = r.rowsAffected;
  } catch (e) {
    if (!constraintFailed(e)) throw e;
  }
  if (inserted === 1) {
    const coupon = await memberCoupon(ctx.db, memberId, id, now);
    if (!coupon) throw new Error('a coupon just claimed cannot be read back');
    return { ok: true, value: coupon };
  }
  // Refused by the database: read again to say why.
  const again = await readTemplate(ctx.db, templateId);
  if (!again) return { ok: false, code: 'COUPON_TEMPLATE_NOT_FOUND' };
  return { ok: false, code: claimRefusal(again, await claimedBy(ctx.db, templateId, memberId), now) ?? 'COUPON_TEMPLATE_CHANGED' };
}

export const memberStatuses = ['available', 'locked', 'used', 'expired'] as const;
export type MemberStatus = (typeof memberStatuses)[number];

/** `available` past its expiry reads as `expired`; nothing sweeps the rows. */
const effectiveStatus = `CASE WHEN mc.status = 'available' AND mc.expires_at <= :now THEN 'expired' ELSE mc.status END`;

const memberCouponSelect = `SELECT mc.id, mc.template_id, ${effectiveStatus} AS effective_status, mc.valid_from, mc.expires_at,
    mc.claimed_at, mc.used_at, mc.order_id, t.name, ${termColumns('t')}
  FROM plg_coupons_member_coupons mc JOIN plg_coupons_templates t ON t.id = mc.template_id`;

type Row = Readonly<Record<string, SqlRowValue>>;

function memberCouponView(row: Row): JsonValue {
  const terms = termsOf(row);
  return {
    id: text(row, 'id'),
    templateId: text(row, 'template_id'),
    name: text(row, 'name'),
    summary: describeTerms(terms),
    terms,
    status: oneOf(row, 'effective_status', memberStatuses),
    validFrom: int(row, 'valid_from'),
    expiresAt: int(row, 'expires_at'),
    claimedAt: int(row, 'claimed_at'),
    usedAt: intOrNull(row, 'used_at'),
    orderId: textOrNull(row, 'order_id'),
  };
}

async function memberCoupon(db: PluginDb, memberId: string, id: string, now: number): Promise<JsonValue | null> {
  const r = await db.execute(`${memberCouponSelect} WHERE mc.id = :id AND mc.member_id = :m`, { id, m: memberId, now });
  return r.rows[0] ? memberCouponView(r.rows[0]) : null;
}

const byStatus: Record<MemberStatus, { where: string; order: string }> = {
  available: { where: "mc.status = 'available' AND mc.expires_at > :now", order: 'mc.expires_at ASC, mc.id' },
  locked: { where: "mc.status = 'locked'", order: 'mc.locked_at DESC, mc.id' },
  used: { where: "mc.status = 'used'", order: 'mc.used_at DESC, mc.id' },
  expired: { where: "(mc.status = 'expired' OR (mc.status = 'available' AND mc.expires_at <= :now))", order: 'mc.expires_at DESC, mc.id' },
};

/** A member's coupons in one status (newest 100), and how many they have in each. */
export async function myCoupons(db: PluginDb, memberId: string, status: MemberStatus, now: number): Promise<{ coupons: JsonValue[]; counts: Record<MemberStatus, number> }> {
  const f = byStatus[status];
  const [list, tally] = await Promise.all([
    db.execute(`${memberCouponSelect} WHERE mc.member_id = :m AND ${f.where} ORDER BY ${f.order} LIMIT 100`, { m: memberId, now }),
    db.execute(`SELECT ${effectiveStatus} AS s, count(*) AS n FROM plg_coupons_member_coupons mc WHERE mc.member_id = :m GROUP BY s`, { m: memberId, now }),
  ]);
  const counts: Record<MemberStatus, number> = { available: 0, locked: 0, used: 0, expired: 0 };
  for (const row of tally.rows) counts[oneOf(row, 's', memberStatuses)] = int(row, 'n');
  return { coupons: list.rows.map(memberCouponView), counts };
}

/**
 * The member's coupons against a cart, for the checkout picker: each with what it would take off
 * (or why it does not fit), usable ones first, and the one pricing would pick by itself. The same
 * arithmetic as the pricing hook; what is charged is always the platform's resolved price.
 */
export async function couponsForCart(db: PluginDb, memberId: string, lines: readonly CartLine[], now: number): Promise<JsonValue> {
  const coupons = await readUsableCoupons(db, memberId, now);
  const rated = coupons.map((c) => {
    const fit = fitCoupon(c, lines, now);
    return { c, discount: fit.ok ? fit.discount : 0, problem: fit.ok ? null : missCodes[fit.miss] };
  });
  rated.sort((a, b) => b.discount - a.discount || a.c.expiresAt - b.c.expiresAt || (a.c.id < b.c.id ? -1 : 1));
  return {
    bestId: bestCoupon(coupons, lines, now)?.coupon.id ?? null,
    coupons: rated.map(({ c, discount, problem }) => ({
      id: c.id, templateId: c.templateId, name: c.name, summary: describeTerms(c.terms), terms: c.terms,
      validFrom: c.validFrom, expiresAt: c.expiresAt, usable: problem === null, discount, problem,
    })),
  };
}

/** For the admin order page: the coupon an order used, if any. */
export async function orderCoupon(db: PluginDb, orderId: string): Promise<JsonValue> {
  const r = await db.execute(
    `SELECT o.order_id, o.member_id, o.member_coupon_id, o.discount, o.conflict_at, o.cancelled_at, o.refunded_full_at,
       mc.status, mc.template_id, t.name, r.redeemed_at, r.returned_at
     FROM plg_coupons_orders o
     LEFT JOIN plg_coupons_member_coupons mc ON mc.id = o.member_coupon_id
     LEFT JOIN plg_coupons_templates t ON t.id = mc.template_id
     LEFT JOIN plg_coupons_redemptions r ON r.order_id = o.order_id AND r.member_coupon_id = o.member_coupon_id
     WHERE o.order_id = ? AND o.member_coupon_id IS NOT NULL`,
    [orderId],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    orderId: text(row, 'order_id'),
    memberId: text(row, 'member_id'),
    memberCouponId: text(row, 'member_coupon_id'),
    templateId: textOrNull(row, 'template_id'),
    name: textOrNull(row, 'name'),
    discount: intOrNull(row, 'discount'),
    couponStatus: textOrNull(row, 'status'),
    redeemedAt: intOrNull(row, 'redeemed_at'),
    returnedAt: intOrNull(row, 'returned_at'),
    conflictAt: intOrNull(row, 'conflict_at'),
  };
}
