import { fixtureCart, runReservation } from '@tuike/plugin-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { points } from './index';
import { ledgerSums, line, openTestShop, type TestShop } from './test-shop';

let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

const lines = [line('s1', 20_000)];
const spends = () => shop.client.execute("SELECT order_id, delta FROM plg_points_ledger WHERE kind = 'spend' ORDER BY order_id").then((r) => r.rows.map((x) => [x.order_id, x.delta]));

describe('points are held in the order\'s own batch', () => {
  it('two orders priced against the same 1000 points, placed at once: exactly one commits, the other is refused POINTS_INSUFFICIENT', async () => {
    await shop.grant('m1', 1_000);
    // Both are priced (and checked) before either is written, as two checkouts at the same moment are.
    const a = await shop.prepareOrder({ orderId: 'oA', memberId: 'm1', lines, choice: { usePoints: 800 } });
    const b = await shop.prepareOrder({ orderId: 'oB', memberId: 'm1', lines, choice: { usePoints: 800 } });
    expect([a.veto, b.veto, a.priced.pointsUsed, b.priced.pointsUsed]).toEqual([null, null, 800, 800]);

    const results = await Promise.all([a.commit(), b.commit()]);
    expect(results.filter((r) => r.refusal === null)).toHaveLength(1);
    expect(results.map((r) => r.refusal?.code ?? 'ok').sort()).toEqual(['POINTS_INSUFFICIENT', 'ok']);
    // The refused order rolled back whole: its order row is gone with its hold.
    const placed = await shop.placedOrderIds();
    expect(placed).toHaveLength(1);
    expect(await spends()).toEqual([[placed[0], -800]]);
    expect(await shop.balance('m1')).toBe(200);
    expect(await ledgerSums(shop, 'm1')).toEqual({ balance: 200, debt: 0 });
  });

  it('twelve orders racing for a balance that covers three: three commit, nine are refused, the balance ends at 0 and never below', async () => {
    await shop.grant('m1', 1_500);
    const orders = [];
    for (let i = 0; i < 12; i++) orders.push(await shop.prepareOrder({ orderId: `o${String(i).padStart(2, '0')}`, memberId: 'm1', lines, choice: { usePoints: 500 } }));
    const results = await Promise.all(orders.map((o) => o.commit()));
    expect(results.filter((r) => r.refusal === null)).toHaveLength(3);
    expect(new Set(results.filter((r) => r.refusal).map((r) => r.refusal!.code))).toEqual(new Set(['POINTS_INSUFFICIENT']));
    expect(await shop.placedOrderIds()).toHaveLength(3);
    expect(await shop.balance('m1')).toBe(0);
    expect((await spends()).length).toBe(3);
  });

  it('points spent elsewhere between pricing and placement: the order is refused and nothing is written', async () => {
    await shop.grant('m1', 1_000);
    const order = await shop.prepareOrder({ orderId: 'o1', memberId: 'm1', lines, choice: { usePoints: 800 } });
    await shop.call('POST', '/admin/adjust', { staff: 's1', body: { memberId: 'm1', delta: -300, reason: 'spent elsewhere' } });
    const before = await shop.snapshot();
    expect(await order.commit()).toMatchObject({ refusal: { code: 'POINTS_INSUFFICIENT', message: { zh: '积分不足' } } });
    expect(await shop.snapshot()).toEqual(before);
    expect(await shop.placedOrderIds()).toEqual([]);
  });

  it('the same order\'s reservation run twice (a retried placement) spends once: the ledger\'s UNIQUE (kind, ref) refuses the second', async () => {
    await shop.grant('m1', 5_000);
    const reservation = runReservation(points, { cart: fixtureCart({ lines: [{ unitPrice: 20_000 }] }), member: { id: 'm1' }, state: { balance: 5_000 }, choice: { usePoints: 800 }, orderId: 'o1' });
    await shop.db.batch(reservation!.statements);
    expect(await shop.balance('m1')).toBe(4_200);
    await expect(shop.db.batch(reservation!.statements)).rejects.toThrow(/UNIQUE constraint failed: plg_points_ledger/);
    expect(await shop.balance('m1')).toBe(4_200);
    expect(await spends()).toEqual([['o1', -800]]);
  });

  it('an order without points holds nothing and writes nothing of the plugin\'s', async () => {
    await shop.grant('m1', 1_000);
    const before = await shop.snapshot();
    const order = await shop.prepareOrder({ orderId: 'o1', memberId: 'm1', lines });
    expect(await order.commit()).toEqual({ refusal: null });
    expect(await shop.snapshot()).toEqual(before);
  });
});
