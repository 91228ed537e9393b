import { createCircuitBreaker, runPricingHooks, validateManifest, type InstalledPlugin } from '@tuike/plugin-runtime';
import type { PluginDefinition } from '@tuike/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxTiers } from './campaign-schema';
import { campaigns } from './index';
import { tierSlots } from './migrations';
import { createCampaign, day, line, openTestShop, start, type TestShop } from './test-shop';

describe('the manifest', () => {
  it("passes the platform's manifest check and declares what it uses", () => {
    const verdict = validateManifest(campaigns, { installedPluginIds: ['coupons', 'points', 'flash-sale'] });
    expect(verdict.ok).toBe(true);
    expect(campaigns.tablePrefix).toBe('plg_campaigns_');
    expect(campaigns.capabilities).toEqual(['pricing', 'routes', 'widgets.storefront']);
    expect(Object.keys(campaigns.hooks)).toEqual(['loadState', 'pricing']);
    expect(campaigns.settings.form).toMatchObject([{ key: 'maxCampaignsPerOrder', type: 'number', default: 3, min: 1, max: 20, integer: true }]);
    expect(campaigns.routes.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual([
      'GET /admin/campaigns staff',
      'POST /admin/campaigns staff',
      'GET /admin/campaigns/:id staff',
      'PUT /admin/campaigns/:id staff',
      'POST /admin/campaigns/:id/disable staff',
      'POST /admin/campaigns/:id/enable staff',
      'GET /active public',
      'GET /for-product/:productId public',
      'POST /progress public',
    ]);
    expect(campaigns.widgets.map((w) => `${w.slot} ${w.component}`)).toEqual([
      'storefront.home.banner CampaignBanner',
      'storefront.product.below-price CampaignTags',
      'storefront.cart.summary CampaignProgress',
    ]);
  });

  it('the migration constrains every tier the schema allows', () => {
    expect(maxTiers).toBeLessThanOrEqual(tierSlots);
  });
});

describe("a checkout through the platform's hook pipeline", () => {
  let shop: TestShop;
  beforeEach(async () => { shop = await openTestShop(); });
  afterEach(() => shop.close());

  const installed = (settings: unknown = {}): InstalledPlugin => ({ definition: campaigns as unknown as PluginDefinition, settings, critical: false });

  it('created → loaded → priced: 满200减30 on the shop, 8折 on shoes', async () => {
    const manjian = await createCampaign(shop);
    const shoes = await createCampaign(shop, { scope: { type: 'categories', ids: ['shoes'] }, terms: { kind: 'discount', percentOffBps: 2_000 } });
    const lines = [line('l1', 15_000, { categoryId: 'shoes' }), line('l2', 10_000, { categoryId: 'hats' })];
    const state = await shop.loadState(lines);
    const priced = runPricingHooks([installed()], { lines, shippingFee: 1_000, member: null, now: shop.clock.now, states: { campaigns: state } }, { breaker: createCircuitBreaker() });
    expect(priced.skipped).toEqual([]);
    expect(priced.applied.map((a) => [a.ref, a.kind, a.amount])).toEqual([[shoes, 'line_discount', 3_000], [manjian, 'order_discount', 3_000]]);
    expect(priced.payTotal).toBe(25_000 - 6_000 + 1_000);
  });

  it('loadState reads the live campaigns in one query, on the SELECT-only database', async () => {
    await createCampaign(shop);
    await createCampaign(shop, { window: { startsAt: start + day, endsAt: start + 2 * day } });
    await createCampaign(shop, { terms: { kind: 'gift', threshold: 100, skuId: 'g1' } });
    shop.statements.length = 0;
    const state = await shop.loadState([line('l1', 100)]);
    expect(shop.statements).toHaveLength(1);
    expect(shop.statements[0]).toMatch(/^SELECT /);
    expect(state.campaigns.map((c) => c.terms.kind).sort()).toEqual(['gift', 'tiered_reduction']);
    await expect(shop.readDb.execute("UPDATE plg_campaigns_campaigns SET status = 'disabled'")).rejects.toMatchObject({ code: 'PLUGIN_DB_DENIED' });
  });
});
