import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claim, createTemplate, day, errorCode, openTestShop, start, templateBody, type TestShop } from './test-shop';

let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

const staff = 'staff-1';
type TemplateJson = { id: string; status: string; issued: number; remaining: number; quantity: number; name: string; summary: { zh: string; en: string }; terms: unknown };
const templateOf = (body: unknown) => (body as { template: TemplateJson }).template;

describe('admin: templates', () => {
  it('creates the three kinds and lists them newest first with their terms in words', async () => {
    await createTemplate(shop, { name: '满减', terms: { kind: 'threshold', amountOff: 2000, threshold: 10_000 } });
    shop.clock.now += 1;
    await createTemplate(shop, { name: '折扣', terms: { kind: 'percent', percentOffBps: 1500, maxDiscount: 5000 } });
    shop.clock.now += 1;
    await createTemplate(shop, { name: '无门槛', terms: { kind: 'fixed', amountOff: 500 }, scope: { type: 'products', ids: ['p1', 'p2'] } });
    const res = await shop.call('GET', '/admin/templates', { staff });
    const list = (res.body as { templates: TemplateJson[] }).templates;
    expect(list.map((t) => [t.name, t.summary.zh, t.status, t.remaining])).toEqual([
      ['无门槛', '无门槛减5', 'active', 100],
      ['折扣', '8.5折，最高减50', 'active', 100],
      ['满减', '满100减20', 'active', 100],
    ]);
    expect(list[1]!.terms).toEqual({ kind: 'percent', percentOffBps: 1500, maxDiscount: 5000, threshold: 0 });
  });

  it('refuses invalid bodies before the handler, and windows already over when saved', async () => {
    const bad = await shop.call('POST', '/admin/templates', { staff, body: templateBody({ terms: { kind: 'percent', percentOffBps: 10_000 } }) });
    expect(bad.status).toBe(400);
    const past = await shop.call('POST', '/admin/templates', { staff, body: templateBody({ validity: { type: 'absolute', startsAt: start - 2 * day, endsAt: start - day } }) });
    expect([past.status, errorCode(past)]).toEqual([400, 'COUPON_TEMPLATE_INVALID']);
    expect(past.body).toMatchObject({ error: { details: { issues: [{ path: 'validity.endsAt' }] } } });
    expect((await shop.call('GET', '/admin/templates', { staff })).body).toEqual({ templates: [] });
  });

  it('is staff only', async () => {
    expect((await shop.call('GET', '/admin/templates', { member: 'm1' })).status).toBe(403);
  });

  it('changes anything while nothing is claimed; afterwards terms, scope and validity are locked', async () => {
    const t = await createTemplate(shop);
    const edited = await shop.call('PATCH', `/admin/templates/${t}`, { staff, body: { terms: { kind: 'threshold', amountOff: 3000, threshold: 15_000 }, name: '满150减30' } });
    expect(templateOf(edited.body)).toMatchObject({ name: '满150减30', summary: { zh: '满150减30' } });

    await claim(shop, t, 'm1');
    const locked = await shop.call('PATCH', `/admin/templates/${t}`, { staff, body: { terms: { kind: 'threshold', amountOff: 5000, threshold: 15_000 } } });
    expect([locked.status, errorCode(locked)]).toEqual([409, 'COUPON_TERMS_LOCKED']);
    expect(errorCode(await shop.call('PATCH', `/admin/templates/${t}`, { staff, body: { scope: { type: 'products', ids: ['p1'] } } }))).toBe('COUPON_TERMS_LOCKED');
    // The same terms again are no change; name, quantity and limits still change.
    const renamed = await shop.call('PATCH', `/admin/templates/${t}`, { staff, body: { terms: { kind: 'threshold', amountOff: 3000, threshold: 15_000 }, name: '新名字', quantity: 500, perMemberLimit: 3 } });
    expect(templateOf(renamed.body)).toMatchObject({ name: '新名字', quantity: 500, issued: 1, remaining: 499 });
  });

  it('keeps the quantity at or above what was claimed, and the merged template valid', async () => {
    const t = await createTemplate(shop, { quantity: 5, perMemberLimit: 5 });
    for (let i = 0; i < 3; i++) await claim(shop, t, 'm1');
    const below = await shop.call('PATCH', `/admin/templates/${t}`, { staff, body: { quantity: 2 } });
    expect([below.status, errorCode(below), below.body]).toMatchObject([409, 'COUPON_QUANTITY_BELOW_ISSUED', { error: { details: { issued: 3 } } }]);
    expect(templateOf((await shop.call('PATCH', `/admin/templates/${t}`, { staff, body: { quantity: 3 } })).body).remaining).toBe(0);
    // Invalid on its own: the route's input schema refuses it before the handler.
    const fresh = await createTemplate(shop, { validity: { type: 'absolute', startsAt: start, endsAt: start + 5 * day } });
    expect((await shop.call('PATCH', `/admin/templates/${fresh}`, { staff, body: { terms: { kind: 'fixed', amountOff: 20_000, threshold: 10_000 } } })).status).toBe(400);
    // Valid alone, invalid with what is stored: claiming past the stored validity.
    const merged = await shop.call('PATCH', `/admin/templates/${fresh}`, { staff, body: { claimWindow: { startsAt: null, endsAt: start + 6 * day } } });
    expect([merged.status, errorCode(merged)]).toEqual([400, 'COUPON_TEMPLATE_INVALID']);
    expect(merged.body).toMatchObject({ error: { details: { issues: [{ path: 'claimWindow', message: 'claiming must close by the time the coupons expire' }] } } });
    expect(errorCode(await shop.call('PATCH', '/admin/templates/nope', { staff, body: { name: 'x' } }))).toBe('COUPON_TEMPLATE_NOT_FOUND');
  });

  it('disables and enables; a list filtered by status', async () => {
    const a = await createTemplate(shop, { name: 'a' });
    await createTemplate(shop, { name: 'b' });
    expect(templateOf((await shop.call('POST', `/admin/templates/${a}/disable`, { staff })).body).status).toBe('disabled');
    expect(templateOf((await shop.call('POST', `/admin/templates/${a}/disable`, { staff })).body).status).toBe('disabled');
    const names = async (status: string) => ((await shop.call('GET', '/admin/templates', { staff, query: { status } })).body as { templates: TemplateJson[] }).templates.map((t) => t.name);
    expect(await names('disabled')).toEqual(['a']);
    expect(await names('active')).toEqual(['b']);
    expect(errorCode(await shop.call('GET', '/admin/templates', { staff, query: { status: 'gone' } }))).toBe('COUPON_QUERY_INVALID');
    expect(errorCode(await shop.call('POST', '/admin/templates/nope/disable', { staff }))).toBe('COUPON_TEMPLATE_NOT_FOUND');
  });

  it('reports issue statistics: claimed, left, and what became of them', async () => {
    const t = await createTemplate(shop, { quantity: 10, perMemberLimit: 5, validity: { type: 'relative', days: 2 } });
    const [a, b] = [await claim(shop, t, 'm1'), await claim(shop, t, 'm1')];
    await claim(shop, t, 'm2');
    await shop.deliver('order.placed', { orderId: 'o1', orderNo: 'N1', memberId: 'm1', payTotal: 10_000, lines: [{ lineId: 'l1', skuId: 's', productId: 'p', quantity: 1, paidAmount: 10_000 }], applied: [{ kind: 'order_discount', amount: 2000, ref: a }] });
    await shop.deliver('order.paid', { orderId: 'o1', orderNo: 'N1', memberId: 'm1', payTotal: 10_000, itemsPaid: 10_000, paidAt: shop.clock.now });
    await shop.deliver('order.placed', { orderId: 'o2', orderNo: 'N2', memberId: 'm1', payTotal: 10_000, lines: [{ lineId: 'l1', skuId: 's', productId: 'p', quantity: 1, paidAmount: 10_000 }], applied: [{ kind: 'order_discount', amount: 2000, ref: b }] });
    let stats = (await shop.call('GET', `/admin/templates/${t}`, { staff })).body;
    expect(stats).toMatchObject({ stats: { issued: 3, remaining: 7, available: 1, locked: 1, used: 1, expired: 0, redeemed: 1, discountTotal: 2000, returned: 0, conflicts: 0 } });
    shop.clock.now += 3 * day;
    stats = (await shop.call('GET', `/admin/templates/${t}`, { staff })).body;
    expect(stats).toMatchObject({ stats: { available: 0, locked: 1, used: 1, expired: 1 } });
    expect(errorCode(await shop.call('GET', '/admin/templates/nope', { staff }))).toBe('COUPON_TEMPLATE_NOT_FOUND');
  });
});
