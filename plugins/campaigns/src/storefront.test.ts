import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from './progress';
import { createCampaign, day, errorCode, line, openTestShop, start, type TestShop } from './test-shop';

/** The public routes the storefront widgets call: banners, product tags, the cart's progress hint. */
let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

describe('GET /active (CampaignBanner)', () => {
  it('lists live campaigns only, highest priority first, without admin bookkeeping', async () => {
    const low = await createCampaign(shop, { name: '全场满减' });
    const high = await createCampaign(shop, { name: '鞋类8折', priority: 10, scope: { type: 'categories', ids: ['shoes'] }, terms: { kind: 'discount', percentOffBps: 2_000 } });
    await createCampaign(shop, { name: '下周', window: { startsAt: start + day, endsAt: start + 3 * day } });
    const off = await createCampaign(shop, { name: '已停' });
    await shop.call('POST', `/admin/campaigns/${off}/disable`, { staff: 's1' });

    const res = await shop.call('GET', '/active');
    expect(res.status).toBe(200);
    const list = (res.body as { campaigns: Record<string, unknown>[] }).campaigns;
    expect(list.map((c) => c.id)).toEqual([high, low]);
    expect(list[0]).toEqual({
      id: high, name: '鞋类8折', description: '', kind: 'discount', priority: 10, startsAt: start - day, endsAt: start + 7 * day,
      scope: { type: 'categories', ids: ['shoes'] }, terms: { kind: 'discount', percentOffBps: 2_000 }, summary: { zh: '限时8折', en: '20% off' },
    });
    expect(list[0]).not.toHaveProperty('status');

    shop.clock.now = start + 7 * day;
    expect(((await shop.call('GET', '/active')).body as { campaigns: unknown[] }).campaigns).toEqual([]);
  });
});

describe('GET /for-product/:productId (CampaignTags)', () => {
  it('tags a product with every live campaign covering it: whole shop, its category, itself', async () => {
    const all = await createCampaign(shop);
    const shoes = await createCampaign(shop, { scope: { type: 'categories', ids: ['shoes'] }, terms: { kind: 'discount', percentOffBps: 2_000 } });
    const mine = await createCampaign(shop, { scope: { type: 'products', ids: ['p-boot'] }, terms: { kind: 'gift', threshold: 19_900, skuId: 'sku-sock', giftName: '袜子' } });
    await createCampaign(shop, { scope: { type: 'products', ids: ['p-other'] } });

    const tags = async (productId: string, query: Record<string, string> = {}) => ((await shop.call('GET', `/for-product/${productId}`, { query })).body as { tags: { campaignId: string; tag: unknown }[] }).tags;
    expect((await tags('p-boot', { categoryId: 'shoes' })).map((t) => t.campaignId).sort()).toEqual([all, shoes, mine].sort());
    expect((await tags('p-boot')).map((t) => t.campaignId).sort()).toEqual([all, mine].sort());
    expect((await tags('p-hat', { categoryId: 'hats' })).map((t) => t.campaignId)).toEqual([all]);
    expect((await tags('p-boot')).find((t) => t.campaignId === mine)?.tag).toEqual({ zh: '满199赠袜子', en: 'Free gift over ¥199' });
  });

  it('a bad category id is CAMPAIGN_QUERY_INVALID', async () => {
    const res = await shop.call('GET', '/for-product/p1', { query: { categoryId: 'x'.repeat(65) } });
    expect([res.status, errorCode(res)]).toEqual([400, 'CAMPAIGN_QUERY_INVALID']);
  });
});

describe('POST /progress (CampaignProgress)', () => {
  const progress = async (lines: unknown[]) => {
    const res = await shop.call('POST', '/progress', { body: { lines } });
    expect(res.status).toBe(200);
    return (res.body as { progress: Progress[] }).progress;
  };

  it('再买¥23.00可减30: the next tier and what is still to spend', async () => {
    const id = await createCampaign(shop);
    expect(await progress([line('l1', 17_700)])).toEqual([{
      campaignId: id, name: '周末满减', kind: 'tiered_reduction', inScopeTotal: 17_700, reachedOff: 1_000,
      next: { threshold: 20_000, shortBy: 2_300, off: 3_000 },
      message: { zh: '已减10，再买¥23.00可减30', en: '¥10 off now. Add ¥23.00 more to save ¥30' },
    }]);
    expect((await progress([line('l1', 7_700)]))[0]?.message).toEqual({ zh: '再买¥23.00可减10', en: 'Add ¥23.00 more to save ¥10' });
    expect((await progress([line('l1', 30_000)]))[0]).toMatchObject({ reachedOff: 5_000, next: null, message: { zh: '已享满300减50，共减50' } });
  });

  it('counts only the in-scope lines, and leaves out campaigns the cart has nothing for', async () => {
    const shoes = await createCampaign(shop, { scope: { type: 'categories', ids: ['shoes'] } });
    await createCampaign(shop, { scope: { type: 'products', ids: ['p-none'] } });
    const got = await progress([line('l1', 9_000, { categoryId: 'shoes', quantity: 2 }), line('l2', 50_000, { categoryId: 'hats' })]);
    expect(got.map((p) => [p.campaignId, p.inScopeTotal])).toEqual([[shoes, 18_000]]);
  });

  it('每满100减10 up to ¥30: the next multiple until the cap', async () => {
    await createCampaign(shop, { terms: { kind: 'tiered_reduction', tiers: [{ threshold: 10_000, off: 1_000 }], repeat: { maxOff: 3_000 } } });
    expect((await progress([line('l1', 25_000)]))[0]).toMatchObject({ reachedOff: 2_000, next: { threshold: 30_000, shortBy: 5_000, off: 3_000 } });
    expect((await progress([line('l1', 30_000)]))[0]).toMatchObject({ reachedOff: 3_000, next: null });
  });

  it('a gift: how much more until it is reached', async () => {
    await createCampaign(shop, { terms: { kind: 'gift', threshold: 19_900, skuId: 'sku-cup', giftName: '保温杯' } });
    expect((await progress([line('l1', 10_000)]))[0]).toMatchObject({ kind: 'gift', reached: false, next: { shortBy: 9_900 }, message: { zh: '再买¥99.00可获赠保温杯' } });
    expect((await progress([line('l1', 20_000)]))[0]).toMatchObject({ reached: true, next: null, message: { zh: '已获赠保温杯', en: 'You qualify for a free gift' } });
  });

  it('discount campaigns have no threshold and no progress', async () => {
    await createCampaign(shop, { terms: { kind: 'discount', percentOffBps: 2_000 } });
    expect(await progress([line('l1', 10_000)])).toEqual([]);
  });

  it('a bad cart is CAMPAIGN_CART_INVALID', async () => {
    for (const body of [undefined, { lines: [{ lineId: 'l1', productId: 'p1', quantity: 0, unitPrice: 100 }] }, { lines: [line('l1', -1)] }, { lines: [line('l1', 100), line('l1', 200)] }]) {
      const res = await shop.call('POST', '/progress', { body });
      expect([res.status, errorCode(res)]).toEqual([400, 'CAMPAIGN_CART_INVALID']);
    }
  });
});
