import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redeemGoods } from './goods';
import { errorCode, ledgerSums, openTestShop, type TestShop } from './test-shop';

let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

const staff = 'staff-1';
async function createGoods(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await shop.call('POST', '/admin/goods', { staff, body: { name: '保温杯', pointsPrice: 500, stock: 10, ...overrides } });
  if (res.status !== 201) throw new Error(`goods not created: ${JSON.stringify(res.body)}`);
  return (res.body as { goods: { id: string } }).goods.id;
}
const redeem = (goodsId: string, member: string) => shop.call('POST', `/goods/${goodsId}/redeem`, { member });
const goodsRow = async (id: string) => (await shop.client.execute({ sql: 'SELECT stock, redeemed FROM plg_points_goods WHERE id = ?', args: [id] })).rows[0];
const redemptionCount = async () => Number((await shop.client.execute('SELECT count(*) AS n FROM plg_points_redemptions')).rows[0]!.n);

describe('the points mall', () => {
  it('a member redeems: one redemption pending fulfilment, the points and a unit of stock gone, one ledger entry', async () => {
    const g = await createGoods();
    await shop.grant('m1', 1_200);
    const res = await redeem(g, 'm1');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ redemption: { goodsId: g, memberId: 'm1', goodsName: '保温杯', points: 500, status: 'pending_fulfilment', fulfilledAt: null } });
    expect(await shop.balance('m1')).toBe(700);
    expect(await goodsRow(g)).toMatchObject({ stock: 9, redeemed: 1 });
    expect(await ledgerSums(shop, 'm1')).toEqual({ balance: 700, debt: 0 });
    const mine = await shop.call('GET', '/me/redemptions', { member: 'm1' });
    expect((mine.body as { redemptions: unknown[] }).redemptions).toHaveLength(1);
  });

  it('lists active goods publicly, with the signed-in member\'s count; staff see every item', async () => {
    const g = await createGoods({ perMemberLimit: 2 });
    await createGoods({ name: '下架商品', status: 'disabled' });
    await shop.grant('m1', 1_000);
    await redeem(g, 'm1');
    const guest = await shop.call('GET', '/goods');
    expect(guest.body).toEqual({ goods: [expect.objectContaining({ id: g, name: '保温杯', pointsPrice: 500, stock: 9, redeemedByMe: null, canRedeem: true })] });
    const member = await shop.call('GET', '/goods', { member: 'm1' });
    expect(member.body).toMatchObject({ goods: [{ id: g, redeemedByMe: 1, canRedeem: true }] });
    expect(((await shop.call('GET', '/admin/goods', { staff })).body as { goods: unknown[] }).goods).toHaveLength(2);
  });

  it('staff fulfil a redemption once; a second fulfil or a cancel after it is refused', async () => {
    const g = await createGoods();
    await shop.grant('m1', 500);
    const id = ((await redeem(g, 'm1')).body as { redemption: { id: string } }).redemption.id;
    expect((await shop.call('GET', '/admin/redemptions', { staff })).body).toMatchObject({ status: 'pending_fulfilment', redemptions: [{ id }] });
    const done = await shop.call('POST', `/admin/redemptions/${id}/fulfil`, { staff, body: { note: 'SF123' } });
    expect(done.body).toMatchObject({ redemption: { id, status: 'fulfilled', note: 'SF123' } });
    expect(errorCode(await shop.call('POST', `/admin/redemptions/${id}/fulfil`, { staff, body: {} }))).toBe('POINTS_REDEMPTION_CLOSED');
    expect(errorCode(await shop.call('POST', `/admin/redemptions/${id}/cancel`, { staff, body: {} }))).toBe('POINTS_REDEMPTION_CLOSED');
    expect(errorCode(await shop.call('POST', '/admin/redemptions/nope/fulfil', { staff, body: {} }))).toBe('POINTS_REDEMPTION_NOT_FOUND');
  });

  it('cancelling a pending redemption gives back the points, the unit and the member\'s count — once, however often it is sent', async () => {
    const g = await createGoods({ stock: 1, perMemberLimit: 1 });
    await shop.grant('m1', 500);
    const id = ((await redeem(g, 'm1')).body as { redemption: { id: string } }).redemption.id;
    const results = await Promise.all([1, 2, 3].map(() => shop.call('POST', `/admin/redemptions/${id}/cancel`, { staff, body: { note: '缺货' } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(await shop.balance('m1')).toBe(500);
    expect(await goodsRow(g)).toMatchObject({ stock: 1, redeemed: 0 });
    // The count came back too: the member may redeem it again.
    expect((await redeem(g, 'm1')).status).toBe(201);
  });

  it('staff edit an item; stock is applied as a change from what they were shown, so units redeemed meanwhile stay counted', async () => {
    const g = await createGoods({ stock: 40 });
    const shown = ((await shop.call('GET', '/admin/goods', { staff })).body as { goods: { stock: number }[] }).goods[0]!.stock;
    await shop.grant('m1', 1_000);
    await redeem(g, 'm1');
    await redeem(g, 'm1');
    const res = await shop.call('PUT', `/admin/goods/${g}`, { staff, body: { name: '保温杯 500ml', pointsPrice: 600, stock: 100, stockShown: shown, perMemberLimit: 3 } });
    expect(res.body).toMatchObject({ goods: { name: '保温杯 500ml', pointsPrice: 600, stock: 98, redeemed: 2, perMemberLimit: 3 } });
    // Without stockShown the stock is set as given.
    expect((await shop.call('PUT', `/admin/goods/${g}`, { staff, body: { name: '保温杯', pointsPrice: 600, stock: 50 } })).body).toMatchObject({ goods: { stock: 50 } });
    expect(errorCode(await shop.call('PUT', '/admin/goods/nope', { staff, body: { name: 'x', pointsPrice: 1, stock: 1 } }))).toBe('POINTS_GOODS_NOT_FOUND');
  });

  it('an edit that would take stock below zero (units redeemed while the merchant edited) is refused with POINTS_STOCK_BELOW_ZERO', async () => {
    const g = await createGoods({ stock: 3 });
    await shop.grant('m1', 1_000);
    await redeem(g, 'm1');
    await redeem(g, 'm1');
    const before = await shop.snapshot();
    const res = await shop.call('PUT', `/admin/goods/${g}`, { staff, body: { name: '保温杯', pointsPrice: 500, stock: 0, stockShown: 3 } });
    expect([res.status, errorCode(res)]).toEqual([409, 'POINTS_STOCK_BELOW_ZERO']);
    expect(await shop.snapshot()).toEqual(before);
  });
});

describe('bad input', () => {
  it('redeeming goods that are out of stock is refused with POINTS_GOODS_SOLD_OUT and writes nothing', async () => {
    const g = await createGoods({ stock: 1 });
    await shop.grant('m1', 500);
    await shop.grant('m2', 500);
    expect((await redeem(g, 'm1')).status).toBe(201);
    const before = await shop.snapshot();
    const res = await redeem(g, 'm2');
    expect([res.status, errorCode(res)]).toEqual([409, 'POINTS_GOODS_SOLD_OUT']);
    expect(await shop.snapshot()).toEqual(before);
  });

  it('redeeming beyond the per-member limit is refused with POINTS_GOODS_LIMIT_REACHED and writes nothing', async () => {
    const g = await createGoods({ perMemberLimit: 2 });
    await shop.grant('m1', 5_000);
    expect((await redeem(g, 'm1')).status).toBe(201);
    expect((await redeem(g, 'm1')).status).toBe(201);
    const before = await shop.snapshot();
    const res = await redeem(g, 'm1');
    expect([res.status, errorCode(res)]).toEqual([409, 'POINTS_GOODS_LIMIT_REACHED']);
    expect(await shop.snapshot()).toEqual(before);
    expect(await shop.balance('m1')).toBe(4_000);
  });

  it('redeeming with too few points is refused with POINTS_INSUFFICIENT and writes nothing', async () => {
    const g = await createGoods();
    await shop.grant('m1', 499);
    const before = await shop.snapshot();
    const res = await redeem(g, 'm1');
    expect([res.status, errorCode(res)]).toEqual([409, 'POINTS_INSUFFICIENT']);
    expect(await shop.snapshot()).toEqual(before);
  });

  it('a disabled or unknown item cannot be redeemed', async () => {
    const g = await createGoods({ status: 'disabled' });
    await shop.grant('m1', 5_000);
    expect(errorCode(await redeem(g, 'm1'))).toBe('POINTS_GOODS_UNAVAILABLE');
    expect(errorCode(await redeem('nope', 'm1'))).toBe('POINTS_GOODS_NOT_FOUND');
    expect((await redeem(g, null as unknown as string)).status).toBe(401);
  });

  it('an item repriced or disabled between the member\'s read and the write: refused, nothing written', async () => {
    const g = await createGoods();
    await shop.grant('m1', 5_000);
    for (const [change, code] of [['points_price = 900', 'POINTS_GOODS_CHANGED'], ["status = 'disabled'", 'POINTS_GOODS_UNAVAILABLE']] as const) {
      const ctx = shop.ctx();
      // The staff edit lands just before the redemption's batch runs.
      const db = { ...ctx.db, batch: async (statements: Parameters<typeof ctx.db.batch>[0]) => {
        await shop.client.execute({ sql: `UPDATE plg_points_goods SET ${change} WHERE id = ?`, args: [g] });
        return ctx.db.batch(statements);
      } };
      const before = await shop.rows('plg_points_ledger');
      expect(await redeemGoods({ ...ctx, db }, g, 'm1')).toEqual({ ok: false, code });
      expect(await shop.rows('plg_points_ledger')).toEqual(before);
      expect(await shop.balance('m1')).toBe(5_000);
      expect(await goodsRow(g)).toMatchObject({ stock: 10, redeemed: 0 });
      await shop.client.execute({ sql: "UPDATE plg_points_goods SET points_price = 500, status = 'active' WHERE id = ?", args: [g] });
    }
  });

  it('an item with a negative stock, a zero price or no name is refused before anything is written', async () => {
    for (const body of [{ name: 'x', pointsPrice: 100, stock: -1 }, { name: 'x', pointsPrice: 0, stock: 1 }, { name: '  ', pointsPrice: 100, stock: 1 }, { name: 'x', pointsPrice: 1.5, stock: 1 }]) {
      expect((await shop.call('POST', '/admin/goods', { staff, body })).status).toBe(400);
    }
    expect(await shop.rows('plg_points_goods')).toEqual([]);
  });
});

describe('redeeming under concurrency (the database holds the limits)', () => {
  it('30 members racing for 5 units: exactly 5 redemptions, the rest POINTS_GOODS_SOLD_OUT, stock 0', async () => {
    const g = await createGoods({ stock: 5 });
    for (let i = 0; i < 30; i++) await shop.grant(`m${i}`, 500);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => redeem(g, `m${i}`)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(new Set(results.filter((r) => r.status !== 201).map(errorCode))).toEqual(new Set(['POINTS_GOODS_SOLD_OUT']));
    expect(await goodsRow(g)).toMatchObject({ stock: 0, redeemed: 5 });
    expect(await redemptionCount()).toBe(5);
  });

  it('one member sending 10 redemptions at once with a limit of 2: exactly 2', async () => {
    const g = await createGoods({ perMemberLimit: 2 });
    await shop.grant('m1', 100_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => redeem(g, 'm1')));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(new Set(results.filter((r) => r.status !== 201).map(errorCode))).toEqual(new Set(['POINTS_GOODS_LIMIT_REACHED']));
    expect(await shop.balance('m1')).toBe(99_000);
  });

  it('points for one redemption, two items redeemed at once: exactly one, the balance never below zero', async () => {
    const a = await createGoods({ name: 'A' });
    const b = await createGoods({ name: 'B' });
    await shop.grant('m1', 800);
    const results = await Promise.all([redeem(a, 'm1'), redeem(b, 'm1')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.map(errorCode).filter(Boolean)).toEqual(['POINTS_INSUFFICIENT']);
    expect(await shop.balance('m1')).toBe(300);
    expect(await redemptionCount()).toBe(1);
  });
});
