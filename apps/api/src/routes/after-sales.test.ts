import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, cookieHeader, type TestApp } from '../testing/test-app';

const HOST = 'svc.localhost';
let t: TestApp;
let owner: string;
let buyer: string;
let addressId: string;
let skuA: string; // ¥100
let skuB: string; // ¥50
let seq = 0;

const call = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });
const db = () => t.shopDb('svc');
const stock = async (sku: string) => Number((await (await db()).execute({ sql: 'SELECT stock FROM skus WHERE id = ?', args: [sku] })).rows[0]!.stock);

/** A paid order of 2 × A and 1 × B (¥250, free shipping), optionally shipped. */
async function paidOrder(ship = false) {
  const b = call(buyer);
  const placed = await b('/checkout/submit', { body: { items: [{ skuId: skuA, quantity: 2 }, { skuId: skuB, quantity: 1 }], addressId, clientKey: `svc-key-${seq++}`, expectedPayTotal: 25000 } });
  expect(placed.status).toBe(201);
  await b(`/payments/sandbox/${placed.body.payment.intentId}/complete`, { body: { outcome: 'paid' } });
  if (ship) await call(owner)(`/admin/orders/${placed.body.order.id}/ship`, { body: { carrier: '顺丰', trackingNo: `SF${Date.now()}${seq}` } });
  const detail = await b(`/orders/${placed.body.order.id}`);
  const lines = detail.body.lines as { id: string; skuId: string; paidAmount: number }[];
  return { id: placed.body.order.id as string, lineA: lines.find((l) => l.skuId === skuA)!, lineB: lines.find((l) => l.skuId === skuB)! };
}

beforeAll(async () => {
  t = await createTestApp();
  ({ ownerCookie: owner } = await t.signupAndLogin('svc'));
  const admin = call(owner);
  const category = (await admin('/admin/categories', { body: { name: '杂货' } })).body.category.id;
  skuA = (await admin('/admin/products', { body: { title: 'A 商品', categoryId: category, status: 'on', skus: [{ price: 10000, stock: 100 }] } })).body.skus[0].id;
  skuB = (await admin('/admin/products', { body: { title: 'B 商品', categoryId: category, status: 'on', skus: [{ price: 5000, stock: 100 }] } })).body.skus[0].id;
  buyer = cookieHeader((await t.request(HOST, '/api/member/register', { body: { username: 'svc-buyer', password: 'buyer-pass-1' }, cookies: '' })).setCookies);
  addressId = (await call(buyer)('/member/addresses', { body: { name: '周七', phone: '13500000000', province: '江苏', city: '苏州', district: '', detail: '平江路 3 号' } })).body.address.id;
});
afterAll(async () => { await t.close(); });

describe('after-sales (C7)', () => {
  it('refunds part of one line of an unshipped order: money per line, stock back, event with the amounts', async () => {
    const order = await paidOrder();
    // As if a plugin had taken part in the order: only then is there someone to tell of the refund.
    await (await db()).execute({ sql: `UPDATE orders SET plugins = '["points"]' WHERE id = ?`, args: [order.id] });
    const before = await stock(skuA);
    const req = await call(buyer)(`/orders/${order.id}/after-sales`, { body: { kind: 'refund', reason: '拍多了', lines: [{ lineId: order.lineA.id, quantity: 1, amount: 10000 }] } });
    expect(req.status).toBe(201);
    const approved = await call(owner)(`/admin/after-sales/${req.body.afterSale.id}/approve`, { method: 'POST' });
    expect(approved.body.status).toBe('refunded');
    const shop = await db();
    expect(Number((await shop.execute({ sql: 'SELECT refunded_amount FROM order_lines WHERE id = ?', args: [order.lineA.id] })).rows[0]!.refunded_amount)).toBe(10000);
    expect(await stock(skuA)).toBe(before + 1);
    const refund = (await shop.execute({ sql: 'SELECT amount, status, external_id FROM refunds WHERE after_sale_id = ?', args: [req.body.afterSale.id] })).rows[0]!;
    expect(refund).toMatchObject({ amount: 10000, status: 'succeeded' });
    const event = (await shop.execute({ sql: "SELECT payload FROM outbox_events WHERE type = 'order.refunded'", args: [] })).rows.map((r) => JSON.parse(String(r.payload)));
    expect(event).toEqual([{ orderId: order.id, afterSaleId: req.body.afterSale.id, total: 10000, lines: [{ lineId: order.lineA.id, amount: 10000 }] }]);
    expect((await call(buyer)(`/orders/${order.id}`)).body.order.status).toBe('paid');
  });

  it('never refunds more than was paid for a line, and allows one open request per order', async () => {
    const order = await paidOrder();
    const tooMuch = await call(buyer)(`/orders/${order.id}/after-sales`, { body: { kind: 'refund', reason: 'x', lines: [{ lineId: order.lineB.id, quantity: 1, amount: 5001 }] } });
    expect(tooMuch.body.error.code).toBe('REFUND_EXCEEDS');
    const first = await call(buyer)(`/orders/${order.id}/after-sales`, { body: { kind: 'refund', reason: 'x', lines: [{ lineId: order.lineB.id, quantity: 1 }] } });
    expect(first.status).toBe(201);
    const second = await call(buyer)(`/orders/${order.id}/after-sales`, { body: { kind: 'refund', reason: 'y', lines: [{ lineId: order.lineA.id, quantity: 1 }] } });
    expect(second.body.error.code).toBe('AFTER_SALE_OPEN');
    const twice = await Promise.all([1, 2].map(() => call(owner)(`/admin/after-sales/${first.body.afterSale.id}/approve`, { method: 'POST' })));
    expect(twice.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(Number((await (await db()).execute({ sql: 'SELECT count(*) AS n FROM refunds WHERE after_sale_id = ?', args: [first.body.afterSale.id] })).rows[0]!.n)).toBe(1);
    // No plugin took part in this order: its refund writes no event.
    expect(Number((await (await db()).execute({ sql: `SELECT count(*) AS n FROM outbox_events WHERE json_extract(payload, '$.orderId') = ?`, args: [order.id] })).rows[0]!.n)).toBe(0);
  });

  it('marks the order refunded once every line is refunded in full', async () => {
    const order = await paidOrder();
    const req = await call(buyer)(`/orders/${order.id}/after-sales`, { body: { kind: 'refund', reason: '不要了', lines: [{ lineId: order.lineA.id, quantity: 2 }, { lineId: order.lineB.id, quantity: 1 }] } });
    expect(req.body.afterSale.amount).toBe(25000);
    await call(owner)(`/admin/after-sales/${req.body.afterSale.id}/approve`, { method: 'POST' });
    expect((await call(buyer)(`/orders/${order.id}`)).body.order.status).toBe('refunded');
  });

  it('returns and refunds a shipped line: approve → buyer ships back → staff receives → refund and restock', async () => {
    const order = await paidOrder(true);
    const before = await stock(skuB);
    const req = await call(buyer)(`/orders/${order.id}/after-sales`, { body: { kind: 'return_refund', reason: '质量问题', lines: [{ lineId: order.lineB.id, quantity: 1 }] } });
    expect((await call(owner)(`/admin/after-sales/${req.body.afterSale.id}/approve`, { method: 'POST' })).body.status).toBe('awaiting_return');
    expect(await stock(skuB)).toBe(before);
    expect((await call(buyer)(`/after-sales/${req.body.afterSale.id}/return`, { body: { carrier: '中通', trackingNo: 'ZT99887766' } })).status).toBe(200);
    expect((await call(owner)(`/admin/after-sales/${req.body.afterSale.id}/receive-return`, { method: 'POST' })).body.status).toBe('refunded');
    expect(await stock(skuB)).toBe(before + 1);
  });

  it('rejects with a reason, audited, and nothing moves', async () => {
    const order = await paidOrder();
    const req = await call(buyer)(`/orders/${order.id}/after-sales`, { body: { kind: 'refund', reason: '试试', lines: [{ lineId: order.lineA.id, quantity: 1 }] } });
    expect((await call(owner)(`/admin/after-sales/${req.body.afterSale.id}/reject`, { body: { reason: '已超出售后范围' } })).body.status).toBe('rejected');
    expect(Number((await (await db()).execute({ sql: 'SELECT refunded_amount FROM order_lines WHERE id = ?', args: [order.lineA.id] })).rows[0]!.refunded_amount)).toBe(0);
    expect(await t.count(await db(), 'audit_log', "entity = 'after_sale' AND action = 'reject'")).toBe(1);
  });

  it('refuses another member\'s order and a return on an unshipped order', async () => {
    const order = await paidOrder();
    const stranger = cookieHeader((await t.request(HOST, '/api/member/register', { body: { username: 'svc-stranger', password: 'buyer-pass-1' }, cookies: '' })).setCookies);
    expect((await call(stranger)(`/orders/${order.id}/after-sales`, { body: { kind: 'refund', reason: 'x', lines: [{ lineId: order.lineA.id, quantity: 1 }] } })).status).toBe(404);
    expect((await call(buyer)(`/orders/${order.id}/after-sales`, { body: { kind: 'return_refund', reason: 'x', lines: [{ lineId: order.lineA.id, quantity: 1 }] } })).body.error.code).toBe('ORDER_STATE');
  });
});
