import type { EventPayloads } from '@tuike/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claim, createTemplate, day, line, openTestShop, type TestShop } from './test-shop';

let shop: TestShop;
let template: string;
beforeEach(async () => {
  shop = await openTestShop();
  template = await createTemplate(shop, { perMemberLimit: 5 });
});
afterEach(() => shop.close());

function placed(orderId: string, memberId: string, couponId: string | null, discount = 2000, payTotal = 10_000): EventPayloads['order.placed'] {
  return {
    orderId, orderNo: `NO-${orderId}`, memberId, payTotal,
    lines: [{ lineId: 'l1', skuId: 's1', productId: 'p1', quantity: 1, paidAmount: payTotal }],
    applied: couponId === null ? [] : [{ kind: 'order_discount', amount: discount, ref: couponId }],
  };
}
const paid = (orderId: string, memberId: string, payTotal = 10_000): EventPayloads['order.paid'] => ({ orderId, orderNo: `NO-${orderId}`, memberId, payTotal, itemsPaid: payTotal, paidAt: shop.clock.now });
const cancelled = (orderId: string, memberId: string): EventPayloads['order.cancelled'] => ({ orderId, orderNo: `NO-${orderId}`, memberId, reason: 'buyer' });
const refunded = (orderId: string, memberId: string, refundId: string, amount: number): EventPayloads['order.refunded'] =>
  ({ orderId, orderNo: `NO-${orderId}`, memberId, refundId, amount, lines: [{ lineId: 'l1', amount }] });

async function coupon(id: string) {
  const r = await shop.client.execute({ sql: 'SELECT status, order_id FROM plg_coupons_member_coupons WHERE id = ?', args: [id] });
  return { status: r.rows[0]?.status, orderId: r.rows[0]?.order_id };
}
const redemptions = () => shop.rows('plg_coupons_redemptions');
const usableIds = async (member: string) => (await shop.loadState(member, [line('l1', 12_000)])).coupons.map((c) => c.id);

describe('the life of a coupon through order events', () => {
  it('placed locks it to the order; paid marks it used with one redemption', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.placed', placed('o1', 'm1', c));
    expect(await coupon(c)).toEqual({ status: 'locked', orderId: 'o1' });
    expect(await usableIds('m1')).toEqual([]);

    await shop.deliver('order.paid', paid('o1', 'm1'), 'evt-paid-o1');
    expect(await coupon(c)).toEqual({ status: 'used', orderId: 'o1' });
    expect(await redemptions()).toMatchObject([{ member_coupon_id: c, order_id: 'o1', member_id: 'm1', template_id: template, amount: 2000, paid_event_id: 'evt-paid-o1', returned_at: null }]);
    const mine = await shop.call('GET', '/mine', { member: 'm1', query: { status: 'used' } });
    expect(mine.body).toMatchObject({ coupons: [{ id: c, status: 'used', orderId: 'o1' }], counts: { used: 1, available: 0 } });
  });

  it('events replayed (same ids) change nothing', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.placed', placed('o1', 'm1', c), 'e-placed');
    await shop.deliver('order.paid', paid('o1', 'm1'), 'e-paid');
    const once = await shop.snapshot();
    shop.clock.now += 60_000;
    await shop.deliver('order.placed', placed('o1', 'm1', c), 'e-placed');
    await shop.deliver('order.paid', paid('o1', 'm1'), 'e-paid');
    await shop.deliver('order.placed', placed('o1', 'm1', c), 'e-placed');
    expect(await shop.snapshot()).toEqual(once);
  });

  it('a second payment notice for the same order (another event id) adds no second redemption', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.placed', placed('o1', 'm1', c));
    await Promise.all([shop.deliver('order.paid', paid('o1', 'm1'), 'e-pay-a'), shop.deliver('order.paid', paid('o1', 'm1'), 'e-pay-b')]);
    expect(await redemptions()).toHaveLength(1);
  });

  it('cancel gives a locked coupon back, usable again; a replayed placed does not lock it again', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.placed', placed('o1', 'm1', c), 'e-placed');
    await shop.deliver('order.cancelled', cancelled('o1', 'm1'), 'e-cancel');
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null });
    expect(await usableIds('m1')).toEqual([c]);
    const after = await shop.snapshot();
    await shop.deliver('order.cancelled', cancelled('o1', 'm1'), 'e-cancel');
    await shop.deliver('order.placed', placed('o1', 'm1', c), 'e-placed');
    expect(await shop.snapshot()).toEqual(after);
    expect(await redemptions()).toEqual([]);
  });

  it('a coupon given back after its validity ended is expired, not available', async () => {
    const c = await claim(shop, template, 'm1'); // 7 days
    await shop.deliver('order.placed', placed('o1', 'm1', c));
    shop.clock.now += 8 * day;
    await shop.deliver('order.cancelled', cancelled('o1', 'm1'));
    expect(await coupon(c)).toEqual({ status: 'expired', orderId: null });
  });

  it('a full refund gives a used coupon back and marks its redemption returned; it can then be redeemed again', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.placed', placed('o1', 'm1', c));
    await shop.deliver('order.paid', paid('o1', 'm1'));
    await shop.deliver('order.refunded', refunded('o1', 'm1', 'r1', 10_000));
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null });
    expect((await redemptions())[0]).toMatchObject({ order_id: 'o1', returned_at: shop.clock.now });

    await shop.deliver('order.placed', placed('o2', 'm1', c));
    await shop.deliver('order.paid', paid('o2', 'm1'));
    expect((await redemptions()).map((r) => [r.order_id, r.returned_at === null])).toEqual([['o1', false], ['o2', true]]);
    const detail = await shop.call('GET', `/admin/templates/${template}`, { staff: 's1' });
    expect(detail.body).toMatchObject({ stats: { issued: 1, used: 1, redeemed: 1, returned: 1, discountTotal: 2000, conflicts: 0 } });
  });

  it('a partial refund keeps the coupon used; refunds adding up to the whole order give it back', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.placed', placed('o1', 'm1', c));
    await shop.deliver('order.paid', paid('o1', 'm1'));
    await shop.deliver('order.refunded', refunded('o1', 'm1', 'r1', 4_000));
    await shop.deliver('order.refunded', refunded('o1', 'm1', 'r1', 4_000)); // the same refund again
    expect(await coupon(c)).toEqual({ status: 'used', orderId: 'o1' });
    await shop.deliver('order.refunded', refunded('o1', 'm1', 'r2', 6_000));
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null });
  });
});

describe('the same coupon on two orders at once', () => {
  it('exactly one order holds it and exactly one redemption exists; the other order is flagged', async () => {
    const c = await claim(shop, template, 'm1');
    // Both orders were priced before either was placed (the platform offers no lock at placement).
    await Promise.all([shop.deliver('order.placed', placed('oA', 'm1', c)), shop.deliver('order.placed', placed('oB', 'm1', c))]);
    await Promise.all([shop.deliver('order.paid', paid('oA', 'm1')), shop.deliver('order.paid', paid('oB', 'm1'))]);
    expect(await redemptions()).toHaveLength(1);
    const holder = (await coupon(c)).orderId;
    expect(['oA', 'oB']).toContain(holder);
    const orders = await shop.rows('plg_coupons_orders', 'order_id');
    expect(orders.map((o) => [o.order_id, o.conflict_at !== null])).toEqual([['oA', holder !== 'oA'], ['oB', holder !== 'oB']]);
    const detail = await shop.call('GET', `/admin/templates/${template}`, { staff: 's1' });
    expect(detail.body).toMatchObject({ stats: { used: 1, redeemed: 1, conflicts: 1 } });
  });

  it('a coupon of another member is not locked by an order that names it', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.placed', placed('o1', 'm2', c));
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null });
    expect((await shop.call('GET', '/admin/orders/o1', { staff: 's1' })).body).toMatchObject({ coupon: { memberCouponId: c, conflictAt: shop.clock.now } });
  });
});

describe('events arriving out of order (retries) end in the same state', () => {
  it('paid before placed: used, with its redemption, once placed arrives', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.paid', paid('o1', 'm1'), 'e-paid');
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null });
    await shop.deliver('order.placed', placed('o1', 'm1', c));
    expect(await coupon(c)).toEqual({ status: 'used', orderId: 'o1' });
    expect(await redemptions()).toMatchObject([{ order_id: 'o1', amount: 2000, paid_event_id: 'e-paid' }]);
  });

  it('cancelled before placed: never locked', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.cancelled', cancelled('o1', 'm1'));
    await shop.deliver('order.placed', placed('o1', 'm1', c));
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null });
  });

  it('a full refund recorded before the payment: the coupon comes back, no redemption stays live', async () => {
    const c = await claim(shop, template, 'm1');
    await shop.deliver('order.placed', placed('o1', 'm1', c));
    await shop.deliver('order.refunded', refunded('o1', 'm1', 'r1', 10_000));
    await shop.deliver('order.paid', paid('o1', 'm1'));
    expect(await coupon(c)).toEqual({ status: 'available', orderId: null });
    expect((await redemptions()).filter((r) => r.returned_at === null)).toEqual([]);
  });
});

describe('orders without coupons', () => {
  it('cost nothing: no rows for members who never claimed a coupon, nor for orders without a coupon ref', async () => {
    const before = await shop.snapshot();
    await shop.deliver('order.placed', placed('o1', 'm-none', null));
    await shop.deliver('order.paid', paid('o1', 'm-none'));
    await shop.deliver('order.cancelled', cancelled('o2', 'm-none'));
    await shop.deliver('order.refunded', refunded('o1', 'm-none', 'r1', 10_000));
    expect(await shop.snapshot()).toEqual(before);
    expect((await shop.call('GET', '/admin/orders/o1', { staff: 's1' })).body).toEqual({ coupon: null });
  });
});
