import type { EventPayloads } from '@tuike/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivity, entryCounters, line, openTestShop, start, type Placement, type TestShop } from './test-shop';

let shop: TestShop;
let entryId: string;
beforeEach(async () => {
  shop = await openTestShop();
  entryId = (await createActivity(shop, { entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 5_900, stock: 10, limitPerMember: 3 }] })).entries[0]!.id;
});
afterEach(() => shop.close());

const ref = (p: Placement, memberId = 'm1') => ({ orderId: p.orderId, orderNo: `NO-${p.orderId}`, memberId });
const cancelled = (p: Placement): EventPayloads['order.cancelled'] => ({ ...ref(p), reason: 'buyer' });
const paid = (p: Placement): EventPayloads['order.paid'] => ({ ...ref(p), payTotal: p.priced.payTotal, itemsPaid: p.priced.payTotal, paidAt: start + 60_000 });
/** A refund of `amounts[i]` on the order's i-th line. */
const refunded = (p: Placement, refundId: string, amounts: number[]): EventPayloads['order.refunded'] => ({
  ...ref(p), refundId, amount: amounts.reduce((a, b) => a + b, 0),
  lines: amounts.map((amount, i) => ({ lineId: p.orderLineIds[i]!, amount })).filter((l) => l.amount > 0),
});

const sold = async () => (await entryCounters(shop, entryId)).sold;
const bought = async (member = 'm1') => Number((await shop.client.execute({ sql: 'SELECT coalesce(sum(bought), 0) AS n FROM plg_flash_sale_member_counts WHERE member_id = ?', args: [member] })).rows[0]!.n);
const purchase = async (orderId: string) => (await shop.rows('plg_flash_sale_purchases')).find((r) => r.order_id === orderId);

async function placeTwo(member = 'm1'): Promise<Placement> {
  const p = await shop.place({ member, lines: [line('sku-a', 9_900, 2), line('sku-b', 3_000, 1)] });
  if (!p.placed) throw new Error('not placed');
  return p;
}

describe('cancelled orders give their units back exactly once', () => {
  it('cancel: sold and the member\'s count go down, the purchase is released; the member may buy again', async () => {
    const p = await placeTwo();
    expect([await sold(), await bought()]).toEqual([2, 2]);
    shop.clock.now = start + 5_000;
    await shop.deliver('order.cancelled', cancelled(p), 'e-cancel');
    expect([await sold(), await bought()]).toEqual([0, 0]);
    expect(await purchase(p.orderId)).toMatchObject({ quantity: 2, release_reason: 'cancelled', released_at: start + 5_000 });
    expect((await shop.loadState('m1', [line('sku-a', 9_900)])).entries[0]).toMatchObject({ sold: 0, bought: 0 });
    expect((await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 3)] })).priced.discountTotal).toBe(3 * 4_000);
  });

  it('a replayed cancel — same id, another id, or several at once — gives nothing back twice', async () => {
    const keep = await placeTwo('m2');
    const p = await placeTwo();
    await shop.deliver('order.cancelled', cancelled(p), 'e-cancel');
    const once = await shop.snapshot();
    await shop.deliver('order.cancelled', cancelled(p), 'e-cancel');
    await shop.deliver('order.cancelled', { ...cancelled(p), reason: 'timeout' }, 'e-cancel-again');
    await Promise.all(Array.from({ length: 10 }, (_, i) => shop.deliver('order.cancelled', cancelled(p), `e-${i}`)));
    expect(await shop.snapshot()).toEqual(once);
    expect([await sold(), await bought('m2')]).toEqual([2, 2]);
    expect((await purchase(keep.orderId))?.released_at).toBeNull();
  });

  it('simultaneous first deliveries of one cancel release once', async () => {
    const p = await placeTwo();
    await Promise.all(Array.from({ length: 10 }, (_, i) => shop.deliver('order.cancelled', cancelled(p), `e-${i}`)));
    expect([await sold(), await bought()]).toEqual([0, 0]);
  });

  it('a cancel and a full refund of the same order release once between them, in either order', async () => {
    const a = await placeTwo();
    await shop.deliver('order.cancelled', cancelled(a));
    await shop.deliver('order.refunded', refunded(a, 'r1', [2 * 5_900]));
    const b = await placeTwo();
    await shop.deliver('order.refunded', refunded(b, 'r2', [2 * 5_900]));
    await shop.deliver('order.cancelled', cancelled(b));
    expect([await sold(), await bought()]).toEqual([0, 0]);
    expect([(await purchase(a.orderId))?.release_reason, (await purchase(b.orderId))?.release_reason]).toEqual(['cancelled', 'refunded']);
  });
});

describe('refunds give the units back once the flash line is refunded in full', () => {
  it('a full refund of the flash line releases its units', async () => {
    const p = await placeTwo();
    await shop.deliver('order.paid', paid(p));
    await shop.deliver('order.refunded', refunded(p, 'r1', [2 * 5_900]));
    expect([await sold(), await bought()]).toEqual([0, 0]);
    expect(await purchase(p.orderId)).toMatchObject({ release_reason: 'refunded', paid_at: start + 60_000 });
  });

  it('a partial refund keeps them; refunds adding up to the line\'s paid amount release them; a replayed refund counts once', async () => {
    const p = await placeTwo();
    await shop.deliver('order.refunded', refunded(p, 'r1', [5_000]));
    await shop.deliver('order.refunded', refunded(p, 'r1', [5_000]), 'replay');
    expect(await sold()).toBe(2);
    await shop.deliver('order.refunded', refunded(p, 'r2', [2 * 5_900 - 5_000 - 1]));
    expect(await sold()).toBe(2);
    await shop.deliver('order.refunded', refunded(p, 'r3', [1]));
    expect([await sold(), await bought()]).toEqual([0, 0]);
    await shop.deliver('order.refunded', refunded(p, 'r4', [1_000]));
    expect(await sold()).toBe(0);
  });

  it('a refund of the order\'s other line leaves the flash units held, and records nothing', async () => {
    const p = await placeTwo();
    await shop.deliver('order.refunded', refunded(p, 'r1', [0, 3_000]));
    expect(await sold()).toBe(2);
    expect(await shop.rows('plg_flash_sale_refunds')).toEqual([]);
  });
});

describe('paid, and orders this plugin never held', () => {
  it('paid marks the purchase paid once; a later replay keeps the first time', async () => {
    const p = await placeTwo();
    await shop.deliver('order.paid', paid(p));
    await shop.deliver('order.paid', { ...paid(p), paidAt: start + 999_999 });
    expect((await purchase(p.orderId))?.paid_at).toBe(start + 60_000);
    expect(await sold()).toBe(2);
  });

  it('events of orders without flash units write nothing', async () => {
    await placeTwo();
    const before = await shop.snapshot();
    const other = { orderId: 'o-x', orderNo: 'n', memberId: 'm9' };
    await shop.deliver('order.paid', { ...other, payTotal: 100, itemsPaid: 100, paidAt: start });
    await shop.deliver('order.cancelled', { ...other, reason: 'buyer' });
    await shop.deliver('order.refunded', { ...other, refundId: 'r', amount: 100, lines: [{ lineId: 'l', amount: 100 }] });
    expect(await shop.snapshot()).toEqual(before);
  });
});
