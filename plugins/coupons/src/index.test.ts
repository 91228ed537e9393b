import { createCircuitBreaker, planReservations, runPlaceOrderInterceptors, runPricingHooks, validateManifest, type InstalledPlugin } from '@tuike/plugin-runtime';
import type { PluginDefinition } from '@tuike/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coupons } from './index';
import { claim, createTemplate, line, openTestShop, type TestShop } from './test-shop';

describe('the manifest', () => {
  it('passes the platform\'s manifest check and declares what it uses', () => {
    const verdict = validateManifest(coupons, { installedPluginIds: ['points', 'flash-sale'] });
    expect(verdict.ok).toBe(true);
    expect(coupons.tablePrefix).toBe('plg_coupons_');
    expect(coupons.capabilities).toEqual(['pricing', 'order.intercept', 'order.reserve', 'events.order', 'routes', 'widgets.storefront', 'widgets.admin']);
    expect(Object.keys(coupons.hooks.events ?? {})).toEqual(['order.placed', 'order.paid', 'order.cancelled', 'order.refunded']);
    expect(coupons.routes.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual([
      'GET /admin/templates staff',
      'POST /admin/templates staff',
      'GET /admin/templates/:id staff',
      'PATCH /admin/templates/:id staff',
      'POST /admin/templates/:id/disable staff',
      'POST /admin/templates/:id/enable staff',
      'GET /admin/orders/:orderId staff',
      'GET /claim-centre public',
      'GET /templates/:id public',
      'POST /templates/:id/claim member',
      'GET /mine member',
      'POST /usable member',
    ]);
    expect(coupons.widgets.map((w) => `${w.slot} ${w.component}`)).toEqual([
      'storefront.cart.summary CouponPicker',
      'storefront.checkout.summary CouponPicker',
      'storefront.home.banner CouponClaimCentreEntry',
      'storefront.product.below-price ProductCouponStrip',
      'storefront.member.center MyCouponsEntry',
      'admin.dashboard.card CouponIssueStatsCard',
      'admin.order.detail OrderCouponPanel',
    ]);
  });

  it('clashes with a plugin whose tables would nest in its prefix', () => {
    expect(validateManifest(coupons, { installedPluginIds: ['coupons-pro'] })).toMatchObject({ ok: false, errors: [{ code: 'PLUGIN_ID_CONFLICT' }] });
  });
});

describe('a checkout through the platform\'s hook pipeline', () => {
  let shop: TestShop;
  beforeEach(async () => { shop = await openTestShop(); });
  afterEach(() => shop.close());

  const installed = (settings: unknown = {}): InstalledPlugin => ({ definition: coupons as unknown as PluginDefinition, settings, critical: false });

  it('claim → state → priced → not vetoed → placed with the applied ref → paid → redeemed', async () => {
    const t = await createTemplate(shop);
    const c = await claim(shop, t, 'm1');
    const lines = [line('l1', 8_000), line('l2', 4_000)];
    const member = { id: 'm1' };
    const breaker = createCircuitBreaker();
    const state = await shop.loadState('m1', lines);

    const priced = runPricingHooks([installed()], { lines, shippingFee: 1_000, member, now: shop.clock.now, states: { coupons: state } }, { breaker });
    expect(priced.skipped).toEqual([]);
    expect([priced.discountTotal, priced.payTotal]).toEqual([2_000, 11_000]);

    const verdict = runPlaceOrderInterceptors([installed()], { member, lines, priced, now: shop.clock.now, states: { coupons: state } }, { breaker });
    expect(verdict).toEqual({ veto: null, skipped: [] });

    // What the pipeline must put in order.placed: this plugin's applied operations, refs included.
    const applied = priced.applied.filter((a) => a.pluginId === 'coupons').map((a) => ({ kind: a.kind, amount: a.amount, ...(a.ref === null ? {} : { ref: a.ref }) }));
    await shop.deliver('order.placed', { orderId: 'o1', orderNo: 'N1', memberId: 'm1', payTotal: priced.payTotal, lines: priced.lines.map((l) => ({ lineId: l.lineId, skuId: l.skuId, productId: l.productId, quantity: l.quantity, paidAmount: l.paidAmount })), applied });
    await shop.deliver('order.paid', { orderId: 'o1', orderNo: 'N1', memberId: 'm1', payTotal: priced.payTotal, itemsPaid: priced.payTotal, paidAt: shop.clock.now });
    expect(await shop.rows('plg_coupons_redemptions')).toMatchObject([{ member_coupon_id: c, order_id: 'o1', amount: 2_000 }]);

    // The next cart no longer finds it; choosing it anyway is refused with its reason.
    const next = await shop.loadState('m1', lines, { memberCouponId: c });
    expect(next).toEqual({ coupons: [], chosen: { id: c, problem: 'used' } });
    const again = runPricingHooks([installed()], { lines, shippingFee: 0, member, now: shop.clock.now, states: { coupons: next }, choices: { coupons: { memberCouponId: c } } }, { breaker });
    expect(again.discountTotal).toBe(0);
    const refused = runPlaceOrderInterceptors([installed()], { member, lines, priced: again, now: shop.clock.now, states: { coupons: next }, choices: { coupons: { memberCouponId: c } } }, { breaker });
    expect(refused.veto).toMatchObject({ pluginId: 'coupons', code: 'COUPON_ALREADY_USED', message: { zh: '所选优惠券已使用' } });
  });

  it('placement through the platform\'s reservation planner: the first order holds the coupon, the second is refused with its refusal', async () => {
    const t = await createTemplate(shop);
    const c = await claim(shop, t, 'm1');
    const lines = [line('l1', 12_000)];
    const member = { id: 'm1' };
    const breaker = createCircuitBreaker();
    const state = await shop.loadState('m1', lines);
    const priced = runPricingHooks([installed()], { lines, shippingFee: 0, member, now: shop.clock.now, states: { coupons: state } }, { breaker });
    // Both orders priced before either is placed; the planner checks the statements against the plugin's tables.
    const plan = (orderId: string) => planReservations([installed()], {
      member, lines, priced, now: shop.clock.now, states: { coupons: state }, orderId, orderNo: `N-${orderId}`,
      placed: priced.lines.map((l, i) => ({ lineId: l.lineId, orderLineId: `${orderId}-l${i + 1}`, paidAmount: l.paidAmount })), installedPluginIds: ['coupons'],
    }, priced, { breaker });
    const [first, second] = [plan('o1'), plan('o2')];
    expect(first.skipped).toEqual([]);
    expect(first.holders).toEqual([{ pluginId: 'coupons', refusal: { code: 'COUPON_IN_USE', message: expect.objectContaining({ zh: expect.any(String), en: expect.any(String) }) } }]);

    await shop.client.batch(first.statements, 'write');
    const failure = await shop.client.batch(second.statements, 'write').then(() => null, (e: unknown) => e);
    expect(failure).not.toBeNull();
    expect(second.refusalFor(failure)).toMatchObject({ pluginId: 'coupons', code: 'COUPON_IN_USE' });
    expect(await shop.rows('plg_coupons_member_coupons')).toMatchObject([{ id: c, status: 'locked', order_id: 'o1' }]);
    expect((await shop.rows('plg_coupons_orders')).map((o) => o.order_id)).toEqual(['o1']);
  });

  it('loadState only reads: it runs on the platform\'s SELECT-only database', async () => {
    const t = await createTemplate(shop);
    await claim(shop, t, 'm1');
    const c2 = 'not-mine';
    await expect(shop.loadState('m1', [line('l1', 12_000)], { memberCouponId: c2 })).resolves.toMatchObject({ chosen: { id: c2, problem: 'missing' } });
    await expect(shop.readDb.execute("UPDATE plg_coupons_member_coupons SET status = 'used'")).rejects.toMatchObject({ code: 'PLUGIN_DB_DENIED' });
  });
});
