import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createShopFixture, ledgerViolations, type ShopFixture } from './testing/shop-fixture';
import { approveWithdrawal, markWithdrawalPaid, requestWithdrawal } from './withdrawals';
import { loadDistributionContext } from './order-hooks';

const DAY = 86_400_000;
let f: ShopFixture;
beforeEach(async () => { f = await createShopFixture({ defaultRule: { mode: 'bps', levels: [1000, 500, 200] }, capBps: 3000, freezeDays: 7 }); });
afterEach(async () => { expect(await ledgerViolations(f.db)).toEqual([]); await f.close(); });

/** A recruits B, B recruits C, a buyer comes through C's link. */
async function chain() {
  const a = await f.addDistributor('A');
  const b = await f.addDistributor('B', a);
  const c = await f.addDistributor('C', b);
  const buyer = await f.addMember('buyer');
  expect(await f.bind(buyer, c)).toBe('bound');
  return { a, b, c, buyer };
}

describe('three-level commission through the order pipeline (D4, D7)', () => {
  it('captures the upline at placement and pays 10% / 5% / 2% of what the line paid when the order is paid', async () => {
    const { a, b, c, buyer } = await chain();
    const placed = await f.place(buyer, [{ skuId: f.skuIds[1]!, quantity: 2 }]); // 2 × 123.45
    const order = (await f.db.execute({ sql: 'SELECT upline, distributor_shop_id FROM orders WHERE id = ?', args: [placed.orderId] })).rows[0]!;
    expect(JSON.parse(String(order.upline))).toEqual([c, b, a]);
    expect(order.distributor_shop_id).toBe(c);
    expect((await f.commissionsOf(placed.orderId)).map((x) => x.status)).toEqual(['awaiting_payment', 'awaiting_payment', 'awaiting_payment']);
    expect(await f.wallet(c)).toMatchObject({ pending: 0 });

    expect(await f.pay(placed.intentId, 24690)).toBe('applied');
    expect((await f.commissionsOf(placed.orderId)).map((x) => [x.distributorId, x.level, x.amount, x.status])).toEqual([
      [c, 1, 2469, 'pending'], [b, 2, 1234, 'pending'], [a, 3, 493, 'pending'],
    ]);
    expect(await f.wallet(c)).toMatchObject({ pending: 2469, available: 0 });
    const counters = (await f.db.execute({ sql: 'SELECT member_id, own_sales, team_sales, own_orders FROM distributors ORDER BY member_id', args: [] })).rows;
    expect(counters.find((r) => r.member_id === c)).toMatchObject({ own_sales: 24690, own_orders: 1 });
    expect(counters.find((r) => r.member_id === a)).toMatchObject({ team_sales: 24690, own_sales: 0 });
    // A replayed notify changes nothing.
    expect(await f.pay(placed.intentId, 24690)).toBe('duplicate');
    expect(await f.wallet(c)).toMatchObject({ pending: 2469 });
  });

  it('re-binding the buyer later never moves commission of an order already placed', async () => {
    const { b, c, buyer } = await chain();
    await f.setSettings({ binding: { mode: 'latest', expiryDays: null } });
    const placed = await f.place(buyer, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    expect(await f.bind(buyer, b)).toBe('rebound');
    await f.pay(placed.intentId, 9900);
    expect((await f.commissionsOf(placed.orderId))[0]!.distributorId).toBe(c);
  });

  it('for plugins, while one is enabled: one commission.settled per commission settled, and withdrawal.paid with what was paid out', async () => {
    const { a, b, c, buyer } = await chain();
    const events = async () => (await f.db.execute(`SELECT type, payload FROM outbox_events ORDER BY rowid`)).rows.map((r) => [String(r.type), JSON.parse(String(r.payload))]);
    expect(await events()).toEqual([]);
    await f.db.execute({ sql: `INSERT INTO plugin_installs (plugin_id, version, source, enabled, settings, installed_at, updated_at) VALUES ('listener', '1.0.0', 'first_party', 1, '{}', ?, ?)`, args: [f.now(), f.now()] });
    const placed = await f.place(buyer, [{ skuId: f.skuIds[2]!, quantity: 1 }]); // ¥500
    await f.pay(placed.intentId, 50000);
    await f.ship(placed.orderId);
    await f.receive(placed.orderId, buyer);
    f.advance(8 * DAY);
    await f.advance_orders();
    f.advance(14 * DAY);
    expect((await f.settle()).ran).toBe(true);
    const settled = (await events()).filter(([type]) => type === 'commission.settled').map(([, p]) => p);
    expect(settled.sort((x, y) => x.amount - y.amount)).toEqual([
      { distributorId: a, orderId: placed.orderId, amount: 1000 },
      { distributorId: b, orderId: placed.orderId, amount: 2500 },
      { distributorId: c, orderId: placed.orderId, amount: 5000 },
    ]);
    const { settings } = await loadDistributionContext(f.db);
    const w = await requestWithdrawal(f.db, c, { amount: 5000, method: 'offline', account: { name: 'C' } }, settings, '2026-12-01', f.now());
    await approveWithdrawal(f.db, w.id, 'staff-1', f.now());
    await markWithdrawalPaid(f.db, w.id, 'manual', f.now());
    // A duplicate result writes nothing more.
    await markWithdrawalPaid(f.db, w.id, 'manual', f.now());
    expect((await events()).filter(([type]) => type === 'withdrawal.paid').map(([, p]) => p)).toEqual([{ withdrawalId: w.id, distributorId: c, amount: w.net }]);
  });

  it('freezes at completion, settles after the freeze at the period end, withdraws, then a refund leaves a debt that the next commission pays first', async () => {
    const { c, buyer } = await chain();
    const placed = await f.place(buyer, [{ skuId: f.skuIds[2]!, quantity: 1 }]); // ¥500
    await f.pay(placed.intentId, 50000);
    await f.ship(placed.orderId);
    await f.receive(placed.orderId, buyer);
    f.advance(8 * DAY);
    expect((await f.advance_orders()).completed).toBe(1);
    expect(await f.wallet(c)).toMatchObject({ pending: 0, frozen: 5000 });
    f.advance(14 * DAY);
    expect((await f.settle()).ran).toBe(true);
    expect((await f.settle()).ran).toBe(false);
    expect(await f.wallet(c)).toMatchObject({ frozen: 0, available: 5000 });

    const { settings } = await loadDistributionContext(f.db);
    const w = await requestWithdrawal(f.db, c, { amount: 5000, method: 'offline', account: { name: 'C' } }, settings, '2026-12-01', f.now());
    await approveWithdrawal(f.db, w.id, 'staff-1', f.now());
    expect(await markWithdrawalPaid(f.db, w.id, 'manual', f.now())).toBe('paid');
    expect(await markWithdrawalPaid(f.db, w.id, 'manual', f.now())).toBe('duplicate');
    expect(await f.wallet(c)).toMatchObject({ available: 0, withdrawn: 5000 });

    // Completed orders accept no after-sale through the buyer flow; staff refund a received order instead.
    const second = await f.place(buyer, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    await f.pay(second.intentId, 9900);
    await f.db.execute({ sql: `UPDATE orders SET status = 'received' WHERE id = ?`, args: [placed.orderId] });
    const [line] = await f.linesOf(placed.orderId);
    await f.refund(placed.orderId, buyer, [{ lineId: line!.lineId, quantity: 1, amount: 20000 }]);
    expect((await f.commissionsOf(placed.orderId))[0]).toMatchObject({ amount: 5000, reversed: 2000 });
    expect(await f.wallet(c)).toMatchObject({ available: 0, debt: 2000, withdrawn: 5000, pending: 990 });
  });

  it('reverses pending commission in proportion to a partial refund, and all of it on a full refund', async () => {
    const { c, b, buyer } = await chain();
    const placed = await f.place(buyer, [{ skuId: f.skuIds[1]!, quantity: 3 }]); // 370.35
    await f.pay(placed.intentId, 37035);
    const [line] = await f.linesOf(placed.orderId);
    await f.refund(placed.orderId, buyer, [{ lineId: line!.lineId, quantity: 1, amount: 12345 }]);
    // kept = floor(amount × still paid / paid): 3703 × 24690 / 37035 = 2468
    expect((await f.commissionsOf(placed.orderId))[0]).toMatchObject({ amount: 3703, reversed: 1235 });
    expect(await f.wallet(c)).toMatchObject({ pending: 2468 });
    await f.refund(placed.orderId, buyer, [{ lineId: line!.lineId, quantity: 2, amount: 24690 }]);
    expect(await f.wallet(c)).toMatchObject({ pending: 0 });
    expect(await f.wallet(b)).toMatchObject({ pending: 0 });
  });

  it('pays nobody for an order closed unpaid', async () => {
    const { c, buyer } = await chain();
    const placed = await f.place(buyer, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    await f.cancel(placed.orderId);
    expect((await f.commissionsOf(placed.orderId)).map((x) => x.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await f.wallet(c)).toMatchObject({ pending: 0 });
  });

  it('self-purchase pays the buyer-distributor only when the shop turned it on', async () => {
    const { b, c } = await chain();
    const off = await f.place(c, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    await f.pay(off.intentId, 9900);
    expect((await f.commissionsOf(off.orderId)).map((x) => [x.distributorId, x.level])).toEqual([[b, 1], [expect.any(String), 2]]);
    await f.setSettings({ selfPurchase: true });
    const on = await f.place(c, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    await f.pay(on.intentId, 9900);
    expect((await f.commissionsOf(on.orderId)).map((x) => [x.distributorId, x.level, x.amount])).toEqual([[c, 1, 990], [b, 2, 495], [expect.any(String), 3, 198]]);
  });
});
