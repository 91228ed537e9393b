import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activityBody, createActivity, day, errorCode, hour, line, openTestShop, start, type TestShop } from './test-shop';

let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

const staff = 'staff-1';
const post = (body: Record<string, unknown>) => shop.call('POST', '/admin/activities', { staff, body });
const patch = (id: string, body: Record<string, unknown>) => shop.call('PATCH', `/admin/activities/${id}`, { staff, body });
const issues = (res: { body: unknown }) => (res.body as { error: { details: { issues: { path: string }[] } } }).error.details.issues.map((i) => i.path);
const entry = (skuId: string, extra: Record<string, unknown> = {}) => ({ skuId, productId: `p-${skuId}`, flashPrice: 5_900, stock: 10, limitPerMember: 2, ...extra });

/** Creating must leave nothing behind when refused. */
async function expectNothingWritten() {
  expect(await shop.rows('plg_flash_sale_activities')).toEqual([]);
  expect(await shop.rows('plg_flash_sale_entries')).toEqual([]);
}

describe('creating, listing and reading activities', () => {
  it('creates an active sale with its entries; the per-member limit defaults to 1', async () => {
    const res = await post(activityBody({ entries: [entry('sku-a'), { skuId: 'sku-b', productId: 'p-b', flashPrice: 100, stock: 3 }] }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ activity: {
      name: '周末秒杀', startsAt: start, endsAt: start + 2 * hour, status: 'active', phase: 'live',
      entries: [
        { skuId: 'sku-a', productId: 'p-sku-a', flashPrice: 5_900, stock: 10, sold: 0, remaining: 10, limitPerMember: 2 },
        { skuId: 'sku-b', flashPrice: 100, stock: 3, limitPerMember: 1 },
      ],
    } });
    const id = (res.body as { activity: { id: string } }).activity.id;
    const list = await shop.call('GET', '/admin/activities', { staff });
    expect(list.body).toMatchObject({ serverTime: start, activities: [{ id, entries: [{ skuId: 'sku-a' }, { skuId: 'sku-b' }] }] });
    const one = await shop.call('GET', `/admin/activities/${id}`, { staff });
    expect(one.body).toMatchObject({ activity: { id }, stats: { entries: [{ skuId: 'sku-a', sold: 0, remaining: 10 }, { skuId: 'sku-b', sold: 0 }] } });
  });

  it('a draft is listed by status and shows no phase of its window', async () => {
    await createActivity(shop, { status: 'draft' });
    await createActivity(shop, { entries: [entry('sku-z')], startsAt: start + day, endsAt: start + day + hour });
    const drafts = await shop.call('GET', '/admin/activities', { staff, query: { status: 'draft' } });
    expect((drafts.body as { activities: { phase: string }[] }).activities.map((a) => a.phase)).toEqual(['draft']);
    const active = await shop.call('GET', '/admin/activities', { staff, query: { status: 'active' } });
    expect((active.body as { activities: { phase: string }[] }).activities.map((a) => a.phase)).toEqual(['upcoming']);
    expect(errorCode(await shop.call('GET', '/admin/activities', { staff, query: { status: 'gone' } }))).toBe('FLASH_SALE_QUERY_INVALID');
  });

  it('only staff reach the admin routes; an unknown id is FLASH_SALE_ACTIVITY_NOT_FOUND', async () => {
    expect((await shop.call('POST', '/admin/activities', { member: 'm1', body: activityBody() })).status).toBe(403);
    expect(errorCode(await shop.call('GET', '/admin/activities/nope', { staff }))).toBe('FLASH_SALE_ACTIVITY_NOT_FOUND');
    expect(errorCode(await patch('nope', { name: 'x' }))).toBe('FLASH_SALE_ACTIVITY_NOT_FOUND');
    expect(errorCode(await shop.call('POST', '/admin/activities/nope/disable', { staff }))).toBe('FLASH_SALE_ACTIVITY_NOT_FOUND');
    expect(errorCode(await shop.call('POST', '/admin/activities/nope/activate', { staff }))).toBe('FLASH_SALE_ACTIVITY_NOT_FOUND');
  });

  it('stats: sold per SKU, paid and given back, orders and buyers', async () => {
    const a = await createActivity(shop, { entries: [entry('sku-a'), entry('sku-b')] });
    const o1 = await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 2), line('sku-b', 9_900, 1)] });
    const o2 = await shop.place({ member: 'm2', lines: [line('sku-a', 9_900, 1)] });
    await shop.deliver('order.paid', { orderId: o1.orderId, orderNo: 'n', memberId: 'm1', payTotal: 1, itemsPaid: 1, paidAt: start });
    await shop.deliver('order.cancelled', { orderId: o2.orderId, orderNo: 'n', memberId: 'm2', reason: 'timeout' });
    const res = await shop.call('GET', `/admin/activities/${a.id}`, { staff });
    expect((res.body as { stats: unknown }).stats).toEqual({ entries: [
      { entryId: a.entries[0]!.id, skuId: 'sku-a', stock: 10, sold: 2, remaining: 8, paidUnits: 2, releasedUnits: 1, orders: 1, buyers: 1, flashRevenue: 2 * 5_900 },
      { entryId: a.entries[1]!.id, skuId: 'sku-b', stock: 10, sold: 1, remaining: 9, paidUnits: 1, releasedUnits: 0, orders: 1, buyers: 1, flashRevenue: 5_900 },
    ] });
  });
});

describe('bad input: each refusal has its code and writes nothing', () => {
  it('an activity whose end is before its start: FLASH_SALE_ACTIVITY_INVALID at endsAt', async () => {
    const res = await post(activityBody({ startsAt: start + hour, endsAt: start }));
    expect([res.status, errorCode(res)]).toEqual([400, 'FLASH_SALE_ACTIVITY_INVALID']);
    expect(issues(res)).toEqual(['endsAt']);
    expect(res.body).toMatchObject({ error: { message: { zh: '秒杀活动设置不正确', en: 'The flash sale settings are not valid' } } });
    await expectNothingWritten();
  });

  it('an activity that ends when it starts is refused the same way', async () => {
    const res = await post(activityBody({ startsAt: start + hour, endsAt: start + hour }));
    expect([errorCode(res), issues(res)]).toEqual(['FLASH_SALE_ACTIVITY_INVALID', ['endsAt']]);
    await expectNothingWritten();
  });

  it('zero stock: FLASH_SALE_ACTIVITY_INVALID at the entry\'s stock', async () => {
    const res = await post(activityBody({ entries: [entry('sku-a', { stock: 0 })] }));
    expect([res.status, errorCode(res), issues(res)]).toEqual([400, 'FLASH_SALE_ACTIVITY_INVALID', ['entries.0.stock']]);
    await expectNothingWritten();
  });

  it('negative stock: FLASH_SALE_ACTIVITY_INVALID at the entry\'s stock', async () => {
    const res = await post(activityBody({ entries: [entry('sku-a'), entry('sku-b', { stock: -5 })] }));
    expect([errorCode(res), issues(res)]).toEqual(['FLASH_SALE_ACTIVITY_INVALID', ['entries.1.stock']]);
    await expectNothingWritten();
  });

  it('a flash price of 0, below 0 or not whole fen; a limit of 0', async () => {
    for (const [bad, path] of [[{ flashPrice: 0 }, 'entries.0.flashPrice'], [{ flashPrice: -100 }, 'entries.0.flashPrice'], [{ flashPrice: 59.5 }, 'entries.0.flashPrice'], [{ limitPerMember: 0 }, 'entries.0.limitPerMember'], [{ stock: 2.5 }, 'entries.0.stock']] as const) {
      const res = await post(activityBody({ entries: [entry('sku-a', bad)] }));
      expect([errorCode(res), issues(res)]).toEqual(['FLASH_SALE_ACTIVITY_INVALID', [path]]);
    }
    await expectNothingWritten();
  });

  it('no SKU, or one SKU twice', async () => {
    expect(issues(await post(activityBody({ entries: [] })))).toEqual(['entries']);
    expect(issues(await post(activityBody({ entries: [entry('sku-a'), entry('sku-a')] })))).toEqual(['entries']);
    await expectNothingWritten();
  });

  it('a window already over when saved', async () => {
    const res = await post(activityBody({ startsAt: start - 2 * hour, endsAt: start }));
    expect([errorCode(res), issues(res)]).toEqual(['FLASH_SALE_ACTIVITY_INVALID', ['endsAt']]);
    await expectNothingWritten();
  });

  it('a malformed body never reaches the handler: the platform answers 400', async () => {
    const res = await post({ ...activityBody(), startsAt: 'tomorrow' });
    expect(res.status).toBe(400);
    await expectNothingWritten();
  });
});

describe('one SKU is never in two overlapping active sales', () => {
  it('bad input: an overlapping activity for the same SKU is FLASH_SALE_SKU_OVERLAP, naming the sale it clashes with', async () => {
    const first = await createActivity(shop); // sku-a, start … start + 2h
    const before = await shop.snapshot();
    const res = await post(activityBody({ name: '加场', startsAt: start + hour, endsAt: start + 3 * hour, entries: [entry('sku-b'), entry('sku-a')] }));
    expect([res.status, errorCode(res)]).toEqual([409, 'FLASH_SALE_SKU_OVERLAP']);
    expect(res.body).toMatchObject({ error: { details: { conflicts: [{ skuId: 'sku-a', activityId: first.id, activityName: '周末秒杀' }] } } });
    expect(await shop.snapshot()).toEqual(before);
  });

  it('back to back, another SKU, a draft or a disabled sale do not clash', async () => {
    const first = await createActivity(shop);
    await createActivity(shop, { startsAt: start + 2 * hour, endsAt: start + 3 * hour });
    await createActivity(shop, { entries: [entry('sku-b')] });
    const draft = await createActivity(shop, { status: 'draft' });
    // Activating the draft is where its clash is refused …
    expect(errorCode(await shop.call('POST', `/admin/activities/${draft.id}/activate`, { staff }))).toBe('FLASH_SALE_SKU_OVERLAP');
    // … and allowed once the other sale is disabled.
    await shop.call('POST', `/admin/activities/${first.id}/disable`, { staff });
    const activated = await shop.call('POST', `/admin/activities/${draft.id}/activate`, { staff });
    expect(activated.body).toMatchObject({ activity: { status: 'active', phase: 'live' } });
    expect(errorCode(await shop.call('POST', `/admin/activities/${first.id}/activate`, { staff }))).toBe('FLASH_SALE_SKU_OVERLAP');
  });

  it('an update that moves the window onto another sale, or adds its SKU, is refused', async () => {
    await createActivity(shop);
    const later = await createActivity(shop, { startsAt: start + 4 * hour, endsAt: start + 5 * hour, entries: [entry('sku-a')] });
    expect(errorCode(await patch(later.id, { startsAt: start + hour }))).toBe('FLASH_SALE_SKU_OVERLAP');
    const other = await createActivity(shop, { entries: [entry('sku-b')] });
    expect(errorCode(await patch(other.id, { entries: [entry('sku-b'), entry('sku-a')] }))).toBe('FLASH_SALE_SKU_OVERLAP');
    expect((await shop.rows('plg_flash_sale_entries')).map((e) => e.sku_id)).toEqual(['sku-a', 'sku-a', 'sku-b']);
  });

  it('the database holds the rule when two admins race, or a write skips the route', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => post(activityBody({ name: `场次${i}`, startsAt: start + i * 10 * 60_000, endsAt: start + 3 * hour }))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.filter((r) => r.status !== 201).map(errorCode))).toEqual(new Set(['FLASH_SALE_SKU_OVERLAP']));
    const activity = (results.find((r) => r.status === 201)!.body as { activity: { id: string } }).activity.id;
    await shop.db.execute(`INSERT INTO plg_flash_sale_activities (id, name, starts_at, ends_at, status, created_at, updated_at) VALUES ('x', 'x', ?, ?, 'active', 0, 0)`, [start, start + hour]);
    await expect(shop.db.execute(`INSERT INTO plg_flash_sale_entries (id, activity_id, sku_id, product_id, position, flash_price, stock, limit_per_member) VALUES ('ex', 'x', 'sku-a', 'p', 0, 1, 1, 1)`))
      .rejects.toThrow(/plg_flash_sale_sku_overlap/);
    expect(activity).not.toBe('x');
  });
});

describe('updating and switching off', () => {
  it('a patch renames, reschedules and edits entries; kept SKUs keep their entry id and sold units', async () => {
    const a = await createActivity(shop, { entries: [entry('sku-a'), entry('sku-b')] });
    await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 2)] });
    const res = await patch(a.id, { name: '改名', endsAt: start + 4 * hour, entries: [entry('sku-a', { stock: 5, flashPrice: 4_900 }), entry('sku-c')] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ activity: { name: '改名', endsAt: start + 4 * hour, entries: [
      { id: a.entries[0]!.id, skuId: 'sku-a', stock: 5, sold: 2, remaining: 3, flashPrice: 4_900 },
      { skuId: 'sku-c', sold: 0 },
    ] } });
  });

  it('stock below what is sold: FLASH_SALE_STOCK_BELOW_SOLD; removing a SKU that sold: FLASH_SALE_ENTRY_HAS_SALES', async () => {
    const a = await createActivity(shop, { entries: [entry('sku-a'), entry('sku-b')] });
    await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 2)] });
    const before = await shop.snapshot();
    const below = await patch(a.id, { entries: [entry('sku-a', { stock: 1 }), entry('sku-b')] });
    expect([below.status, errorCode(below)]).toEqual([409, 'FLASH_SALE_STOCK_BELOW_SOLD']);
    expect(errorCode(await patch(a.id, { entries: [entry('sku-b')] }))).toBe('FLASH_SALE_ENTRY_HAS_SALES');
    expect(await shop.snapshot()).toEqual(before);
    // Even once the units came back, an entry with purchases stays (its history is the stats).
    await shop.deliver('order.cancelled', { orderId: 'order-1', orderNo: 'n', memberId: 'm1', reason: 'buyer' });
    expect(errorCode(await patch(a.id, { entries: [entry('sku-b')] }))).toBe('FLASH_SALE_ENTRY_HAS_SALES');
    await expect(shop.db.execute('DELETE FROM plg_flash_sale_entries WHERE id = ?', [a.entries[0]!.id])).rejects.toThrow(/plg_flash_sale_entry_has_sales/);
    // A SKU that never sold may go.
    expect((await patch(a.id, { entries: [entry('sku-a')] })).status).toBe(200);
  });

  it('a patch is checked by the same rules as a new sale', async () => {
    const a = await createActivity(shop);
    expect([errorCode(await patch(a.id, { endsAt: start - hour })), issues(await patch(a.id, { endsAt: start - hour }))]).toEqual(['FLASH_SALE_ACTIVITY_INVALID', ['endsAt']]);
    expect(issues(await patch(a.id, { entries: [entry('sku-a', { stock: 0 })] }))).toEqual(['entries.0.stock']);
    shop.clock.now = start + hour;
    expect(issues(await patch(a.id, { startsAt: start - 2 * hour, endsAt: start + hour }))).toEqual(['endsAt']);
  });

  it('disable: no flash price from then on; an ended sale cannot be enabled again', async () => {
    const a = await createActivity(shop);
    const res = await shop.call('POST', `/admin/activities/${a.id}/disable`, { staff });
    expect(res.body).toMatchObject({ activity: { status: 'disabled', phase: 'disabled' } });
    expect((await shop.loadState('m1', [line('sku-a', 9_900)])).entries).toEqual([]);
    shop.clock.now = start + 2 * hour;
    expect(errorCode(await shop.call('POST', `/admin/activities/${a.id}/activate`, { staff }))).toBe('FLASH_SALE_ACTIVITY_ENDED');
  });

  it('the dashboard card: live and upcoming sales with units sold against stock', async () => {
    const live = await createActivity(shop);
    await createActivity(shop, { name: '明日', startsAt: start + day, endsAt: start + day + hour, entries: [entry('sku-a', { stock: 4 })] });
    await shop.place({ member: 'm1', lines: [line('sku-a', 9_900, 2)] });
    const res = await shop.call('GET', '/admin/overview', { staff });
    expect(res.body).toMatchObject({
      serverTime: start,
      live: [{ id: live.id, sold: 2, stock: 10, skus: 1 }],
      upcoming: [{ name: '明日', sold: 0, stock: 4 }],
      totals: { liveActivities: 1, sold: 2, stock: 10 },
    });
  });
});
