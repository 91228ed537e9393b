import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, cookieHeader, type TestApp } from '../testing/test-app';

const HOST = 'rev.localhost';
let t: TestApp;
let owner: string;
let buyer: string;
let addressId: string;
let skuId: string;
let productId: string;
let seq = 0;

const call = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });

async function order(quantity = 1) {
  const b = call(buyer);
  const placed = await b('/checkout/submit', { body: { items: [{ skuId, quantity }], addressId, clientKey: `rev-key-${seq++}`, expectedPayTotal: 10000 * quantity } });
  expect(placed.status).toBe(201);
  await b(`/payments/sandbox/${placed.body.payment.intentId}/complete`, { body: { outcome: 'paid' } });
  const detail = await b(`/orders/${placed.body.order.id}`);
  return { id: placed.body.order.id as string, lineId: detail.body.lines[0].id as string };
}

beforeAll(async () => {
  t = await createTestApp();
  ({ ownerCookie: owner } = await t.signupAndLogin('rev'));
  const admin = call(owner);
  const category = (await admin('/admin/categories', { body: { name: '书' } })).body.category.id;
  const created = await admin('/admin/products', { body: { title: '好书', categoryId: category, status: 'on', skus: [{ price: 10000, stock: 6 }], lowStockThreshold: 2, autoOffShelf: true } });
  skuId = created.body.skus[0].id;
  productId = created.body.product.id;
  buyer = cookieHeader((await t.request(HOST, '/api/member/register', { body: { username: 'reader', password: 'buyer-pass-1' }, cookies: '' })).setCookies);
  addressId = (await call(buyer)('/member/addresses', { body: { name: '吴八', phone: '13400000000', province: '北京', city: '北京', district: '', detail: '1 号' } })).body.address.id;
});
afterAll(async () => { await t.close(); });

describe('reviews (C9)', () => {
  it('accepts one review per completed line, strips markup, averages visible ratings, lets staff hide', async () => {
    const o = await order();
    const early = await call(buyer)(`/orders/${o.id}/lines/${o.lineId}/review`, { body: { rating: 5, text: '好' } });
    expect(early.body.error.code).toBe('ORDER_STATE');
    await call(owner)(`/admin/orders/${o.id}/ship`, { body: { carrier: '顺丰', trackingNo: 'SF55555555' } });
    await call(buyer)(`/orders/${o.id}/receive`, { method: 'POST' });
    t.clock.advance(8 * 86_400_000);
    await t.platform.scheduler.runAll();
    const res = await call(buyer)(`/orders/${o.id}/lines/${o.lineId}/review`, { body: { rating: 4, text: '<script>alert(1)</script>纸张<b>很好</b> <img src=x onerror=alert(2)>' } });
    expect(res.status).toBe(201);
    expect(res.body.review.text).toBe('纸张很好');
    expect((await call(buyer)(`/orders/${o.id}/lines/${o.lineId}/review`, { body: { rating: 1, text: '再来' } })).body.error.code).toBe('ORDER_STATE');
    const summary = await t.request(HOST, `/api/catalog/products/${productId}/reviews`);
    expect(summary.body).toMatchObject({ count: 1, average: 4 });
    await call(owner)(`/admin/reviews/${res.body.review.id}/visibility`, { body: { hidden: true } });
    expect((await t.request(HOST, `/api/catalog/products/${productId}/reviews`)).body).toMatchObject({ count: 0, average: null, items: [] });
  });
});

describe('notifications (C10) and stock alerts (B4)', () => {
  it('tells the buyer paid and shipped, tells staff of a paid order and of stock crossing the threshold, and takes a sold-out product off the shelf', async () => {
    const o = await order(4); // 5 left → 1: crosses the threshold of 2 and leaves 1
    await call(owner)(`/admin/orders/${o.id}/ship`, { body: { carrier: '中通', trackingNo: 'ZT11112222' } });
    const mine = await call(buyer)('/notifications');
    expect(mine.body.items.map((n: { type: string }) => n.type)).toEqual(expect.arrayContaining(['order.paid', 'order.shipped']));
    const staff = await call(owner)('/admin/notifications');
    expect(staff.body.items.filter((n: { type: string }) => n.type === 'stock.low')).toHaveLength(1);
    expect(staff.body.items.some((n: { type: string; body: string }) => n.type === 'order.paid' && n.body.includes('¥400.00'))).toBe(true);
    await call(buyer)('/notifications/read', { body: {} });
    expect((await call(buyer)('/notifications')).body.unread).toBe(0);

    const last = await call(buyer)('/checkout/submit', { body: { items: [{ skuId, quantity: 1 }], addressId, clientKey: `rev-key-last`, expectedPayTotal: 10000 } });
    expect(last.status).toBe(201);
    expect((await t.request(HOST, `/api/catalog/products/${productId}`)).status).toBe(404); // sold out → off the shelf
    expect((await call(owner)('/admin/notifications')).body.items.filter((n: { type: string }) => n.type === 'stock.low')).toHaveLength(1);
  });
});
