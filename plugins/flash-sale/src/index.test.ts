import { createCircuitBreaker, runAddToCartInterceptors, validateManifest, type InstalledPlugin } from '@tuike/plugin-runtime';
import type { PluginDefinition } from '@tuike/plugin-sdk';
import { manifestJson } from '@tuike/plugin-sdk/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flashSale } from './index';
import { createActivity, line, openTestShop, start, type TestShop } from './test-shop';

describe('the manifest', () => {
  it('passes the platform\'s manifest check and declares what it uses', () => {
    expect(validateManifest(flashSale, { installedPluginIds: ['coupons', 'points'] }).ok).toBe(true);
    expect(flashSale.tablePrefix).toBe('plg_flash_sale_');
    expect(flashSale.capabilities).toEqual(['pricing', 'cart.intercept', 'order.reserve', 'events.order', 'routes', 'widgets.storefront', 'widgets.admin']);
    const json = manifestJson(flashSale as unknown as PluginDefinition);
    expect(json.hooks).toEqual(['loadState', 'pricing', 'willAddToCart', 'reserveOrder']);
    expect(json.events).toEqual(['order.paid', 'order.cancelled', 'order.refunded']);
    expect(json.routes.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual([
      'GET /admin/activities staff',
      'POST /admin/activities staff',
      'GET /admin/activities/:id staff',
      'PATCH /admin/activities/:id staff',
      'POST /admin/activities/:id/activate staff',
      'POST /admin/activities/:id/disable staff',
      'GET /admin/overview staff',
      'GET /activities public',
      'GET /activities/:id public',
      'GET /activities/:id/mine member',
    ]);
    expect(json.widgets.map((w) => `${w.slot} ${w.component}`)).toEqual([
      'storefront.home.banner FlashSaleBanner',
      'storefront.product.below-price FlashSaleCountdown',
      'admin.dashboard.card FlashSaleStatsCard',
    ]);
    expect(json.settings).toMatchObject([{ key: 'showUpcomingHours', type: 'number', default: 24, min: 0, max: 720, integer: true }]);
  });

  it('clashes with a plugin whose tables would nest in its prefix', () => {
    expect(validateManifest(flashSale, { installedPluginIds: ['flash-sale-pro'] })).toMatchObject({ ok: false, errors: [{ code: 'PLUGIN_ID_CONFLICT' }] });
  });
});

describe('a flash sale through the platform\'s hook pipeline', () => {
  let shop: TestShop;
  beforeEach(async () => { shop = await openTestShop(); });
  afterEach(() => shop.close());

  const installed = (): InstalledPlugin => ({ definition: flashSale as unknown as PluginDefinition, settings: {}, critical: false });
  const sku = { skuId: 'sku-a', productId: 'p-a', categoryId: null, unitPrice: 9_900 };

  it('add to cart (vetoed past the limit) → priced → placed and held → paid → cancelled gives the units back', async () => {
    const a = await createActivity(shop); // 10 units, 2 each, ¥99 → ¥59
    const breaker = createCircuitBreaker();
    const addCheck = async (quantity: number) => {
      const lines = [line('sku-a', 9_900, quantity)];
      const states = { 'flash-sale': await shop.loadState('m1', lines) };
      return runAddToCartInterceptors([installed()], { member: { id: 'm1' }, sku, quantity, lines, now: shop.clock.now, states }, { breaker }).veto;
    };
    expect(await addCheck(2)).toBeNull();
    expect(await addCheck(3)).toMatchObject({ pluginId: 'flash-sale', code: 'FLASH_SALE_LIMIT_REACHED' });

    const order = await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 2)] });
    expect([order.placed, order.priced.payTotal]).toEqual([true, 2 * 5_900]);
    expect(order.priced.applied).toMatchObject([{ pluginId: 'flash-sale', ref: a.entries[0]!.id, amount: 8_000 }]);
    // The limit is used up: the cart refuses one more, and a new cart prices it at list price.
    expect(await addCheck(1)).toMatchObject({ code: 'FLASH_SALE_LIMIT_REACHED' });
    expect((await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 1)] })).priced.discountTotal).toBe(0);

    await shop.deliver('order.paid', { orderId: order.orderId, orderNo: 'n', memberId: 'm1', payTotal: order.priced.payTotal, itemsPaid: order.priced.payTotal, paidAt: start });
    await shop.deliver('order.cancelled', { orderId: order.orderId, orderNo: 'n', memberId: 'm1', reason: 'merchant' });
    expect(await addCheck(2)).toBeNull();
    const mine = await shop.call('GET', `/activities/${a.id}/mine`, { member: 'm1' });
    expect(mine.body).toMatchObject({ entries: [{ bought: 0, allowance: 2, remaining: 10 }] });
  });

  it('loadState only reads: it runs on the platform\'s SELECT-only database', async () => {
    await createActivity(shop);
    await expect(shop.loadState('m1', [line('sku-a', 9_900)])).resolves.toMatchObject({ entries: [{ skuId: 'sku-a', sold: 0, bought: 0 }] });
    await expect(shop.readDb.execute('UPDATE plg_flash_sale_entries SET sold = 0')).rejects.toMatchObject({ code: 'PLUGIN_DB_DENIED' });
  });

  it('loadState reads only the cart\'s SKUs in a live sale, and nothing for an empty cart', async () => {
    await createActivity(shop);
    await createActivity(shop, { startsAt: start + 3_600_000 * 3, endsAt: start + 3_600_000 * 4, entries: [{ skuId: 'sku-b', productId: 'p-b', flashPrice: 1, stock: 1 }] });
    expect((await shop.loadState('m1', [line('sku-a', 9_900), line('sku-b', 9_900), line('sku-c', 100)])).entries.map((e) => e.skuId)).toEqual(['sku-a']);
    expect(await shop.loadState('m1', [])).toEqual({ entries: [] });
  });
});
