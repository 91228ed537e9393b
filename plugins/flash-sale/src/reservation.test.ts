import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivity, entryCounters, hour, line, openTestShop, start, type TestShop } from './test-shop';

let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

const count = async (sql: string, args: (string | number)[] = []) => Number((await shop.client.execute({ sql, args })).rows[0]![0]);
const placedOrders = () => count('SELECT count(*) FROM test_orders');

describe('never oversold: the order\'s batch holds the units', () => {
  it('50 orders racing for 10 units (all priced while 10 were left): exactly 10 placed, sold = 10, the rest refused whole', async () => {
    const a = await createActivity(shop, { entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 5_900, stock: 10, limitPerMember: 1 }] });
    const entryId = a.entries[0]!.id;
    const lines = [line('sku-a', 9_900)];
    // Every buyer's cart was priced before any order went in: all see 10 left and the flash price.
    const states = await Promise.all(Array.from({ length: 50 }, (_, i) => shop.loadState(`m${i}`, lines)));
    expect(states.every((s) => s.entries[0]?.sold === 0)).toBe(true);

    const results = await Promise.all(states.map((state, i) => shop.place({ member: `m${i}`, lines, state, orderId: `o${i}` })));
    expect(results.every((r) => r.priced.discountTotal === 4_000)).toBe(true);
    expect(results.filter((r) => r.placed)).toHaveLength(10);
    expect(new Set(results.filter((r) => !r.placed).map((r) => r.refusal?.code))).toEqual(new Set(['FLASH_SALE_SOLD_OUT']));
    expect(await entryCounters(shop, entryId)).toEqual({ stock: 10, sold: 10 });
    expect(await count('SELECT count(*) FROM plg_flash_sale_purchases')).toBe(10);
    expect(await count('SELECT coalesce(sum(bought), 0) FROM plg_flash_sale_member_counts')).toBe(10);
    // A refused hold took its order with it: only the placed orders exist.
    expect(await placedOrders()).toBe(10);
    expect((await shop.rows('test_orders', 'id')).map((o) => o.id).sort()).toEqual(results.filter((r) => r.placed).map((r) => r.orderId).sort());
  });

  it('orders of 3 units racing for 10: three placed (9 units), never a fourth for the last one', async () => {
    const a = await createActivity(shop, { entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 5_900, stock: 10, limitPerMember: 5 }] });
    const lines = [line('sku-a', 9_900, 3)];
    const states = await Promise.all(Array.from({ length: 30 }, (_, i) => shop.loadState(`m${i}`, lines)));
    const results = await Promise.all(states.map((state, i) => shop.place({ member: `m${i}`, lines, state })));
    expect(results.filter((r) => r.placed)).toHaveLength(3);
    expect(await entryCounters(shop, a.entries[0]!.id)).toEqual({ stock: 10, sold: 9 });
  });

  it('the next cart sees what is left and prices only that', async () => {
    const a = await createActivity(shop, { entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 5_900, stock: 3, limitPerMember: 5 }] });
    expect((await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 2)] })).placed).toBe(true);
    const second = await shop.place({ member: 'm2', lines: [line('sku-a', 9_900, 2)] });
    // One unit left: one at the flash price, one at list price, and only the one held.
    expect([second.placed, second.priced.discountTotal]).toEqual([true, 4_000]);
    expect(await entryCounters(shop, a.entries[0]!.id)).toEqual({ stock: 3, sold: 3 });
    const third = await shop.place({ member: 'm3', lines: [line('sku-a', 9_900, 1)] });
    expect([third.placed, third.priced.discountTotal]).toEqual([true, 0]);
    expect(await count('SELECT count(*) FROM plg_flash_sale_purchases')).toBe(2);
  });

  it('a refused hold changes nothing in any table', async () => {
    await createActivity(shop, { entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 5_900, stock: 1, limitPerMember: 1 }] });
    const lines = [line('sku-a', 9_900)];
    const stale = await shop.loadState('m2', lines);
    expect((await shop.place({ member: 'm1', lines })).placed).toBe(true);
    const before = await shop.snapshot();
    const late = await shop.place({ member: 'm2', lines, state: stale });
    expect(late.refusal).toMatchObject({ pluginId: 'flash-sale', code: 'FLASH_SALE_SOLD_OUT', message: { zh: expect.stringContaining('已抢光'), en: expect.stringContaining('gone') } });
    expect(await shop.snapshot()).toEqual(before);
  });
});

describe('the per-member limit holds under concurrency', () => {
  it('bad input: two orders by one member that together pass the limit — the second is refused', async () => {
    const a = await createActivity(shop); // limit 2
    const lines2 = [line('sku-a', 9_900, 2)];
    const lines1 = [line('sku-a', 9_900, 1)];
    // Both carts were priced before either order went in (two tabs): each alone is within the limit.
    const stale = await shop.loadState('m1', lines1);
    const first = await shop.place({ member: 'm1', lines: lines2 });
    expect(first.placed).toBe(true);
    const second = await shop.place({ member: 'm1', lines: lines1, state: stale });
    expect(second.priced.discountTotal).toBe(4_000);
    expect([second.placed, second.refusal?.code]).toEqual([false, 'FLASH_SALE_SOLD_OUT']);
    expect(await shop.rows('plg_flash_sale_member_counts')).toMatchObject([{ member_id: 'm1', bought: 2, limit_per_member: 2 }]);
    expect(await entryCounters(shop, a.entries[0]!.id)).toEqual({ stock: 10, sold: 2 });
    // Another member is not affected.
    expect((await shop.place({ member: 'm2', lines: lines1 })).placed).toBe(true);
  });

  it('20 simultaneous one-unit orders by one member with a limit of 2: exactly 2 placed', async () => {
    const a = await createActivity(shop);
    const lines = [line('sku-a', 9_900)];
    const state = await shop.loadState('m1', lines);
    const results = await Promise.all(Array.from({ length: 20 }, () => shop.place({ member: 'm1', lines, state })));
    expect(results.filter((r) => r.placed)).toHaveLength(2);
    expect(await entryCounters(shop, a.entries[0]!.id)).toEqual({ stock: 10, sold: 2 });
  });

  it('a limit lowered by the merchant binds the next hold, without breaking counters already past it', async () => {
    const a = await createActivity(shop, { entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 5_900, stock: 10, limitPerMember: 3 }] });
    const stale = await shop.loadState('m1', [line('sku-a', 9_900, 1)]);
    expect((await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 2)] })).placed).toBe(true);
    const lowered = await shop.call('PATCH', `/admin/activities/${a.id}`, { staff: 's1', body: { entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 5_900, stock: 10, limitPerMember: 1 }] } });
    expect(lowered.status).toBe(200);
    expect((await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 1)], state: stale })).refusal?.code).toBe('FLASH_SALE_SOLD_OUT');
    expect((await shop.loadState('m1', [line('sku-a', 9_900)])).entries[0]).toMatchObject({ bought: 2, limitPerMember: 1 });
  });
});

describe('the hold checks the sale as it is when the order is placed', () => {
  it('bad input: a reservation after the window closed is refused, even with a cart priced while it was open', async () => {
    const a = await createActivity(shop, { endsAt: start + 3 * hour });
    const lines = [line('sku-a', 9_900)];
    // The cart was priced while the sale ran until +3h; then the merchant ended it at +2h.
    const stale = await shop.loadState('m1', lines);
    expect((await shop.call('PATCH', `/admin/activities/${a.id}`, { staff: 's1', body: { endsAt: start + 2 * hour } })).status).toBe(200);
    const late = await shop.place({ member: 'm1', lines, state: stale, now: start + 2 * hour });
    expect(late.priced.discountTotal).toBe(4_000);
    expect([late.placed, late.refusal?.code]).toEqual([false, 'FLASH_SALE_SOLD_OUT']);
    expect(await entryCounters(shop, a.entries[0]!.id)).toEqual({ stock: 10, sold: 0 });
    expect(await placedOrders()).toBe(0);
    // One millisecond before the end it still holds.
    expect((await shop.place({ member: 'm1', lines, state: stale, now: start + 2 * hour - 1 })).placed).toBe(true);
    // After the end a fresh cart prices at list price and holds nothing.
    shop.clock.now = start + 2 * hour;
    const fresh = await shop.place({ member: 'm2', lines });
    expect([fresh.placed, fresh.priced.discountTotal]).toEqual([true, 0]);
  });

  it('a sale disabled, or a flash price changed, after the cart was priced: refused (the buyer re-prices)', async () => {
    const a = await createActivity(shop);
    const lines = [line('sku-a', 9_900)];
    const state = await shop.loadState('m1', lines);
    await shop.call('PATCH', `/admin/activities/${a.id}`, { staff: 's1', body: { entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 6_900, stock: 10, limitPerMember: 2 }] } });
    expect((await shop.place({ member: 'm1', lines, state })).placed).toBe(false);
    const repriced = await shop.place({ member: 'm1', lines });
    expect([repriced.placed, repriced.priced.payTotal]).toEqual([true, 6_900]);

    const fresh = await shop.loadState('m2', lines);
    await shop.call('POST', `/admin/activities/${a.id}/disable`, { staff: 's1' });
    expect((await shop.place({ member: 'm2', lines, state: fresh })).refusal?.code).toBe('FLASH_SALE_SOLD_OUT');
    const after = await shop.place({ member: 'm2', lines });
    expect([after.placed, after.priced.discountTotal]).toEqual([true, 0]);
  });

  it('an order without flash lines holds nothing and is never refused by this plugin', async () => {
    await createActivity(shop, { entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 5_900, stock: 1, limitPerMember: 1 }] });
    await shop.place({ member: 'm1', lines: [line('sku-a', 9_900)] });
    const other = await shop.place({ member: 'm2', lines: [line('sku-b', 3_000, 5)] });
    expect(other.placed).toBe(true);
    expect(await count('SELECT count(*) FROM plg_flash_sale_purchases')).toBe(1);
  });
});

describe('the constraints refuse a write that skips the hooks', () => {
  it('sold past stock, sold below zero, a member past the limit, one purchase per order and entry', async () => {
    const a = await createActivity(shop);
    const e = a.entries[0]!.id;
    await expect(shop.db.execute('UPDATE plg_flash_sale_entries SET sold = 11 WHERE id = ?', [e])).rejects.toThrow(/CHECK constraint failed: plg_flash_sale_sold_within_stock/);
    await expect(shop.db.execute('UPDATE plg_flash_sale_entries SET sold = -1 WHERE id = ?', [e])).rejects.toThrow(/CHECK constraint failed: plg_flash_sale_sold_not_negative/);
    await expect(shop.db.execute('INSERT INTO plg_flash_sale_member_counts (entry_id, member_id, bought, limit_per_member) VALUES (?, ?, 3, 2)', [e, 'm1']))
      .rejects.toThrow(/CHECK constraint failed: plg_flash_sale_member_limit/);
    expect((await shop.place({ member: 'm1', lines: [line('sku-a', 9_900)], orderId: 'o1' })).placed).toBe(true);
    await expect(shop.db.execute(
      `INSERT INTO plg_flash_sale_purchases (order_id, entry_id, activity_id, member_id, sku_id, order_no, order_line_id, quantity, flash_price, paid_amount, reserved_at) VALUES ('o1', ?, 'x', 'm1', 'sku-a', 'n', 'ol', 1, 1, 1, 0)`, [e],
    )).rejects.toThrow(/UNIQUE constraint failed: plg_flash_sale_purchases/);
  });
});
