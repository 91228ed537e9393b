import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, cookieHeader, type TestApp } from '../testing/test-app';

const HOST = 'ord.localhost';
let t: TestApp;
let owner: string;
let buyer: string;
let addressId: string;
let skuId: string;
let seq = 0;

const call = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });
const db = () => t.shopDb('ord');

/** A paid order of one unit, through the real cart-less checkout and sandbox payment. */
async function paidOrder(pay = true) {
  const b = call(buyer);
  const placed = await b('/checkout/submit', { body: { items: [{ skuId, quantity: 1 }], addressId, clientKey: `k-${seq++}-${Date.now()}`, expectedPayTotal: 10000 } });
  expect(placed.status).toBe(201);
  if (pay) expect((await b(`/payments/sandbox/${placed.body.payment.intentId}/complete`, { body: { outcome: 'paid' } })).body.order.status).toBe('paid');
  return placed.body.order as { id: string; orderNo: string };
}

beforeAll(async () => {
  t = await createTestApp();
  ({ ownerCookie: owner } = await t.signupAndLogin('ord'));
  const admin = call(owner);
  const category = (await admin('/admin/categories', { body: { name: '茶' } })).body.category.id;
  skuId = (await admin('/admin/products', { body: { title: '龙井', categoryId: category, status: 'on', skus: [{ price: 10000, stock: 1000 }] } })).body.skus[0].id;
  buyer = cookieHeader((await t.request(HOST, '/api/member/register', { body: { username: 'tea-lover', password: 'buyer-pass-1' }, cookies: '' })).setCookies);
  addressId = (await call(buyer)('/member/addresses', { body: { name: '王五', phone: '13700000000', province: '浙江', city: '杭州', district: '', detail: '龙井村 8 号' } })).body.address.id;
});
afterAll(async () => { await t.close(); });

describe('shipping one order', () => {
  it('ships a paid order once, audited in the same batch; a second ship is ORDER_STATE', async () => {
    const order = await paidOrder();
    const admin = call(owner);
    expect((await admin(`/admin/orders/${order.id}/ship`, { body: { carrier: '顺丰', trackingNo: 'SF1234567890' } })).status).toBe(200);
    const again = await admin(`/admin/orders/${order.id}/ship`, { body: { carrier: '顺丰', trackingNo: 'SF0000000000' } });
    expect(again.body.error.code).toBe('ORDER_STATE');
    const detail = await admin(`/admin/orders/${order.id}`);
    expect(detail.body.order.status).toBe('shipped');
    expect(detail.body.shipment).toMatchObject({ carrier: '顺丰', trackingNo: 'SF1234567890' });
    expect(await t.count(await db(), 'audit_log', "entity = 'order' AND action = 'ship' AND entity_id = ?", [order.id])).toBe(1);
  });

  it('refuses to ship an unpaid order', async () => {
    const order = await paidOrder(false);
    expect((await call(owner)(`/admin/orders/${order.id}/ship`, { body: { carrier: '顺丰', trackingNo: 'SF1234567891' } })).body.error.code).toBe('ORDER_STATE');
  });

  it('lets the buyer confirm receipt, and completes the order after the after-sales window', async () => {
    const order = await paidOrder();
    await call(owner)(`/admin/orders/${order.id}/ship`, { body: { carrier: '中通', trackingNo: 'ZT123456789' } });
    expect((await call(buyer)(`/orders/${order.id}/receive`, { method: 'POST' })).status).toBe(200);
    expect((await call(buyer)(`/orders/${order.id}/receive`, { method: 'POST' })).body.error.code).toBe('ORDER_STATE');
    t.clock.advance(8 * 86_400_000);
    await t.platform.scheduler.runAll();
    expect((await call(buyer)(`/orders/${order.id}`)).body.order.status).toBe('completed');
  });

  it('counts a shipped order as received after the auto-receive days', async () => {
    const order = await paidOrder();
    await call(owner)(`/admin/orders/${order.id}/ship`, { body: { carrier: '中通', trackingNo: 'ZT123456780' } });
    t.clock.advance(11 * 86_400_000);
    await t.platform.scheduler.runAll();
    expect((await call(buyer)(`/orders/${order.id}`)).body.order.status).toBe('received');
  });
});

describe('batch shipping by CSV (C6)', () => {
  it('ships the good rows and reports every bad one, which changes nothing', async () => {
    const a = await paidOrder();
    const b = await paidOrder();
    const unpaid = await paidOrder(false);
    const csv = [
      '订单号,物流公司,运单号',
      `${a.orderNo},顺丰,SF1000000001`,
      `${a.orderNo},顺丰,SF1000000002`,
      `${b.orderNo},"中通, 快递",ZT1000000003`,
      '99999999999999999999,顺丰,SF1000000004',
      `${unpaid.orderNo},顺丰,SF1000000005`,
      'garbage row without commas',
      `${b.orderNo.slice(0, 5)},顺丰,SF1`,
      `=HYPERLINK("x"),顺丰,SF1000000006`,
    ].join('\n');
    const res = await call(owner)('/admin/orders/ship-batch', { body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { line: number; outcome: string; code?: string }) => [r.line, r.code ?? r.outcome])).toEqual([
      [2, 'shipped'], [3, 'DUPLICATE_ROW'], [4, 'shipped'], [5, 'UNKNOWN_ORDER'], [6, 'NOT_SHIPPABLE'], [7, 'MALFORMED_ROW'], [8, 'MALFORMED_ROW'], [9, 'MALFORMED_ROW'],
    ]);
    expect(res.body).toMatchObject({ shipped: 2, failed: 6 });
    const statuses = await (await db()).execute({ sql: 'SELECT order_no, status FROM orders WHERE order_no IN (?, ?, ?)', args: [a.orderNo, b.orderNo, unpaid.orderNo] });
    expect(Object.fromEntries(statuses.rows.map((r) => [r.order_no, r.status]))).toEqual({ [a.orderNo]: 'shipped', [b.orderNo]: 'shipped', [unpaid.orderNo]: 'pending_payment' });
    const again = await call(owner)('/admin/orders/ship-batch', { body: `${a.orderNo},顺丰,SF1000000001`, headers: { 'content-type': 'text/csv' } });
    expect(again.body.rows[0]).toMatchObject({ outcome: 'error', code: 'ALREADY_SHIPPED' });
  });

  it('refuses a body that is not CSV text', async () => {
    const res = await call(owner)('/admin/orders/ship-batch', { body: { rows: [] } });
    expect(res.status).toBe(415);
  });
});

describe('admin order list, remark, close and export (C5, C8)', () => {
  it('filters by status and order number prefix and pages by cursor', async () => {
    const paid = await paidOrder();
    const admin = call(owner);
    const list = await admin('/admin/orders?status=paid');
    expect(list.body.items.every((o: { status: string }) => o.status === 'paid')).toBe(true);
    expect(list.body.items.map((o: { id: string }) => o.id)).toContain(paid.id);
    const grouped = await admin('/admin/orders?status=paid,shipped');
    expect(grouped.body.items.every((o: { status: string }) => ['paid', 'shipped'].includes(o.status))).toBe(true);
    expect(grouped.body.items.some((o: { status: string }) => o.status === 'shipped')).toBe(true);
    expect((await admin('/admin/orders?status=paid,bogus')).status).toBe(400);
    const byNo = await admin(`/admin/orders?q=${paid.orderNo}`);
    expect(byNo.body.items.map((o: { id: string }) => o.id)).toEqual([paid.id]);
  });

  it('keeps a merchant remark, audited, never shown to the buyer', async () => {
    const order = await paidOrder();
    expect((await call(owner)(`/admin/orders/${order.id}/remark`, { method: 'PATCH', body: { remark: '加急' } })).status).toBe(200);
    expect((await call(owner)(`/admin/orders/${order.id}`)).body.order.merchantRemark).toBe('加急');
    expect(await t.count(await db(), 'audit_log', "entity = 'order' AND action = 'remark'")).toBe(1);
  });

  it('lets staff close an unpaid order before its deadline and gives the stock back', async () => {
    const stock = async () => Number((await (await db()).execute({ sql: 'SELECT stock FROM skus WHERE id = ?', args: [skuId] })).rows[0]!.stock);
    const order = await paidOrder(false);
    const before = await stock();
    expect((await call(owner)(`/admin/orders/${order.id}/close`, { method: 'POST' })).status).toBe(200);
    expect(await stock()).toBe(before + 1);
    expect((await call(owner)(`/admin/orders/${order.id}/close`, { method: 'POST' })).body.error.code).toBe('ORDER_STATE');
  });

  it('streams a CSV export with a BOM, one row per order, formulas defused', async () => {
    await call(buyer)('/checkout/submit', { body: { items: [{ skuId, quantity: 1 }], addressId, clientKey: `k-csv-${Date.now()}`, expectedPayTotal: 10000, remark: '=cmd|calc' } });
    const res = await t.app.request(`http://${HOST}/api/admin/orders/export.csv`, { headers: { host: HOST, cookie: owner } });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // Excel reads UTF-8 only with the BOM
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('订单号,状态')).toBe(true);
    const total = await t.count(await db(), 'orders');
    expect(text.trim().split('\r\n')).toHaveLength(total + 1);
    expect(text).toContain("'=cmd|calc");
    expect(text).toMatch(/\n\d{18},待付款,H5,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},/); // shop-time, labelled
    expect(text).not.toMatch(/,=cmd/);
  });
});
