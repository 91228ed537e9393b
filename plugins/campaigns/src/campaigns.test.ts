import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignBody, createCampaign, day, errorCode, openTestShop, start, type TestShop } from './test-shop';

/** The merchant's admin routes: create, list, read, replace, switch off and on. */
let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

const staff = 'staff-1';
type View = { id: string; status: string; phase: string; name: string; summary: { zh: string; en: string }; terms: unknown; window: { startsAt: number; endsAt: number } };
const campaignOf = (body: unknown) => (body as { campaign: View }).campaign;

describe('create and read', () => {
  it('POST saves the campaign and answers it with its phase and summary', async () => {
    const res = await shop.call('POST', '/admin/campaigns', { staff, body: campaignBody({ priority: 5 }) });
    expect(res.status).toBe(201);
    const c = campaignOf(res.body);
    expect(c).toMatchObject({
      name: '周末满减', status: 'active', phase: 'running', priority: 5, description: '', scope: { type: 'all' },
      summary: { zh: '满100减10，满200减30，满300减50', en: '¥10 off over ¥100; ¥30 off over ¥200; ¥50 off over ¥300' },
      terms: { kind: 'tiered_reduction', repeat: null },
    });
    const read = await shop.call('GET', `/admin/campaigns/${c.id}`, { staff });
    expect(campaignOf(read.body)).toEqual(c);
  });

  it('gift and discount campaigns are summarised in both languages', async () => {
    const gift = await createCampaign(shop, { terms: { kind: 'gift', threshold: 19_900, skuId: 'sku-cup', giftName: '保温杯' } });
    const zhe = await createCampaign(shop, { scope: { type: 'categories', ids: ['shoes'] }, terms: { kind: 'discount', percentOffBps: 1_500 } });
    const every = await createCampaign(shop, { terms: { kind: 'tiered_reduction', tiers: [{ threshold: 10_000, off: 1_000 }], repeat: { maxOff: 5_000 } } });
    const summary = async (id: string) => campaignOf((await shop.call('GET', `/admin/campaigns/${id}`, { staff })).body).summary;
    expect(await summary(gift)).toEqual({ zh: '满199赠保温杯', en: 'Free gift over ¥199' });
    expect(await summary(zhe)).toEqual({ zh: '限时8.5折', en: '15% off' });
    expect(await summary(every)).toEqual({ zh: '每满100减10，最高减50', en: '¥10 off every ¥100, up to ¥50' });
  });

  it('a scheduled campaign reads as scheduled, then running, then ended', async () => {
    const id = await createCampaign(shop, { window: { startsAt: start + day, endsAt: start + 2 * day } });
    const phase = async () => campaignOf((await shop.call('GET', `/admin/campaigns/${id}`, { staff })).body).phase;
    expect(await phase()).toBe('scheduled');
    shop.clock.now = start + day;
    expect(await phase()).toBe('running');
    shop.clock.now = start + 2 * day;
    expect(await phase()).toBe('ended');
  });

  it('an unknown id is CAMPAIGN_NOT_FOUND', async () => {
    const res = await shop.call('GET', '/admin/campaigns/nope', { staff });
    expect([res.status, errorCode(res)]).toEqual([404, 'CAMPAIGN_NOT_FOUND']);
  });

  it('the admin routes are staff only', async () => {
    expect((await shop.call('GET', '/admin/campaigns', { member: 'm1' })).status).toBe(403);
    expect(await shop.rows()).toEqual([]);
  });
});

describe('list', () => {
  it('lists newest first, filtered by status and kind', async () => {
    const a = await createCampaign(shop, { name: 'A' });
    shop.clock.now += 1;
    const b = await createCampaign(shop, { name: 'B', terms: { kind: 'discount', percentOffBps: 2_000 } });
    await shop.call('POST', `/admin/campaigns/${a}/disable`, { staff });
    const ids = async (query: Record<string, string> = {}) => ((await shop.call('GET', '/admin/campaigns', { staff, query })).body as { campaigns: View[] }).campaigns.map((c) => c.id);
    expect(await ids()).toEqual([b, a]);
    expect(await ids({ status: 'disabled' })).toEqual([a]);
    expect(await ids({ kind: 'discount' })).toEqual([b]);
  });

  it('a bad filter is CAMPAIGN_QUERY_INVALID', async () => {
    const res = await shop.call('GET', '/admin/campaigns', { staff, query: { status: 'paused' } });
    expect([res.status, errorCode(res)]).toEqual([400, 'CAMPAIGN_QUERY_INVALID']);
  });
});

describe('replace (PUT)', () => {
  it('replaces the whole campaign, kind included, and keeps its status', async () => {
    const id = await createCampaign(shop);
    await shop.call('POST', `/admin/campaigns/${id}/disable`, { staff });
    shop.clock.now += 1_000;
    const res = await shop.call('PUT', `/admin/campaigns/${id}`, { staff, body: campaignBody({ name: '鞋类8折', scope: { type: 'categories', ids: ['shoes'] }, terms: { kind: 'discount', percentOffBps: 2_000 } }) });
    expect(res.status).toBe(200);
    expect(campaignOf(res.body)).toMatchObject({ id, name: '鞋类8折', status: 'disabled', terms: { kind: 'discount', percentOffBps: 2_000 } });
    expect(await shop.rows()).toMatchObject([{ id, kind: 'discount', tiers: null, percent_off_bps: 2_000, scope_ids: '["shoes"]', updated_at: shop.clock.now }]);
  });

  it('pricing state follows a replaced campaign, even one replaced within the same millisecond (parsed rows are kept by their whole content)', async () => {
    const id = await createCampaign(shop);
    const before = (await shop.loadState()).campaigns;
    expect(before.map((c) => c.terms.kind)).toEqual(['tiered_reduction']);
    expect((await shop.call('PUT', `/admin/campaigns/${id}`, { staff, body: campaignBody({ terms: { kind: 'discount', percentOffBps: 1_500 } }) })).status).toBe(200);
    expect((await shop.loadState()).campaigns).toMatchObject([{ id, terms: { kind: 'discount', percentOffBps: 1_500 } }]);
    // The same row content again: the same parsed campaign.
    expect((await shop.loadState()).campaigns[0]).toBe((await shop.loadState()).campaigns[0]);
  });

  it('a bad body changes nothing', async () => {
    const id = await createCampaign(shop);
    const before = await shop.rows();
    const res = await shop.call('PUT', `/admin/campaigns/${id}`, { staff, body: campaignBody({ terms: { kind: 'discount', percentOffBps: 0 } }) });
    expect([res.status, errorCode(res)]).toEqual([400, 'CAMPAIGN_INVALID']);
    expect(await shop.rows()).toEqual(before);
  });

  it('an ended campaign may be renamed, but not moved into a window already over', async () => {
    const id = await createCampaign(shop);
    shop.clock.now = start + 30 * day;
    expect((await shop.call('PUT', `/admin/campaigns/${id}`, { staff, body: campaignBody({ name: '上周满减' }) })).status).toBe(200);
    const moved = await shop.call('PUT', `/admin/campaigns/${id}`, { staff, body: campaignBody({ window: { startsAt: start, endsAt: start + 8 * day } }) });
    expect([moved.status, errorCode(moved)]).toEqual([400, 'CAMPAIGN_INVALID']);
  });

  it('an unknown id is CAMPAIGN_NOT_FOUND and writes nothing', async () => {
    const res = await shop.call('PUT', '/admin/campaigns/nope', { staff, body: campaignBody() });
    expect([res.status, errorCode(res)]).toEqual([404, 'CAMPAIGN_NOT_FOUND']);
    expect(await shop.rows()).toEqual([]);
  });
});

describe('disable and enable', () => {
  it('disable takes a campaign out of pricing at once; enable brings it back', async () => {
    const id = await createCampaign(shop);
    expect((await shop.loadState()).campaigns.map((c) => c.id)).toEqual([id]);
    const off = await shop.call('POST', `/admin/campaigns/${id}/disable`, { staff });
    expect(campaignOf(off.body)).toMatchObject({ status: 'disabled', phase: 'disabled' });
    expect((await shop.loadState()).campaigns).toEqual([]);
    // Twice is fine: the same answer, nothing else changes.
    expect(campaignOf((await shop.call('POST', `/admin/campaigns/${id}/disable`, { staff })).body).status).toBe('disabled');
    await shop.call('POST', `/admin/campaigns/${id}/enable`, { staff });
    expect((await shop.loadState()).campaigns.map((c) => c.id)).toEqual([id]);
  });

  it('an unknown id is CAMPAIGN_NOT_FOUND', async () => {
    const res = await shop.call('POST', '/admin/campaigns/nope/disable', { staff });
    expect([res.status, errorCode(res)]).toEqual([404, 'CAMPAIGN_NOT_FOUND']);
  });
});
