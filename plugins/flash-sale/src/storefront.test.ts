import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivity, day, errorCode, hour, line, openTestShop, start, type TestShop } from './test-shop';

let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

type Listed = { serverTime: number; activities: { id: string; name: string; phase: string; entries: { skuId: string; remaining: number; soldOut: boolean }[] }[] };
const list = async (query: Record<string, string> = {}) => (await shop.call('GET', '/activities', { query })).body as Listed;
const entry = (skuId: string, extra: Record<string, unknown> = {}) => ({ skuId, productId: `p-${skuId}`, flashPrice: 5_900, stock: 10, limitPerMember: 2, ...extra });

describe('GET /activities: live and upcoming sales for the banner and countdown', () => {
  it('live now and starting within showUpcomingHours (24 by default), soonest first, with the server time', async () => {
    const live = await createActivity(shop);
    const soon = await createActivity(shop, { name: '今晚', startsAt: start + 6 * hour, endsAt: start + 7 * hour, entries: [entry('sku-b')] });
    await createActivity(shop, { name: '后天', startsAt: start + 2 * day, endsAt: start + 2 * day + hour, entries: [entry('sku-c')] });
    await createActivity(shop, { name: '草稿', status: 'draft', entries: [entry('sku-d')] });
    const body = await list();
    expect(body.serverTime).toBe(start);
    expect(body.activities.map((a) => [a.id, a.phase])).toEqual([[live.id, 'live'], [soon.id, 'upcoming']]);
  });

  it('the horizon follows the setting; 0 shows live sales only', async () => {
    await createActivity(shop, { name: '后天', startsAt: start + 2 * day, endsAt: start + 2 * day + hour });
    expect((await list()).activities).toEqual([]);
    shop.settings.showUpcomingHours = 48;
    expect((await list()).activities.map((a) => a.name)).toEqual(['后天']);
    shop.settings.showUpcomingHours = 0;
    expect((await list()).activities).toEqual([]);
  });

  it('remaining units and sold-out per SKU; an ended or disabled sale disappears', async () => {
    const a = await createActivity(shop, { entries: [entry('sku-a', { stock: 2 }), entry('sku-b')] });
    await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 2), line('sku-b', 9_900, 1)] });
    expect((await list()).activities[0]!.entries.map((e) => [e.skuId, e.remaining, e.soldOut])).toEqual([['sku-a', 0, true], ['sku-b', 9, false]]);
    shop.clock.now = start + 2 * hour;
    expect((await list()).activities).toEqual([]);
    shop.clock.now = start;
    await shop.call('POST', `/admin/activities/${a.id}/disable`, { staff: 's1' });
    expect((await list()).activities).toEqual([]);
  });

  it('for a product page: only sales of that product (or SKU), with only its entries', async () => {
    await createActivity(shop, { entries: [entry('sku-a'), entry('sku-b')] });
    await createActivity(shop, { startsAt: start + hour, endsAt: start + 3 * hour, entries: [entry('sku-c')] });
    expect((await list({ productId: 'p-sku-b' })).activities.map((a) => a.entries.map((e) => e.skuId))).toEqual([['sku-b']]);
    expect((await list({ skuId: 'sku-c' })).activities.map((a) => a.phase)).toEqual(['upcoming']);
    expect((await list({ productId: 'p-none' })).activities).toEqual([]);
    expect(errorCode(await shop.call('GET', '/activities', { query: { color: 'red' } }))).toBe('FLASH_SALE_QUERY_INVALID');
  });
});

describe('GET /activities/:id and the member\'s allowance', () => {
  it('one active sale in any phase (a shared link after the end says it ended); drafts and unknown ids are not found', async () => {
    const a = await createActivity(shop);
    shop.clock.now = start + 3 * hour;
    expect((await shop.call('GET', `/activities/${a.id}`)).body).toMatchObject({ serverTime: start + 3 * hour, activity: { id: a.id, phase: 'ended' } });
    const draft = await createActivity(shop, { status: 'draft', startsAt: start + 4 * hour, endsAt: start + 5 * hour });
    expect(errorCode(await shop.call('GET', `/activities/${draft.id}`))).toBe('FLASH_SALE_ACTIVITY_NOT_FOUND');
    expect(errorCode(await shop.call('GET', '/activities/nope'))).toBe('FLASH_SALE_ACTIVITY_NOT_FOUND');
  });

  it('mine: bought, allowance left and what can still be bought now; a cancelled order gives the allowance back', async () => {
    const a = await createActivity(shop, { entries: [entry('sku-a', { limitPerMember: 3, stock: 4 }), entry('sku-b')] });
    const o = await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 2)] });
    await shop.place({ member: 'm2', lines: [line('sku-a', 9_900, 1)] });
    const mine = await shop.call('GET', `/activities/${a.id}/mine`, { member: 'm1' });
    expect(mine.body).toMatchObject({ serverTime: start, activityId: a.id, phase: 'live', entries: [
      { skuId: 'sku-a', bought: 2, limitPerMember: 3, allowance: 1, remaining: 1, canBuy: 1 },
      { skuId: 'sku-b', bought: 0, limitPerMember: 2, allowance: 2, remaining: 10, canBuy: 2 },
    ] });
    await shop.deliver('order.cancelled', { orderId: o.orderId, orderNo: 'n', memberId: 'm1', reason: 'buyer' });
    expect((await shop.call('GET', `/activities/${a.id}/mine`, { member: 'm1' })).body).toMatchObject({ entries: [{ bought: 0, allowance: 3, remaining: 3, canBuy: 3 }, {}] });
  });

  it('mine needs a member; an unknown sale is not found', async () => {
    const a = await createActivity(shop);
    expect((await shop.call('GET', `/activities/${a.id}/mine`)).status).toBe(401);
    expect(errorCode(await shop.call('GET', '/activities/nope/mine', { member: 'm1' }))).toBe('FLASH_SALE_ACTIVITY_NOT_FOUND');
  });
});
