import { defaultStackingRules, stackingRules } from '@tuike/plugin-runtime';
import type { PricingOperation } from '@tuike/plugin-sdk';
import { fixtureCart, runInterceptor, runPricing, type PlaceOrderFixture } from '@tuike/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import type { CouponTerms, UsableCoupon } from './coupon-terms';
import type { CouponState } from './coupon-state';
import { coupons } from './index';

const now = Date.UTC(2026, 0, 1);
const member = { id: 'm1' };

function coupon(id: string, terms: Partial<CouponTerms>, extra: Partial<UsableCoupon> = {}): UsableCoupon {
  return {
    id,
    templateId: `t-${id}`,
    name: id,
    terms: { kind: 'threshold', amountOff: 2000, percentOffBps: null, maxDiscount: null, threshold: 10_000, scope: 'all', scopeIds: [], ...terms },
    validFrom: now - 86_400_000,
    expiresAt: now + 7 * 86_400_000,
    ...extra,
  };
}
const state = (...list: UsableCoupon[]): CouponState => ({ coupons: list, chosen: null });

const man100jian20 = coupon('c-100-20', {});
const zhe85cap50 = coupon('c-85-cap50', { kind: 'percent', amountOff: null, percentOffBps: 1500, maxDiscount: 5000, threshold: 0 });

describe('pricing: threshold, percent and fixed coupons', () => {
  it('满100减20 on a ¥120 cart: the buyer pays ¥100', () => {
    const r = runPricing(coupons, { cart: fixtureCart({ lines: [{ unitPrice: 12_000 }] }), member, state: state(man100jian20), now });
    expect(r.operations).toEqual([{ kind: 'order_discount', amount: 2000, combinesWith: 'coupon', priority: 0, ref: 'c-100-20', label: { zh: '优惠券 满100减20', en: 'Coupon: ¥20 off orders over ¥100' } }]);
    expect(r.payTotal).toBe(10_000);
    expect(r.applied.map((a) => a.ref)).toEqual(['c-100-20']);
  });

  it('below the threshold by one fen: nothing', () => {
    const r = runPricing(coupons, { cart: fixtureCart({ lines: [{ unitPrice: 9_999 }] }), member, state: state(man100jian20), now });
    expect(r.operations).toEqual([]);
    expect(r.payTotal).toBe(9_999);
  });

  it('at the threshold exactly: applies', () => {
    expect(runPricing(coupons, { cart: fixtureCart({ lines: [{ unitPrice: 10_000 }] }), member, state: state(man100jian20), now }).payTotal).toBe(8_000);
  });

  it('8.5折 up to ¥50: 15 % off, rounded down to the fen, then capped', () => {
    const price = (unitPrice: number) => runPricing(coupons, { cart: fixtureCart({ lines: [{ unitPrice }] }), member, state: state(zhe85cap50), now }).discountTotal;
    expect(price(20_000)).toBe(3_000);
    expect(price(3_333)).toBe(499); // 499.95 → 499
    expect(price(33_333)).toBe(4_999); // 4999.95 → 4999, under the cap
    expect(price(50_000)).toBe(5_000); // 7500 capped at 5000
  });

  it('a fixed coupon with no threshold takes off at most what the items cost', () => {
    const wuMenKan = coupon('c-5', { kind: 'fixed', amountOff: 500, threshold: 0 });
    expect(runPricing(coupons, { cart: fixtureCart({ lines: [{ unitPrice: 300 }] }), member, state: state(wuMenKan), now }).payTotal).toBe(0);
    expect(runPricing(coupons, { cart: fixtureCart({ lines: [{ unitPrice: 300 }], shippingFee: 800 }), member, state: state(wuMenKan), now }).payTotal).toBe(800);
  });

  it('a guest, or a member with no coupons, gets nothing', () => {
    const cart = fixtureCart({ lines: [{ unitPrice: 12_000 }] });
    expect(runPricing(coupons, { cart, member: null, state: state(man100jian20), now }).operations).toEqual([]);
    expect(runPricing(coupons, { cart, member, state: state(), now }).operations).toEqual([]);
    // loadState failed or timed out: the platform passes no state, and the cart prices without coupons.
    expect(runPricing(coupons, { cart, member, now }).operations).toEqual([]);
  });
});

describe('pricing: validity', () => {
  const cart = fixtureCart({ lines: [{ unitPrice: 12_000 }] });
  it('an expired coupon is not usable, even if the state still holds it', () => {
    const expired = coupon('c-old', {}, { expiresAt: now });
    expect(runPricing(coupons, { cart, member, state: state(expired), now }).operations).toEqual([]);
    expect(runPricing(coupons, { cart, member, state: state(expired), now: now - 1 }).operations).toHaveLength(1);
  });

  it('a coupon whose validity has not started is not usable yet', () => {
    const later = coupon('c-later', {}, { validFrom: now + 1 });
    expect(runPricing(coupons, { cart, member, state: state(later), now }).operations).toEqual([]);
  });
});

describe('pricing: scope', () => {
  // Shoes: ¥33.33 + 2 × ¥66.67 = ¥166.67; a hat: ¥50.
  const cart = fixtureCart({ lines: [
    { unitPrice: 3_333, categoryId: 'shoes' },
    { unitPrice: 6_667, quantity: 2, categoryId: 'shoes' },
    { unitPrice: 5_000, categoryId: 'hats' },
  ] });
  const shoes100jian20 = coupon('c-shoes', { scope: 'categories', scopeIds: ['shoes'] });

  it('a category coupon discounts only its lines, spread in proportion and exact to the fen', () => {
    const r = runPricing(coupons, { cart, member, state: state(shoes100jian20), now });
    // 2000 × 3333/16667 = 399.95…, 2000 × 13334/16667 = 1600.04…: floors 399 + 1600, the fen left to the larger remainder.
    expect(r.operations.map((o) => (o.kind === 'line_discount' ? [o.lineId, o.amount, o.ref] : o.kind))).toEqual([['l1', 400, 'c-shoes'], ['l2', 1600, 'c-shoes']]);
  });

  it('the engine applies all of it when the shop picks coupon operations per target', () => {
    const rules = stackingRules({ pick: { coupon: 'one-per-target' } });
    const r = runPricing(coupons, { cart, member, state: state(shoes100jian20), now, rules });
    expect(r.lines.map((l) => l.discount)).toEqual([400, 1600, 0]);
    expect(r.payTotal).toBe(3_333 + 13_334 + 5_000 - 2_000);
  });

  // The default rules pick one coupon *offer* (plugin + ref), not one operation: every line
  // discount carrying this coupon's id applies, so the buyer gets the whole ¥20.
  it('under the default rules a multi-line scoped coupon is applied whole', () => {
    const r = runPricing(coupons, { cart, member, state: state(shoes100jian20), now, rules: defaultStackingRules });
    expect(r.lines.map((l) => l.discount)).toEqual([400, 1600, 0]);
    expect(r.discountTotal).toBe(2_000);
    expect(r.unapplied).toEqual([]);
  });

  it('a scoped coupon with one eligible line is one line discount, whole under the default rules', () => {
    const hatsOnly = coupon('c-hats', { kind: 'fixed', amountOff: 800, threshold: 0, scope: 'categories', scopeIds: ['hats'] });
    const r = runPricing(coupons, { cart, member, state: state(hatsOnly), now });
    expect(r.lines.map((l) => l.discount)).toEqual([0, 0, 800]);
  });

  it('a scoped coupon covering every line is an order discount, whole under the default rules', () => {
    const shoesCart = fixtureCart({ lines: [{ unitPrice: 3_333, categoryId: 'shoes' }, { unitPrice: 6_667, quantity: 2, categoryId: 'shoes' }] });
    const r = runPricing(coupons, { cart: shoesCart, member, state: state(shoes100jian20), now });
    expect(r.operations.map((o) => o.kind)).toEqual(['order_discount']);
    expect(r.discountTotal).toBe(2_000);
  });

  it('the threshold is measured on the eligible lines only', () => {
    const small = fixtureCart({ lines: [{ unitPrice: 9_000, categoryId: 'shoes' }, { unitPrice: 50_000, categoryId: 'hats' }] });
    expect(runPricing(coupons, { cart: small, member, state: state(shoes100jian20), now }).operations).toEqual([]);
  });

  it('a product coupon matches product ids; a cart without them gets nothing', () => {
    const forP2 = coupon('c-p2', { kind: 'fixed', amountOff: 300, threshold: 0, scope: 'products', scopeIds: ['p-2'] });
    expect(runPricing(coupons, { cart, member, state: state(forP2), now }).lines.map((l) => l.discount)).toEqual([0, 300, 0]);
    const other = coupon('c-p9', { kind: 'fixed', amountOff: 300, threshold: 0, scope: 'products', scopeIds: ['p-9'] });
    expect(runPricing(coupons, { cart, member, state: state(other), now }).operations).toEqual([]);
  });
});

describe('pricing: which coupon', () => {
  const cart = fixtureCart({ lines: [{ unitPrice: 20_000 }] });
  const fiveOff = coupon('c-5', { kind: 'fixed', amountOff: 500, threshold: 0 });
  const elsewhere = coupon('c-hats', { scope: 'categories', scopeIds: ['hats'] });
  const all = state(fiveOff, man100jian20, elsewhere, zhe85cap50);

  it('picks the coupon that saves the most (¥30 off 8.5折 over ¥20 and ¥5)', () => {
    const r = runPricing(coupons, { cart, member, state: all, now });
    expect(r.applied.map((a) => [a.ref, a.amount])).toEqual([['c-85-cap50', 3_000]]);
  });

  it('on a tie, the coupon expiring first; the same input always picks the same coupon', () => {
    const a = coupon('c-a', {}, { expiresAt: now + 5 * 86_400_000 });
    const b = coupon('c-b', {}, { expiresAt: now + 2 * 86_400_000 });
    const c = coupon('c-c', {}, { expiresAt: now + 2 * 86_400_000 });
    expect(runPricing(coupons, { cart, member, state: state(a, c, b), now }).applied[0]?.ref).toBe('c-b');
    expect(runPricing(coupons, { cart, member, state: state(c, b, a), now }).applied[0]?.ref).toBe('c-b');
  });

  it('the buyer\'s choice wins over the best, and an explicit null means no coupon', () => {
    expect(runPricing(coupons, { cart, member, state: all, now, choice: { memberCouponId: 'c-100-20' } }).applied.map((a) => a.ref)).toEqual(['c-100-20']);
    expect(runPricing(coupons, { cart, member, state: all, now, choice: { memberCouponId: null } }).operations).toEqual([]);
  });

  it('a chosen coupon that does not fit is not swapped for another', () => {
    expect(runPricing(coupons, { cart, member, state: all, now, choice: { memberCouponId: 'c-hats' } }).operations).toEqual([]);
    expect(runPricing(coupons, { cart, member, state: all, now, choice: { memberCouponId: 'c-unknown' } }).operations).toEqual([]);
  });

  it('with autoPickBest off, no coupon unless the buyer chose one', () => {
    expect(runPricing(coupons, { cart, member, state: all, now, settings: { autoPickBest: false } }).operations).toEqual([]);
    expect(runPricing(coupons, { cart, member, state: all, now, settings: { autoPickBest: false }, choice: { memberCouponId: 'c-5' } }).discountTotal).toBe(500);
  });

  it('a malformed choice reaches the hook as no choice (the platform checks it against the schema)', () => {
    expect(runPricing(coupons, { cart, member, state: all, now, choice: { memberCouponId: 42 } }).applied[0]?.ref).toBe('c-85-cap50');
  });
});

describe('stacking with other offers through the engine (default rules)', () => {
  const campaign: PricingOperation = { kind: 'order_discount', amount: 1_000, label: { zh: '满减活动', en: 'Campaign' }, combinesWith: 'campaign', priority: 0 };

  it('a campaign and a coupon stack: ¥120 − ¥10 campaign − ¥20 coupon', () => {
    const r = runPricing(coupons, { cart: fixtureCart({ lines: [{ unitPrice: 12_000 }] }), member, state: state(man100jian20), now, others: { campaigns: [campaign] } });
    expect(r.classes).toEqual(['campaign', 'coupon']);
    expect(r.payTotal).toBe(9_000);
  });

  it('an exclusive offer worth more wins alone: the coupon is left out, not combinable', () => {
    const exclusive: PricingOperation = { ...campaign, amount: 5_000, combinesWith: 'exclusive' };
    const r = runPricing(coupons, { cart: fixtureCart({ lines: [{ unitPrice: 12_000 }] }), member, state: state(man100jian20), now, others: { vip: [exclusive] } });
    expect(r.classes).toEqual(['exclusive']);
    expect(r.unapplied).toContainEqual({ pluginId: 'coupons', index: 0, kind: 'order_discount', ref: 'c-100-20', reason: 'not-combinable' });
  });

  it('a flash-sale line keeps its flash price: the coupon lands on the other lines only', () => {
    const flash: PricingOperation = { kind: 'line_discount', lineId: 'l1', amount: 3_000, label: { zh: '秒杀', en: 'Flash sale' }, combinesWith: 'flash', priority: 0 };
    const r = runPricing(coupons, { cart: fixtureCart({ lines: [{ unitPrice: 6_000 }, { unitPrice: 6_000 }] }), member, state: state(man100jian20), now, others: { flash: [flash] } });
    expect(r.lines.map((l) => l.discount)).toEqual([3_000, 2_000]);
  });
});

describe('willPlaceOrder', () => {
  const cart = fixtureCart({ lines: [{ unitPrice: 12_000, categoryId: 'shoes' }] });
  const veto = (fixture: Omit<PlaceOrderFixture<CouponState>, 'cart'>) => runInterceptor(coupons, 'willPlaceOrder', { cart, member, now, ...fixture }).veto?.code ?? null;

  it('lets a usable chosen or auto-picked coupon through, and an order without coupons', () => {
    expect(veto({ state: state(man100jian20), choice: { memberCouponId: 'c-100-20' } })).toBeNull();
    expect(veto({ state: state(man100jian20) })).toBeNull();
    expect(veto({ state: state() })).toBeNull();
    expect(veto({ state: state(man100jian20), choice: { memberCouponId: null } })).toBeNull();
  });

  it('refuses a chosen coupon that was used, is held by another order, or is not the buyer\'s', () => {
    expect(veto({ state: { coupons: [], chosen: { id: 'c-x', problem: 'used' } }, choice: { memberCouponId: 'c-x' } })).toBe('COUPON_ALREADY_USED');
    expect(veto({ state: { coupons: [], chosen: { id: 'c-x', problem: 'locked' } }, choice: { memberCouponId: 'c-x' } })).toBe('COUPON_IN_USE');
    expect(veto({ state: { coupons: [], chosen: { id: 'c-x', problem: 'missing' } }, choice: { memberCouponId: 'c-x' } })).toBe('COUPON_NOT_FOUND');
    expect(veto({ state: { coupons: [], chosen: { id: 'c-x', problem: 'expired' } }, choice: { memberCouponId: 'c-x' } })).toBe('COUPON_EXPIRED');
  });

  it('refuses a chosen coupon that expired since the cart, is below its threshold, or does not cover the items', () => {
    expect(veto({ state: state(coupon('c-old', {}, { expiresAt: now })), choice: { memberCouponId: 'c-old' } })).toBe('COUPON_EXPIRED');
    expect(veto({ state: state(coupon('c-big', { threshold: 20_000 })), choice: { memberCouponId: 'c-big' } })).toBe('COUPON_THRESHOLD_NOT_MET');
    expect(veto({ state: state(coupon('c-hats', { scope: 'categories', scopeIds: ['hats'] })), choice: { memberCouponId: 'c-hats' } })).toBe('COUPON_NOT_APPLICABLE');
  });

  it('says so in both languages', () => {
    const r = runInterceptor(coupons, 'willPlaceOrder', { cart, member, now, state: { coupons: [], chosen: { id: 'c-x', problem: 'used' } }, choice: { memberCouponId: 'c-x' } });
    expect(r.veto).toEqual({ code: 'COUPON_ALREADY_USED', message: { zh: '所选优惠券已使用', en: 'The chosen coupon has already been used' } });
  });

  it('refuses an applied coupon it cannot vouch for at placement time', () => {
    const priced = { itemsTotal: 12_000, discountTotal: 2_000, shippingFee: 0, payTotal: 10_000, applied: [{ kind: 'order_discount' as const, amount: 2_000, ref: 'c-100-20' }] };
    expect(veto({ state: state(coupon('c-100-20', {}, { expiresAt: now })), priced })).toBe('COUPON_EXPIRED');
    // No state (loadState failed): a buyer who chose a coupon is told, rather than charged without it.
    expect(veto({ choice: { memberCouponId: 'c-100-20' } })).toBe('COUPON_UNAVAILABLE');
  });
});
