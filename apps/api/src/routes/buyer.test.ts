import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@libsql/client';
import { sandboxKey, signSandboxNotify } from '@tuike/orders';
import { createTestApp, cookieHeader, type TestApp } from '../testing/test-app';

const HOST = 'buy.localhost';
let t: TestApp;
let owner: string;
let buyer: string;
let addressId: string;
let redM: string; // 5 in stock, ¥199
let blueL: string; // 1 in stock, ¥219
let productId: string;

const as = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });
let api: ReturnType<typeof as>;
const db = () => t.shopDb('buy');
const stockOf = async (skuId: string) => Number((await (await db()).execute({ sql: 'SELECT stock FROM skus WHERE id = ?', args: [skuId] })).rows[0]!.stock);
let keySeq = 0;
const key = () => `key-${Date.now()}-${keySeq++}`;

async function registerBuyer(name: string) {
  const res = await t.request(HOST, '/api/member/register', { body: { username: name, password: 'buyer-pass-1' }, cookies: '' });
  expect(res.status).toBe(201);
  return cookieHeader(res.setCookies);
}

beforeAll(async () => {
  t = await createTestApp();
  ({ ownerCookie: owner } = await t.signupAndLogin('buy'));
  const adminApi = as(owner);
  const category = (await adminApi('/admin/categories', { body: { name: '衣服' } })).body.category.id;
  const product = await adminApi('/admin/products', { body: {
    title: '测试连衣裙', categoryId: category, status: 'on',
    specs: [{ name: '颜色', values: ['红', '蓝'] }, { name: '尺码', values: ['M', 'L'] }],
    skus: [{ specs: { 颜色: '红', 尺码: 'M' }, price: 19900, stock: 5 }, { specs: { 颜色: '蓝', 尺码: 'L' }, price: 21900, stock: 1 }],
  } });
  productId = product.body.product.id;
  [redM, blueL] = product.body.skus.map((s: { id: string }) => s.id);
  buyer = await registerBuyer('buyer01');
  api = as(buyer);
  addressId = (await api('/member/addresses', { body: { name: '张三', phone: '13800000000', province: '浙江', city: '杭州', district: '西湖区', detail: '文三路 1 号' } })).body.address.id;
});
afterAll(async () => { await t.close(); });

describe('cart → preview → submit → sandbox pay (C2–C4)', () => {
  let orderId: string;
  let intentId: string;

  it('prices the cart on the server, with shipping free over the threshold', async () => {
    expect((await api('/cart/items', { body: { skuId: redM, quantity: 1 } })).status).toBe(201);
    const cart = await api('/cart');
    expect(cart.body.totals).toEqual({ itemsTotal: 19900, discountTotal: 0, shippingFee: 0, payTotal: 19900, pointsUsed: 0 });
    expect(cart.body.items[0]).toMatchObject({ skuId: redM, quantity: 1, unitPrice: 19900, available: true, title: '测试连衣裙' });
  });

  it('refuses adding more than the stock to the cart and leaves the cart as it was', async () => {
    const res = await api('/cart/items', { body: { skuId: redM, quantity: 10 } });
    expect(res.body.error.code).toBe('OUT_OF_STOCK');
    expect((await api('/cart')).body.items.map((i: { quantity: number }) => i.quantity)).toEqual([1]);
  });

  it('places the order in one write batch and at most two reads, decrementing stock once', async () => {
    const preview = await api('/checkout/preview', { body: { fromCart: true, addressId } });
    expect(preview.body.totals.payTotal).toBe(19900);
    const counted = await countStatements(() => api('/checkout/submit', { body: { fromCart: true, addressId, clientKey: 'order-key-0001', expectedPayTotal: 19900 } }));
    expect(counted.result.status).toBe(201);
    orderId = counted.result.body.order.id;
    intentId = counted.result.body.payment.intentId;
    expect(counted.writeBatches).toBe(1);
    expect(counted.checkoutReads).toBeLessThanOrEqual(2);
    expect(await stockOf(redM)).toBe(4);
    expect((await api('/cart')).body.items).toEqual([]);
  });

  it('returns the same order for a retried submit with the same client key, changing nothing', async () => {
    const again = await api('/checkout/submit', { body: { items: [{ skuId: redM, quantity: 1 }], addressId, clientKey: 'order-key-0001', expectedPayTotal: 19900 } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, order: { id: orderId } });
    expect(await stockOf(redM)).toBe(4);
    expect(await t.count(await db(), 'orders')).toBe(1);
  });

  it('pays through the sandbox with one write batch: order paid, product sales counted', async () => {
    const counted = await countStatements(() => api(`/payments/sandbox/${intentId}/complete`, { body: { outcome: 'paid' } }));
    expect(counted.result.body).toMatchObject({ result: 'applied', order: { status: 'paid' } });
    expect(counted.writeBatches).toBe(1);
    expect(Number((await (await db()).execute({ sql: 'SELECT sales FROM products WHERE id = ?', args: [productId] })).rows[0]!.sales)).toBe(1);
  });

  it('applies a replayed notify once and rejects forged and wrong-amount notifies, recording each', async () => {
    const shop = await db();
    const intent = (await shop.execute({ sql: 'SELECT external_id, amount FROM payment_intents WHERE id = ?', args: [intentId] })).rows[0]!;
    const tenantId = String((await (await t.control()).execute({ sql: "SELECT id FROM tenants WHERE slug = 'buy'", args: [] })).rows[0]!.id);
    const k = sandboxKey('tuike-local-sandbox-secret', tenantId);
    const notice = { intentId, externalId: String(intent.external_id), amount: Number(intent.amount), outcome: 'paid' as const, timestamp: 1 };
    const notify = (body: typeof notice, signature: string) => t.request(HOST, '/api/payments/notify/sandbox', { body, headers: { 'x-sandbox-signature': signature }, cookies: '' });

    const replay = await notify(notice, signSandboxNotify(k, notice));
    expect(replay.body).toEqual({ result: 'duplicate' });
    const forged = await notify(notice, 'a'.repeat(64));
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('PAYMENT_SIGNATURE_INVALID');
    const otherShopKey = sandboxKey('tuike-local-sandbox-secret', 'another-tenant');
    expect((await notify(notice, signSandboxNotify(otherShopKey, notice))).status).toBe(401);
    const wrong = { ...notice, amount: 1, externalId: 'sbx_other' };
    const mismatch = await notify(wrong, signSandboxNotify(k, wrong));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe('PAYMENT_AMOUNT_MISMATCH');
    expect(Number((await shop.execute({ sql: 'SELECT sales FROM products WHERE id = ?', args: [productId] })).rows[0]!.sales)).toBe(1);
    const outcomes = (await shop.execute({ sql: 'SELECT outcome FROM payment_notifications ORDER BY created_at, rowid', args: [] })).rows.map((r) => r.outcome);
    expect(outcomes).toEqual(['applied', 'duplicate', 'bad_signature', 'bad_signature', 'amount_mismatch']);
  });

  it('shows buyers only their own orders', async () => {
    expect((await api('/orders')).body.items.map((o: { id: string }) => o.id)).toEqual([orderId]);
    const stranger = as(await registerBuyer('stranger'));
    expect((await stranger(`/orders/${orderId}`)).status).toBe(404);
    expect((await stranger(`/orders/${orderId}/cancel`, { method: 'POST' })).status).toBe(404);
    expect((await stranger(`/payments/sandbox/${intentId}`)).status).toBe(404);
    expect((await stranger('/orders')).body.items).toEqual([]);
  });
});

describe('bad checkout input changes nothing', () => {
  const submit = (body: Record<string, unknown>) => api('/checkout/submit', { body: { addressId, clientKey: key(), expectedPayTotal: 0, ...body } });

  it.each([
    ['zero quantity', { items: [{ skuId: 'x', quantity: 0 }] }, 'VALIDATION_FAILED'],
    ['negative quantity', { items: [{ skuId: 'x', quantity: -3 }] }, 'VALIDATION_FAILED'],
    ['huge quantity', { items: [{ skuId: 'x', quantity: 1e9 }] }, 'VALIDATION_FAILED'],
    ['a price in the request', { items: [{ skuId: 'x', quantity: 1, price: 1 }] }, 'VALIDATION_FAILED'],
    ['an empty cart', { fromCart: true }, 'CART_EMPTY'],
    ['an unknown SKU', { items: [{ skuId: 'nope', quantity: 1 }] }, 'PRODUCT_NOT_FOUND'],
    ['another member\'s address', { items: [{ skuId: 'REDM', quantity: 1 }], addressId: 'not-mine', expectedPayTotal: 19900 }, 'ADDRESS_REQUIRED'],
    ['a stale total', { items: [{ skuId: 'REDM', quantity: 1 }], expectedPayTotal: 100 }, 'PRICE_CHANGED'],
    ['more than the stock', { items: [{ skuId: 'BLUEL', quantity: 2 }], expectedPayTotal: 43800 }, 'OUT_OF_STOCK'],
  ])('refuses %s', async (_, body, code) => {
    const shop = await db();
    const before = [await t.count(shop, 'orders'), await stockOf(redM), await stockOf(blueL)];
    const fixed = JSON.parse(JSON.stringify(body).replaceAll('REDM', redM).replaceAll('BLUEL', blueL));
    const res = await submit(fixed);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toBe(code);
    expect([await t.count(shop, 'orders'), await stockOf(redM), await stockOf(blueL)]).toEqual(before);
  });

  it('refuses an off-shelf product and a deleted SKU', async () => {
    await as(owner)(`/admin/products/${productId}/shelf`, { body: { status: 'off' } });
    expect((await submit({ items: [{ skuId: redM, quantity: 1 }], expectedPayTotal: 19900 })).body.error.code).toBe('PRODUCT_NOT_FOUND');
    expect((await api('/cart/items', { body: { skuId: redM, quantity: 1 } })).body.error.code).toBe('PRODUCT_NOT_FOUND');
    await as(owner)(`/admin/products/${productId}/shelf`, { body: { status: 'on' } });
    await (await db()).execute({ sql: 'UPDATE skus SET deleted_at = 1 WHERE id = ?', args: [blueL] });
    expect((await submit({ items: [{ skuId: blueL, quantity: 1 }], expectedPayTotal: 21900 })).body.error.code).toBe('PRODUCT_NOT_FOUND');
    await (await db()).execute({ sql: 'UPDATE skus SET deleted_at = NULL WHERE id = ?', args: [blueL] });
  });
});

describe('stock under concurrency and release', () => {
  it('sells the last unit exactly once to ten buyers at once', async () => {
    const buyers = await Promise.all(Array.from({ length: 10 }, (_, i) => registerBuyer(`rush${i}`)));
    const results = await Promise.all(buyers.map(async (cookie) => {
      const b = as(cookie);
      const addr = (await b('/member/addresses', { body: { name: '李四', phone: '13900000000', province: '浙江', city: '杭州', district: '', detail: '1 号' } })).body.address.id;
      return b('/checkout/submit', { body: { items: [{ skuId: blueL, quantity: 1 }], addressId: addr, clientKey: key(), expectedPayTotal: 21900 } });
    }));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'OUT_OF_STOCK')).toBe(true);
    expect(await stockOf(blueL)).toBe(0);
  });

  it('gives stock back when the buyer cancels an unpaid order, once', async () => {
    const placed = await api('/checkout/submit', { body: { items: [{ skuId: redM, quantity: 2 }], addressId, clientKey: key(), expectedPayTotal: 39800 } });
    const before = await stockOf(redM);
    expect((await api(`/orders/${placed.body.order.id}/cancel`, { method: 'POST' })).status).toBe(200);
    expect(await stockOf(redM)).toBe(before + 2);
    expect((await api(`/orders/${placed.body.order.id}/cancel`, { method: 'POST' })).body.error.code).toBe('ORDER_STATE');
    expect(await stockOf(redM)).toBe(before + 2);
  });

  it('closes an unpaid order after the timeout and releases its stock; a late payment is refused', async () => {
    const placed = await api('/checkout/submit', { body: { items: [{ skuId: redM, quantity: 1 }], addressId, clientKey: key(), expectedPayTotal: 19900 } });
    const before = await stockOf(redM);
    t.clock.advance(31 * 60_000);
    await t.platform.scheduler.runAll();
    expect((await api(`/orders/${placed.body.order.id}`)).body.order.status).toBe('closed');
    expect(await stockOf(redM)).toBe(before + 1);
    const late = await api(`/payments/sandbox/${placed.body.payment.intentId}/complete`, { body: { outcome: 'paid' } });
    expect(late.status).toBe(409);
    const ledger = await (await db()).execute({ sql: `SELECT k.id FROM skus k WHERE k.stock <> (SELECT coalesce(sum(delta), 0) FROM stock_movements m WHERE m.sku_id = k.id)`, args: [] });
    expect(ledger.rows).toEqual([]);
  });
});

/** Counts the statements the shop database receives while `run` executes. */
async function countStatements<T>(run: () => Promise<T>) {
  const databases = t.platform.databases;
  const original = databases.lease.bind(databases);
  let writeBatches = 0;
  let reads = 0;
  const wrapped = new WeakSet<Client>();
  databases.lease = async (locator) => {
    const client = await original(locator);
    if (!wrapped.has(client)) {
      wrapped.add(client);
      const execute = client.execute.bind(client);
      const batch = client.batch.bind(client);
      (client as { execute: unknown }).execute = (...args: Parameters<Client['execute']>) => {
        const stmt = args[0] as string | { sql: string };
        const text = typeof stmt === 'string' ? stmt : stmt.sql;
        // Signing the buyer in (session, member) and the expiry sweep are not the checkout's reads.
        if (/^\s*select/i.test(text) && !/from "?(sessions|members)"?|expires_at <= \?/i.test(text)) reads++;
        return execute(...args);
      };
      (client as { batch: unknown }).batch = (...args: Parameters<Client['batch']>) => {
        if (args[1] !== 'read') writeBatches++;
        return batch(...args);
      };
      restore.push(() => { (client as { execute: unknown }).execute = execute; (client as { batch: unknown }).batch = batch; });
    }
    return client;
  };
  const restore: (() => void)[] = [];
  try {
    const result = await run();
    return { result, writeBatches, checkoutReads: reads };
  } finally {
    databases.lease = original;
    for (const r of restore) r();
  }
}

describe('what buyers retry and see', () => {
  it('pays after a failed attempt on the same intent', async () => {
    const placed = await api('/checkout/submit', { body: { items: [{ skuId: redM, quantity: 1 }], addressId, clientKey: key(), expectedPayTotal: 19900 } });
    const intent = placed.body.payment.intentId;
    expect((await api(`/payments/sandbox/${intent}/complete`, { body: { outcome: 'failed' } })).body.result).toBe('failed');
    expect((await api(`/payments/sandbox/${intent}/complete`, { body: { outcome: 'paid' } })).body.order.status).toBe('paid');
  });

  it('answers a retried cart submit with the order it made, though the cart is now empty', async () => {
    await api('/cart/items', { body: { skuId: redM, quantity: 1 } });
    const body = { fromCart: true, addressId, clientKey: key(), expectedPayTotal: 19900 };
    const first = await api('/checkout/submit', { body });
    expect(first.status).toBe(201);
    const retry = await api('/checkout/submit', { body });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ replayed: true, order: { id: first.body.order.id }, payment: { intentId: first.body.payment.intentId } });
  });

  it('never shows the merchant remark or distribution internals to the buyer', async () => {
    const placed = await api('/checkout/submit', { body: { items: [{ skuId: redM, quantity: 1 }], addressId, clientKey: key(), expectedPayTotal: 19900 } });
    await as(owner)(`/admin/orders/${placed.body.order.id}/remark`, { method: 'PATCH', body: { remark: '难缠的客户' } });
    const detail = JSON.stringify((await api(`/orders/${placed.body.order.id}`)).body) + JSON.stringify((await api('/orders')).body);
    expect(detail).not.toMatch(/难缠|merchantRemark|clientKey|upline|distributorShopId|memberId/);
  });

  it('refuses a cart quantity above the stock and keeps the line as it was', async () => {
    await api('/cart/items', { body: { skuId: redM, quantity: 1 } });
    const item = (await api('/cart')).body.items[0];
    const res = await api(`/cart/items/${item.id}`, { method: 'PATCH', body: { quantity: 999 } });
    expect(res.body.error.code).toBe('OUT_OF_STOCK');
    expect((await api('/cart')).body.items[0].quantity).toBe(1);
  });

  it('edits an address in place and keeps exactly one default', async () => {
    const second = (await api('/member/addresses', { body: { name: '赵六', phone: '13600000000', province: '上海', city: '上海', district: '', detail: '南京路 1 号' } })).body.address.id;
    const res = await api(`/member/addresses/${second}`, { method: 'PATCH', body: { isDefault: true, detail: '南京东路 2 号' } });
    expect(res.body.address).toMatchObject({ id: second, isDefault: true, detail: '南京东路 2 号' });
    const list = (await api('/member/addresses')).body.addresses as { id: string; isDefault: boolean }[];
    expect(list.filter((a) => a.isDefault).map((a) => a.id)).toEqual([second]);
  });
});

describe('shipping template, order timeout, shared carts, logistics trail', () => {
  beforeAll(async () => {
    // Earlier tests sold most of the stock: restock through the ledger, as an adjustment.
    await (await db()).batch([
      { sql: 'UPDATE skus SET stock = stock + 50 WHERE id = ?', args: [redM] },
      { sql: `INSERT INTO stock_movements (id, sku_id, delta, reason, ref, created_at) VALUES ('restock-test', ?, 50, 'adjust', NULL, 0)`, args: [redM] },
    ], 'write');
  });

  it('charges the flat fee or waives it from the threshold the merchant set', async () => {
    expect((await as(owner)('/admin/settings', { method: 'PATCH', body: { shipping: { mode: 'free_over', fee: 800, freeThreshold: 50000 } } })).status).toBe(200);
    const preview = await api('/checkout/preview', { body: { items: [{ skuId: redM, quantity: 1 }] } });
    expect(preview.body.totals).toMatchObject({ itemsTotal: 19900, shippingFee: 800, payTotal: 20700 });
    await as(owner)('/admin/settings', { method: 'PATCH', body: { shipping: { mode: 'flat', fee: 600, freeThreshold: 0 } } });
    expect((await api('/checkout/preview', { body: { items: [{ skuId: redM, quantity: 3 }] } })).body.totals.shippingFee).toBe(600);
    expect((await as(owner)('/admin/settings', { method: 'PATCH', body: { shipping: { mode: 'free_over', fee: -1, freeThreshold: 0 } } })).status).toBe(400);
    await as(owner)('/admin/settings', { method: 'PATCH', body: { shipping: { mode: 'free_over', fee: 1000, freeThreshold: 9900 } } });
  });

  it('closes unpaid orders after the timeout the merchant set', async () => {
    await as(owner)('/admin/settings', { method: 'PATCH', body: { orderTimeoutMinutes: 10 } });
    const placed = await api('/checkout/submit', { body: { items: [{ skuId: redM, quantity: 1 }], addressId, clientKey: key(), expectedPayTotal: 19900 } });
    t.clock.advance(11 * 60_000);
    await t.platform.scheduler.runAll();
    expect((await api(`/orders/${placed.body.order.id}`)).body.order.status).toBe('closed');
  });

  it('shares a cart as a link that recreates it for the receiver, at today\'s prices and stock', async () => {
    for (const item of (await api('/cart')).body.items) await api(`/cart/items/${item.id}`, { method: 'DELETE' });
    await api('/cart/items', { body: { skuId: redM, quantity: 1 } });
    const shared = await api('/cart/share', { method: 'POST' });
    expect(shared.status).toBe(201);
    const preview = await t.request(HOST, `/api/cart/shares/${shared.body.token}`, { cookies: '' });
    expect(preview.body.items[0]).toMatchObject({ skuId: redM, quantity: 1, title: '测试连衣裙', available: true });
    const friend = as(await registerBuyer('friend01'));
    const accepted = await friend(`/cart/shares/${shared.body.token}/accept`, { method: 'POST' });
    expect(accepted.body).toMatchObject({ added: [{ skuId: redM, quantity: 1 }], skipped: 0 });
    expect((await friend('/cart')).body.items.map((i: { skuId: string }) => i.skuId)).toEqual([redM]);
    expect((await friend('/cart/shares/not-a-token/accept', { method: 'POST' })).status).toBe(404);
  });

  it('shows the buyer the logistics trail the merchant keeps', async () => {
    const placed = await api('/checkout/submit', { body: { items: [{ skuId: redM, quantity: 1 }], addressId, clientKey: key(), expectedPayTotal: 19900 } });
    await api(`/payments/sandbox/${placed.body.payment.intentId}/complete`, { body: { outcome: 'paid' } });
    await as(owner)(`/admin/orders/${placed.body.order.id}/ship`, { body: { carrier: '顺丰', trackingNo: 'SF20261121' } });
    await as(owner)(`/admin/orders/${placed.body.order.id}/logistics`, { body: { text: '已到达杭州转运中心' } });
    const detail = await api(`/orders/${placed.body.order.id}`);
    expect(detail.body.shipment).toMatchObject({ carrier: '顺丰', trackingNo: 'SF20261121' });
    expect(detail.body.shipment.logistics.map((l: { text: string }) => l.text)).toEqual(['已发货 顺丰 SF20261121', '已到达杭州转运中心']);
  });
});

describe('provider callbacks', () => {
  it('accept a signed notify without Origin (server to server), and still refuse a forged one', async () => {
    const res = await t.app.request(`http://${HOST}/api/payments/notify/sandbox`, {
      method: 'POST', headers: { host: HOST, 'content-type': 'application/json', 'x-sandbox-signature': 'f'.repeat(64) },
      body: JSON.stringify({ intentId: 'x', externalId: 'y', amount: 1, outcome: 'paid', timestamp: 1 }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYMENT_SIGNATURE_INVALID');
    const other = await t.app.request(`http://${HOST}/api/cart/items`, { method: 'POST', headers: { host: HOST, 'content-type': 'application/json', cookie: buyer }, body: '{}' });
    expect(other.status).toBe(403);
  });
});
