import type { CartLine } from '@tuike/plugin-sdk';

/**
 * What a coupon gives and where, and the pure arithmetic the pricing hook, the interceptor and
 * the "usable for this cart" route share. Money is integer fen; the percent rate is the share
 * taken off in basis points: 8.5折 (pay 85 %) is `percentOffBps: 1500`, allowed 100–9900
 * (1 %–99 % off, i.e. 9.9折 to 0.1折).
 */

/**
 * Text in both languages. The SDK's `Localized` has the same shape but is an interface, which
 * TypeScript will not take as a `JsonValue` in a route body; this alias fits both places.
 */
export type Bilingual = { zh: string; en: string };

export const couponKinds = ['fixed', 'percent', 'threshold'] as const;
export type CouponKind = (typeof couponKinds)[number];

export const scopeTypes = ['all', 'categories', 'products'] as const;
export type ScopeType = (typeof scopeTypes)[number];

export type CouponTerms = {
  kind: CouponKind;
  /** Fen off; `fixed` and `threshold` only. */
  amountOff: number | null;
  /** Share off in basis points; `percent` only. */
  percentOffBps: number | null;
  /** Most a percent coupon takes off, in fen; null: no cap. */
  maxDiscount: number | null;
  /** Minimum spend on the eligible lines, in fen; 0: none (无门槛). Required (> 0) for `threshold`. */
  threshold: number;
  scope: ScopeType;
  /** Category or product ids; empty for `all`. */
  scopeIds: readonly string[];
};

/** A claimed coupon the member may still use, as loadState hands it to the synchronous hooks. */
export type UsableCoupon = {
  /** The member coupon id: the `ref` of its pricing operations and what the buyer chooses. */
  id: string;
  templateId: string;
  name: string;
  terms: CouponTerms;
  validFrom: number;
  /** Exclusive: usable while `now < expiresAt`. */
  expiresAt: number;
};

/** Why a coupon does not apply to a cart right now. */
export type CouponMiss = 'not-started' | 'expired' | 'out-of-scope' | 'below-threshold';

export interface EligibleLine {
  lineId: string;
  total: number;
}

export type CouponFit =
  | { ok: true; discount: number; eligible: readonly EligibleLine[]; eligibleTotal: number; wholeCart: boolean }
  | { ok: false; miss: CouponMiss };

/** ⌊a × b / c⌋ exactly, also past 2^53. */
export function floorMulDiv(a: number, b: number, c: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) return Math.floor(product / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

export function inScope(terms: Pick<CouponTerms, 'scope' | 'scopeIds'>, line: Pick<CartLine, 'productId' | 'categoryId'>): boolean {
  switch (terms.scope) {
    case 'all':
      return true;
    case 'categories':
      return line.categoryId !== null && terms.scopeIds.includes(line.categoryId);
    case 'products':
      return terms.scopeIds.includes(line.productId);
  }
}

/** What the terms take off an eligible subtotal (before the threshold test). */
export function discountOn(terms: CouponTerms, eligibleTotal: number): number {
  if (terms.kind === 'percent') {
    // Rounded down: the buyer never gets a fen more than the rate gives.
    const off = floorMulDiv(eligibleTotal, terms.percentOffBps ?? 0, 10_000);
    return Math.min(off, terms.maxDiscount ?? off);
  }
  return Math.min(terms.amountOff ?? 0, eligibleTotal);
}

/**
 * Whether and how much a coupon takes off these lines at `now`. The threshold is measured on the
 * lines the coupon covers, not the whole cart; the discount never exceeds what they cost.
 */
export function fitCoupon(coupon: Pick<UsableCoupon, 'terms' | 'validFrom' | 'expiresAt'>, lines: readonly Readonly<CartLine>[], now: number): CouponFit {
  if (now < coupon.validFrom) return { ok: false, miss: 'not-started' };
  if (now >= coupon.expiresAt) return { ok: false, miss: 'expired' };
  const eligible = lines.filter((l) => inScope(coupon.terms, l)).map((l) => ({ lineId: l.lineId, total: l.unitPrice * l.quantity }));
  const eligibleTotal = eligible.reduce((a, l) => a + l.total, 0);
  if (eligibleTotal === 0) return { ok: false, miss: 'out-of-scope' };
  if (eligibleTotal < coupon.terms.threshold) return { ok: false, miss: 'below-threshold' };
  const discount = discountOn(coupon.terms, eligibleTotal);
  if (discount <= 0) return { ok: false, miss: 'below-threshold' };
  return { ok: true, discount, eligible, eligibleTotal, wholeCart: eligible.length === lines.length };
}

export interface BestCoupon {
  coupon: UsableCoupon;
  discount: number;
  eligible: readonly EligibleLine[];
  wholeCart: boolean;
}

/**
 * The coupon that saves the most on these lines. Ties go to the one expiring first (so the buyer
 * keeps the longer-lived one), then to the smaller id — the same cart always picks the same coupon.
 */
export function bestCoupon(coupons: readonly UsableCoupon[], lines: readonly Readonly<CartLine>[], now: number): BestCoupon | null {
  let best: BestCoupon | null = null;
  for (const coupon of coupons) {
    const fit = fitCoupon(coupon, lines, now);
    if (!fit.ok) continue;
    const better = !best
      || fit.discount > best.discount
      || (fit.discount === best.discount && (coupon.expiresAt < best.coupon.expiresAt || (coupon.expiresAt === best.coupon.expiresAt && coupon.id < best.coupon.id)));
    if (better) best = { coupon, discount: fit.discount, eligible: fit.eligible, wholeCart: fit.wholeCart };
  }
  return best;
}

/**
 * Splits `amount` over `totals` in proportion, exact to the fen: each part gets the floor of its
 * share, then the fen left go one each to the largest fractional remainders (ties: the larger
 * total, then the earlier position). No part exceeds its total when `amount` ≤ their sum.
 */
export function spreadExact(amount: number, totals: readonly number[]): number[] {
  const sum = totals.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > sum) throw new RangeError(`cannot spread ${amount} over ${sum}`);
  if (amount === 0) return totals.map(() => 0);
  const shares = totals.map((t) => floorMulDiv(amount, t, sum));
  // Remainder of amount × t / sum, compared as integers (both below sum).
  const remainders = totals.map((t, i) => (Number.isSafeInteger(amount * t) ? amount * t - shares[i]! * sum : Number(BigInt(amount) * BigInt(t) - BigInt(shares[i]!) * BigInt(sum))));
  let left = amount - shares.reduce((a, b) => a + b, 0);
  const order = totals.map((t, i) => i).sort((a, b) => remainders[b]! - remainders[a]! || totals[b]! - totals[a]! || a - b);
  for (const i of order) {
    if (left === 0) break;
    if (shares[i]! < totals[i]!) { shares[i] = shares[i]! + 1; left -= 1; }
  }
  return shares;
}

/** An integer scaled by 10^places as a decimal without trailing zeros: (1250, 2) → "12.5". */
function decimal(n: number, places: number): string {
  const scale = 10 ** places;
  const whole = Math.floor(n / scale);
  const frac = String(n % scale).padStart(places, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** 12000 → "120", 1250 → "12.5", 1205 → "12.05". */
export const yuan = (fen: number) => decimal(fen, 2);
/** The 折 a buyer pays: 1500 bps off → "8.5". */
const zhe = (percentOffBps: number) => decimal(10_000 - percentOffBps, 3);
/** 1500 bps → "15". */
const percentText = (percentOffBps: number) => decimal(percentOffBps, 2);

/** The coupon's terms in a few words, both languages: "满100减20" / "¥20 off orders over ¥100". */
export function describeTerms(terms: CouponTerms): Bilingual {
  if (terms.kind === 'percent') {
    const bps = terms.percentOffBps ?? 0;
    const zh = `${terms.threshold > 0 ? `满${yuan(terms.threshold)}享` : ''}${zhe(bps)}折${terms.maxDiscount === null ? '' : `，最高减${yuan(terms.maxDiscount)}`}`;
    const en = `${percentText(bps)}% off${terms.threshold > 0 ? ` over ¥${yuan(terms.threshold)}` : ''}${terms.maxDiscount === null ? '' : `, up to ¥${yuan(terms.maxDiscount)}`}`;
    return { zh, en };
  }
  const off = terms.amountOff ?? 0;
  if (terms.threshold > 0) return { zh: `满${yuan(terms.threshold)}减${yuan(off)}`, en: `¥${yuan(off)} off orders over ¥${yuan(terms.threshold)}` };
  return { zh: `无门槛减${yuan(off)}`, en: `¥${yuan(off)} off` };
}

/** The label beside the discount in cart and order (the SDK allows 60 characters a language). */
export function operationLabel(terms: CouponTerms): Bilingual {
  const d = describeTerms(terms);
  const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
  return { zh: clip(`优惠券 ${d.zh}`), en: clip(`Coupon: ${d.en}`) };
}
