import type { EventPayloads, PricedSummary } from '@tuike/plugin-sdk';
import { fixtureCart, pricedSummary, runPricing, runReservation } from '@tuike/plugin-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsableCoupon } from './coupon-terms';
import type { CouponState } from './coupon-state';
import { couponErrors } from './errors';
import { coupons } from './index';
import { claim, createTemplate, day, line, openTestShop, type TestShop } from './test-shop';

const inUse = { code: 'COUPON_IN_USE', message: { zh: couponErrors.COUPON_IN_USE.zh, en: couponErrors.COUPON_IN_USE.en } };

describe('reserveOrder: what it returns (pure)', () => {
  const now = Date.UTC(2026, 0, 1);
  const usable: UsableCoupon = {
    id: 'c-100-20', templateId: 't1', name: '满100减20',
    terms: { kind: 'threshold', amountOff: 2000, percentOffBps: null, maxDiscount: null, threshold: 10_000, scope: 'all', scopeIds: [] },
    validFrom: now - day, expiresAt: now + 7 * day,
  };
  const state: CouponState = { coupons: [usable], chosen: null };
  const cart = fixtureCart({ lines: [{ unitPrice: 8_000 }, { unitPrice: 4_000 }], shippingFee: 1_000 });

  it('a priced coupon: one lock guarded on the coupon being the member\'s, available and unexpired, expecting one row; then the placement facts', () => {
    const r = runReservation(coupons, { cart, member: { id: 'm1' }, state, now, orderId: 'o1' });
    expect(r?.statements).toHaveLength(2);
    const [lock, facts] = r!.statements;
    expect(lock).toMatchObject({ expect: 1, args: { orderId: 'o1', now, ref: 'c-100-20', member: 'm1' } });
    expect(lock!.sql.replace(/\s+/g, ' ')).toBe("UPDATE plg_coupons_member_coupons SET status = 'locked', order_id = :orderId, locked_at = :now WHERE id = :ref AND member_id = :member AND status = 'available' AND expires_at > :now");
    expect(facts!.expect).toBeUndefined();
    expect(facts!.sql).toMatch(/^INSERT INTO plg_coupons_orders /);
    // ¥120 − ¥20 + ¥10 shipping; the lines' paid amounts exclude shipping.
    expect(facts!.args).toEqual({ o: 'o1', m: 'm1', c: 'c-100-20', d: 2_000, pt: 11_000, ip: 10_000, at: now });
  });

  it('refuses with COUPON_IN_USE, in zh and en', () => {
    expect(runReservation(coupons, { cart, member: { id: 'm1' }, state, now })?.refusal).toEqual(inUse);
  });

  it('holds nothing when no coupon was applied: none chosen, none fits, no member', () => {
    expect(runReservation(coupons, { cart, member: { id: 'm1' }, state, now, choice: { memberCouponId: null } })).toBeNull();
    expect(runReservation(coupons, { cart: fixtureCart({ lines: [{ unitPrice: 9_999 }] }), member: { id: 'm1' }, state, now })).toBeNull();
    expect(runReservation(coupons, { cart, member: null, state, now })).toBeNull();
  });
});

describe('the coupon is held in the order\'s own batch', () => {
  let shop: TestShop;
  let template: string;
  beforeEach(async () => {
    shop = await openTestShop();
    template = await createTemplate(shop, { perMemberLimit: 5 });
  });
  afterEach(() => shop.close());

  const lines = [line('l1', 12_000)];
  const order = (orderId: string, memberId = 'm1') => ({ orderId, memberId, payTotal: 10_000 });

  /** What placement would reserve for this member's cart, priced from `state` (loaded now unless given). */
  async function reserve(orderId: string, o: { member?: string | null; state?: CouponState; now?: number; priced?: PricedSummary } = {}) {
    const member = o.member === undefined ? 'm1' : o.member;
    const state = o.state ?? (await shop.loadState(member, lines));
    return runReservation(coupons, { cart: { lines, shippingFee: 0 }, member: member === null ? null : { id: member }, state, now: o.now ?? shop.clock.now, orderId, ...(o.priced ? { priced: o.priced } : {}) });
  }
  /** A price that carried coupon `c` (as a cart priced earlier would have). */
  const pricedWith = (c: string): PricedSummary => ({ itemsTotal: 12_000, discountTotal: 2_000, shippingFee: 0, payTotal: 10_000, applied: [{ kind: 'order_discount', amount: 2_000, ref: c }] });
  const placed = (orderId: string, c: string, memberId = 'm1'): EventPayloads['order.placed'] => ({
    orderId, orderNo: `NO-${orderId}`, memberId, payTotal: 10_000,
    lines: [{ lineId: 'l1', skuId: 'sku-l1', productId: 'p-l1', quantity: 1, paidAmount: 10_000 }],
    applied: [{ kind: 'order_discount', amount: 2_000, ref: c }],
  });
  const paid = (orderId: string, memberId = 'm1'): EventPayloads['order.paid'] => ({ orderId, orderNo: `NO-${orderId}`, memberId, payTotal: 10_000, itemsPaid: 10_000, paidAt: shop.clock.now });
  const cancelled = (orderId: string, memberId = 'm1'): EventPayloads['order.cancelled'] => ({ orderId, orderNo: `NO-${orderId}`, memberId, reason: 'buyer' });

  async function coupon(id: string) {
    const r = await shop.client.execute({ sql: 'SELECT status, order_id, locked_at FROM plg_coupons_member_coupons WHERE id = ?', args: [id] });
    return { status: r.rows[0]?.status, orderId: r.rows[0]?.order_id, lockedAt: r.rows[0]?.locked_at };
  }
  const redemptions = () => shop.rows('plg_coupons_redemptions');
  const couponFacts = async () => ({ coupons: await shop.rows('plg_coupons_member_coupons'), orders: await shop.rows('plg_coupons_orders'), redemptions: await redemptions() });

  it('placing the order locks the coupon and records the placement, in that one batch', async () => {
    const c = await claim(shop, template, 'm1');
    const r = await reserve('o1');
    expect(await shop.placeOrder(order('o1'), r)).toEqual({ refusal: null });
    expect(await shop.placedOrderIds()).toEqual(['o1']);
    expect(await coupon(c)).toEqual({ status: 'locked', orderId: 'o1', lockedAt: shop.clock.now });
    expect(await shop.rows('plg_coupons_orders')).toMatchObject([{ order_id: 'o1', member_id: 'm1', member_coupon_id: c, discount: 2_000, pay_total: 10_000, items_paid: 10_000, placed_at: shop.clock.now, conflict_at: null }]);
    expect((await shop.loadState('m1', lines)).coupons).toEqual([]);
  });

  it('when the order\'s batch fails for another reason, the coupon is not held either', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.placeOrder(order('o1'), null);
    // The same order id again: the platform's own row fails, and the hold goes with it.
    await expect(shop.placeOrder(order('o1'), await reserve('o1'))).rejects.toThrow(/UNIQUE constraint failed: stand_in_orders/);
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null, lockedAt: null });
    expect(await shop.rows('plg_coupons_orders')).toEqual([]);
  });

  it('two orders placed at once with the same coupon: exactly one is placed, the other refused; one redemption after both are paid', async () => {
    const c = await claim(shop, template, 'm1');
    // Both priced from the same state, before either was placed.
    const state = await shop.loadState('m1', lines);
    const [rA, rB] = [await reserve('oA', { state }), await reserve('oB', { state })];
    const outcomes = await Promise.all([shop.placeOrder(order('oA'), rA), shop.placeOrder(order('oB'), rB)]);
    expect(outcomes.filter((o) => o.refusal === null)).toHaveLength(1);
    expect(outcomes.map((o) => o.refusal).filter((r) => r !== null)).toEqual([inUse]);
    const winner = outcomes[0]!.refusal === null ? 'oA' : 'oB';
    expect(await shop.placedOrderIds()).toEqual([winner]);
    expect((await coupon(c)).orderId).toBe(winner);
    expect((await shop.rows('plg_coupons_orders')).map((o) => o.order_id)).toEqual([winner]);

    // Events of both (the refused one's are strays the plugin must shrug off).
    await Promise.all([shop.deliver('order.placed', placed('oA', c)), shop.deliver('order.placed', placed('oB', c))]);
    await Promise.all([shop.deliver('order.paid', paid('oA')), shop.deliver('order.paid', paid('oB'))]);
    expect(await redemptions()).toMatchObject([{ member_coupon_id: c, order_id: winner, amount: 2_000, returned_at: null }]);
    expect((await coupon(c)).status).toBe('used');
  });

  it('many orders racing for one coupon: still exactly one holds it', async () => {
    const c = await claim(shop, template, 'm1');
    const state = await shop.loadState('m1', lines);
    const ids = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
    const reservations = await Promise.all(ids.map((id) => reserve(id, { state })));
    const outcomes = await Promise.all(ids.map((id, i) => shop.placeOrder(order(id), reservations[i]!)));
    const winners = ids.filter((_, i) => outcomes[i]!.refusal === null);
    expect(winners).toHaveLength(1);
    expect(await shop.placedOrderIds()).toEqual(winners);
    expect((await coupon(c)).orderId).toBe(winners[0]);
  });

  it('an expired coupon is refused at placement, though the cart was priced with it', async () => {
    const c = await claim(shop, template, 'm1');
    const expiresAt = Number((await shop.rows('plg_coupons_member_coupons'))[0]!.expires_at);
    const priced = pricedSummary(runPricing(coupons, { cart: { lines, shippingFee: 0 }, member: { id: 'm1' }, state: await shop.loadState('m1', lines), now: shop.clock.now }), 'coupons');
    expect(priced.applied).toHaveLength(1);
    const r = await reserve('o1', { now: expiresAt, priced });
    expect(await shop.placeOrder(order('o1'), r)).toEqual({ refusal: inUse });
    expect(await shop.placedOrderIds()).toEqual([]);
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null, lockedAt: null });
    // A moment before the expiry it is still held.
    expect(await shop.placeOrder(order('o2'), await reserve('o2', { now: expiresAt - 1, priced }))).toEqual({ refusal: null });
  });

  it('an already used coupon is refused; its redemption stays the first order\'s alone', async () => {
    const c = await claim(shop, template, 'm1');
    const stale = await shop.loadState('m1', lines);
    await shop.placeOrder(order('o1'), await reserve('o1', { state: stale }));
    await shop.deliver('order.placed', placed('o1', c));
    await shop.deliver('order.paid', paid('o1'));
    expect((await coupon(c)).status).toBe('used');
    expect(await shop.placeOrder(order('o2'), await reserve('o2', { state: stale }))).toEqual({ refusal: inUse });
    expect(await shop.placedOrderIds()).toEqual(['o1']);
    expect(await coupon(c)).toMatchObject({ status: 'used', orderId: 'o1' });
    expect((await redemptions()).map((x) => x.order_id)).toEqual(['o1']);
  });

  it('a coupon of another member is refused', async () => {
    const c = await claim(shop, template, 'm1');
    expect(await shop.placeOrder(order('o1', 'm2'), await reserve('o1', { member: 'm2', state: { coupons: [], chosen: null }, priced: pricedWith(c) }))).toEqual({ refusal: inUse });
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null, lockedAt: null });
    expect(await shop.placedOrderIds()).toEqual([]);
  });

  it('a coupon priced for a guest is refused rather than given without a hold', async () => {
    const c = await claim(shop, template, 'm1');
    const r = await reserve('o1', { member: null, state: { coupons: [], chosen: null }, priced: pricedWith(c) });
    expect(r?.statements.map((s) => s.expect)).toEqual([1]);
    expect(await shop.placeOrder(order('o1', 'guest'), r)).toEqual({ refusal: inUse });
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null, lockedAt: null });
  });

  it('order.placed after the reservation changes no coupon or order fact, only logs its receipt; a replay changes nothing at all', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.placeOrder(order('o1'), await reserve('o1'));
    const reserved = await couponFacts();
    shop.clock.now += 60_000;
    await shop.deliver('order.placed', placed('o1', c), 'e-placed');
    expect(await couponFacts()).toEqual(reserved);
    expect(await shop.rows('plg_coupons_events')).toMatchObject([{ event_id: 'e-placed', type: 'order.placed', order_id: 'o1' }]);
    const once = await shop.snapshot();
    shop.clock.now += 60_000;
    await shop.deliver('order.placed', placed('o1', c), 'e-placed');
    await shop.deliver('order.placed', placed('o1', c), 'e-placed-again');
    expect(await couponFacts()).toEqual(reserved);
    const replayed = await shop.snapshot();
    expect({ ...replayed, plg_coupons_events: [] }).toEqual({ ...once, plg_coupons_events: [] });
    expect(replayed.plg_coupons_events?.map((e) => e.event_id)).toEqual(['e-placed', 'e-placed-again']);
  });

  it('an order placed without a reservation (an older platform) is still locked by order.placed, once', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.placeOrder(order('o1'), null);
    expect((await coupon(c)).status).toBe('available');
    await shop.deliver('order.placed', placed('o1', c), 'e-placed');
    expect(await coupon(c)).toEqual({ status: 'locked', orderId: 'o1', lockedAt: shop.clock.now });
    const once = await shop.snapshot();
    await shop.deliver('order.placed', placed('o1', c), 'e-placed');
    expect(await shop.snapshot()).toEqual(once);
  });

  it('cancel gives the reserved coupon back once: a late or repeated cancel never frees the next order\'s hold', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.placeOrder(order('o1'), await reserve('o1'));
    await shop.deliver('order.cancelled', cancelled('o1'), 'e-cancel');
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null, lockedAt: null });
    // A late order.placed of the cancelled order does not take it again.
    await shop.deliver('order.placed', placed('o1', c), 'e-placed-o1');
    expect((await coupon(c)).status).toBe('available');

    shop.clock.now += 60_000;
    expect(await shop.placeOrder(order('o2'), await reserve('o2'))).toEqual({ refusal: null });
    await shop.deliver('order.cancelled', cancelled('o1'), 'e-cancel');
    await shop.deliver('order.cancelled', cancelled('o1'), 'e-cancel-again');
    expect(await coupon(c)).toEqual({ status: 'locked', orderId: 'o2', lockedAt: shop.clock.now });
    // Held by o2 now, so a third order is refused.
    expect(await shop.placeOrder(order('o3'), await reserve('o3', { priced: pricedWith(c) }))).toEqual({ refusal: inUse });

    await shop.deliver('order.paid', paid('o2'));
    expect(await redemptions()).toMatchObject([{ member_coupon_id: c, order_id: 'o2', returned_at: null }]);
  });
});
