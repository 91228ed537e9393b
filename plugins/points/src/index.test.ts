import { validateManifest } from '@tuike/plugin-runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { points } from './index';
import { ledgerSums, line, openTestShop, placedPayload, type TestShop } from './test-shop';

describe('the manifest', () => {
  it('passes the platform\'s manifest check and declares what it uses', () => {
    const verdict = validateManifest(points, { installedPluginIds: ['coupons', 'flash-sale'] });
    expect(verdict.ok).toBe(true);
    expect(points.tablePrefix).toBe('plg_points_');
    expect(points.capabilities).toEqual(['pricing', 'order.intercept', 'order.reserve', 'events.order', 'routes', 'widgets.storefront', 'widgets.admin']);
    expect(Object.keys(points.hooks).filter((k) => k !== 'events')).toEqual(['loadState', 'pricing', 'willPlaceOrder', 'reserveOrder']);
    expect(Object.keys(points.hooks.events ?? {})).toEqual(['order.placed', 'order.paid', 'order.completed', 'order.cancelled', 'order.refunded']);
    expect(points.routes.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual([
      'GET /admin/goods staff',
      'POST /admin/goods staff',
      'PUT /admin/goods/:id staff',
      'GET /admin/redemptions staff',
      'POST /admin/redemptions/:id/fulfil staff',
      'POST /admin/redemptions/:id/cancel staff',
      'POST /admin/adjust staff',
      'GET /admin/members/:id staff',
      'GET /admin/orders/:orderId staff',
      'GET /rules public',
      'GET /goods public',
      'GET /me member',
      'GET /me/redemptions member',
      'POST /goods/:id/redeem member',
    ]);
    expect(points.widgets.map((w) => `${w.slot} ${w.component}`)).toEqual([
      'storefront.member.center PointsBalance',
      'storefront.checkout.summary PointsOffsetToggle',
      'admin.order.detail OrderPointsPanel',
    ]);
  });

  it('clashes with a plugin whose tables would nest in its prefix', () => {
    expect(validateManifest(points, { installedPluginIds: ['points-plus'] })).toMatchObject({ ok: false, errors: [{ code: 'PLUGIN_ID_CONFLICT' }] });
  });

  it('names every CHECK constraint with its prefix, so a refused write says whose rule it broke', () => {
    const sql = points.migrations.join('\n');
    const checks = [...sql.matchAll(/CONSTRAINT (\w+) CHECK/g)].map((m) => m[1]!);
    expect(checks.length).toBeGreaterThan(10);
    for (const name of checks) expect(name.startsWith('plg_points_')).toBe(true);
    expect(sql).toMatch(/CONSTRAINT plg_points_accounts_balance CHECK \(balance >= 0\)/);
    expect(sql).toMatch(/CONSTRAINT plg_points_goods_stock CHECK \(stock >= 0\)/);
    expect(sql).toMatch(/CONSTRAINT plg_points_ledger_once UNIQUE \(kind, ref\)/);
  });
});

describe('a checkout through the platform\'s hook pipeline', () => {
  let shop: TestShop;
  beforeEach(async () => { shop = await openTestShop(); });
  afterEach(() => shop.close());

  it('grant → priced with points → reserved in the order\'s batch → placed → paid → completed → earned', async () => {
    await shop.grant('m1', 3_000);
    const lines = [line('s1', 8_000), line('s2', 4_000)];
    const order = await shop.prepareOrder({ orderId: 'o1', memberId: 'm1', lines, shippingFee: 1_000, choice: { usePoints: 2_500 } });
    expect(order.veto).toBeNull();
    expect(order.priced.skipped).toEqual([]);
    expect([order.priced.pointsUsed, order.priced.pointsAmount, order.priced.payTotal]).toEqual([2_500, 2_500, 12_000 - 2_500 + 1_000]);
    expect(await order.commit()).toEqual({ refusal: null });
    expect(await shop.balance('m1')).toBe(500);
    expect(await shop.placedOrderIds()).toEqual(['o1']);

    await shop.deliver('order.placed', placedPayload('o1', 'm1', order.priced));
    // Still 500: the reservation spent the points; the placed event does not spend them again.
    expect(await shop.balance('m1')).toBe(500);
    await shop.deliver('order.paid', { orderId: 'o1', orderNo: 'NO-o1', memberId: 'm1', payTotal: order.priced.payTotal, itemsPaid: 9_500, paidAt: shop.clock.now });
    const me = await shop.call('GET', '/me', { member: 'm1' });
    // Earned on the items paid (¥95, shipping excluded) at 1 point per ¥1: 95 pending until completion.
    expect(me.body).toMatchObject({ account: { balance: 500, pending: 95 } });
    await shop.deliver('order.completed', { orderId: 'o1', orderNo: 'NO-o1', memberId: 'm1', payTotal: order.priced.payTotal, itemsPaid: 9_500, completedAt: shop.clock.now });
    expect(await shop.call('GET', '/me', { member: 'm1' })).toMatchObject({ body: { account: { balance: 595, pending: 0, lifetimeEarned: 95, lifetimeSpent: 2_500 } } });
    expect(await ledgerSums(shop, 'm1')).toEqual({ balance: 595, debt: 0 });
  });
});
