import type { Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, type PluginDefinition } from '@tuike/plugin-sdk';
import { cookieHeader, createTestApp, type TestApp } from '../testing/test-app';
import { firstPartyPlugins } from '../plugins/first-party';
import { createPluginRegistry } from '../plugins/registry';

/**
 * The plugin pipeline in a real shop (G2, E1): the bundled coupons plugin installed from the
 * marketplace prices cart, preview and order alike, holds its coupon in the order's batch and
 * hears the order events; plugins that throw, loop or hold stock show what the platform does
 * with each. Everything through HTTP on the real app and real libSQL files.
 */

const thrower = definePlugin({
  id: 'thrower', name: { zh: '抛错', en: 'Thrower' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['pricing'],
  hooks: { pricing: () => { throw new Error('always broken'); } },
});
const looper = definePlugin({
  id: 'looper', name: { zh: '死循环', en: 'Looper' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['pricing'],
  hooks: {
    pricing: () => {
      for (;;) { /* never returns: the sandbox stops it at its budget */ }
    },
  },
});
/** One unit to give: the second order that wants it is refused in its own batch. */
const limited = definePlugin({
  id: 'limited', name: { zh: '限量', en: 'Limited' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['order.reserve'],
  migrations: [`CREATE TABLE plg_limited_units (id TEXT PRIMARY KEY, remaining INTEGER NOT NULL, CONSTRAINT plg_limited_units_remaining CHECK (remaining >= 0));
    INSERT INTO plg_limited_units (id, remaining) VALUES ('u', 1)`],
  hooks: {
    reserveOrder: (ctx) => ({
      statements: [{ sql: "UPDATE plg_limited_units SET remaining = remaining - 1 WHERE id = 'u' AND remaining > 0", expect: 1 }],
      refusal: { code: 'LIMITED_GONE', message: { zh: '限量已抢完', en: 'All gone' } },
    }),
  },
});
const vetoer = definePlugin({
  id: 'vetoer', name: { zh: '限购', en: 'Vetoer' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['cart.intercept', 'order.intercept'],
  hooks: {
    willAddToCart: (ctx) => (ctx.quantity > 3 ? { veto: { code: 'MAX_THREE', message: { zh: '每单最多 3 件', en: 'At most 3 per order' } } } : undefined),
    willPlaceOrder: (ctx) => (ctx.lines.some((l) => l.quantity > 3) ? { veto: { code: 'MAX_THREE', message: { zh: '每单最多 3 件', en: 'At most 3 per order' } } } : undefined),
  },
});
const extra: PluginDefinition[] = [thrower, looper, limited, vetoer];

const HOST = 'plugbuy.localhost';
let t: TestApp;
let owner: string;
let skuId: string;
let db: Client;

const as = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });

async function buyer(name: string) {
  const res = await t.request(HOST, '/api/member/register', { body: { username: name, password: 'buyer-pass-1' }, cookies: '' });
  expect(res.status).toBe(201);
  const cookie = cookieHeader(res.setCookies);
  const address = await as(cookie)('/member/addresses', { body: { name: '李四', phone: '13900000000', province: '浙江', city: '杭州', district: '西湖区', detail: '文二路 2 号' } });
  return { api: as(cookie), addressId: address.body.address.id as string };
}

async function install(id: string, critical = false) {
  const res = await as(owner)(`/admin/plugins/${id}/install`, { body: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (critical) expect((await as(owner)(`/admin/plugins/${id}`, { method: 'PATCH', body: { critical: true } })).status).toBe(200);
}
const setEnabled = async (id: string, enabled: boolean) => expect((await as(owner)(`/admin/plugins/${id}`, { method: 'PATCH', body: { enabled } })).status).toBe(200);

const couponOf = async (id: string) => (await db.execute({ sql: 'SELECT status, order_id FROM plg_coupons_member_coupons WHERE id = ?', args: [id] })).rows[0];
let keys = 0;
const key = () => `plugin-order-${keys++}`;

/** A 满100减20 template, claimable once per member. */
async function thresholdTemplate() {
  const res = await as(owner)('/plugins/coupons/admin/templates', {
    body: { name: '满100减20', terms: { kind: 'threshold', threshold: 10000, amountOff: 2000 }, scope: { type: 'all' }, validity: { type: 'relative', days: 30 }, quantity: 100, perMemberLimit: 1 },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.template.id as string;
}

let templateId: string;

beforeAll(async () => {
  t = await createTestApp({ pluginRegistry: createPluginRegistry({ firstParty: [...firstPartyPlugins, ...extra] }) });
  ({ ownerCookie: owner } = await t.signupAndLogin('plugbuy'));
  const category = (await as(owner)('/admin/categories', { body: { name: '茶' } })).body.category.id;
  const product = await as(owner)('/admin/products', { body: { title: '龙井', categoryId: category, status: 'on', skus: [{ specs: {}, price: 6000, stock: 50 }] } });
  expect(product.status, JSON.stringify(product.body)).toBe(201);
  skuId = product.body.skus[0].id;
  db = await t.shopDb('plugbuy');
  await install('coupons');
  templateId = await thresholdTemplate();
});
afterAll(async () => { await t.close(); });

describe('coupons in the checkout pipeline', () => {
  let first: Awaited<ReturnType<typeof buyer>>;
  let couponId: string;
  let orderId: string;
  let intentId: string;

  it('claims once; a second claim beyond the per-member limit is refused with its code', async () => {
    first = await buyer('pluga');
    const claimed = await first.api(`/plugins/coupons/templates/${templateId}/claim`, { method: 'POST' });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    couponId = claimed.body.coupon.id;
    const again = await first.api(`/plugins/coupons/templates/${templateId}/claim`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toMatch(/^COUPON_/);
    expect(typeof again.body.error.message).toBe('string');
    expect(await t.count(db, 'plg_coupons_member_coupons')).toBe(1);
  });

  it('shows the same discount in the cart and the preview, line by line', async () => {
    expect((await first.api('/cart/items', { body: { skuId, quantity: 2 } })).status).toBe(201);
    const cart = await first.api('/cart');
    expect(cart.body.totals).toMatchObject({ itemsTotal: 12000, discountTotal: 2000, shippingFee: 0, payTotal: 10000 });
    expect(cart.body.offers).toEqual([expect.objectContaining({ pluginId: 'coupons', kind: 'order_discount', amount: 2000, ref: couponId })]);
    expect(cart.body.lines[0]).toMatchObject({ discount: 2000, paidAmount: 10000 });
    const preview = await first.api('/checkout/preview', { body: { fromCart: true, addressId: first.addressId } });
    expect(preview.body.totals).toEqual(cart.body.totals);
    const none = await first.api('/checkout/preview', { body: { fromCart: true, addressId: first.addressId, choices: { coupons: { memberCouponId: null } } } });
    expect(none.body.totals.payTotal).toBe(12000);
  });

  it('refuses a submit whose confirmed total is not the price (PRICE_CHANGED), writing nothing', async () => {
    const res = await first.api('/checkout/submit', { body: { fromCart: true, addressId: first.addressId, clientKey: key(), expectedPayTotal: 12000 } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'PRICE_CHANGED', details: { payTotal: 10000 } });
    expect(await t.count(db, 'orders')).toBe(0);
    expect((await couponOf(couponId))!.status).toBe('available');
  });

  it('charges what it showed, holds the coupon in the order batch and records the offer on the order', async () => {
    const res = await first.api('/checkout/submit', { body: { fromCart: true, addressId: first.addressId, clientKey: key(), expectedPayTotal: 10000 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    orderId = res.body.order.id;
    intentId = res.body.payment.intentId;
    expect(await couponOf(couponId)).toMatchObject({ status: 'locked', order_id: orderId });
    const order = (await db.execute({ sql: 'SELECT pay_total, discount_total, offers FROM orders WHERE id = ?', args: [orderId] })).rows[0]!;
    expect(Number(order.pay_total)).toBe(10000);
    expect(JSON.parse(String(order.offers))).toEqual([expect.objectContaining({ pluginId: 'coupons', amount: 2000, ref: couponId })]);
    const lines = (await db.execute({ sql: 'SELECT discount, paid_amount FROM order_lines WHERE order_id = ?', args: [orderId] })).rows;
    expect(lines.map((l) => [Number(l.discount), Number(l.paid_amount)])).toEqual([[2000, 10000]]);
    expect(await t.count(db, 'outbox_events', "type = 'order.placed'")).toBe(1);
  });

  it('marks the coupon used once the order.paid event reaches the plugin', async () => {
    const paid = await first.api(`/payments/sandbox/${intentId}/complete`, { body: { outcome: 'paid' } });
    expect(paid.body).toMatchObject({ result: 'applied' });
    await t.eventsDelivered();
    expect((await couponOf(couponId))!.status).toBe('used');
    expect(await t.count(db, 'plg_coupons_redemptions', 'order_id = ?', [orderId])).toBe(1);
    expect(await t.count(db, 'plugin_deliveries', "plugin_id = 'coupons' AND delivered_at IS NULL")).toBe(0);
  });

  it('a used coupon no longer prices, and choosing it anyway is refused by the plugin', async () => {
    const preview = await first.api('/checkout/preview', { body: { items: [{ skuId, quantity: 2 }], addressId: first.addressId, choices: { coupons: { memberCouponId: couponId } } } });
    expect(preview.body.totals.payTotal).toBe(12000);
    const res = await first.api('/checkout/submit', { body: { items: [{ skuId, quantity: 2 }], addressId: first.addressId, clientKey: key(), expectedPayTotal: 12000, choices: { coupons: { memberCouponId: couponId } } } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'PLUGIN_REFUSED', details: { pluginId: 'coupons', code: 'COUPON_ALREADY_USED' } });
  });

  it('a coupon used twice at once: exactly one order gets it, the other is refused and leaves no trace', async () => {
    const second = await buyer('plugb');
    const claimed = await second.api(`/plugins/coupons/templates/${templateId}/claim`, { method: 'POST' });
    const id = claimed.body.coupon.id as string;
    const stockBefore = Number((await db.execute({ sql: 'SELECT stock FROM skus WHERE id = ?', args: [skuId] })).rows[0]!.stock);
    const ordersBefore = await t.count(db, 'orders');
    const submit = () => second.api('/checkout/submit', { body: { items: [{ skuId, quantity: 2 }], addressId: second.addressId, clientKey: key(), expectedPayTotal: 10000 } });
    const results = await Promise.all([submit(), submit(), submit()]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error).toMatchObject({ code: 'PLUGIN_REFUSED', details: { code: 'COUPON_IN_USE' } });
    expect(await t.count(db, 'orders')).toBe(ordersBefore + 1);
    expect(Number((await db.execute({ sql: 'SELECT stock FROM skus WHERE id = ?', args: [skuId] })).rows[0]!.stock)).toBe(stockBefore - 2);
    const placed = results.find((r) => r.status === 201)!.body.order.id;
    expect(await couponOf(id)).toMatchObject({ status: 'locked', order_id: placed });
    // Cancelling gives the coupon back once the event is heard.
    expect((await second.api(`/orders/${placed}/cancel`, { method: 'POST' })).status).toBe(200);
    await t.eventsDelivered();
    expect((await couponOf(id))!.status).toBe('available');
  });
});

describe('plugin routes', () => {
  it('lists the enabled plugins\' widgets by slot', async () => {
    const res = await t.request(HOST, '/api/plugins/widgets', { cookies: '' });
    expect(res.status).toBe(200);
    expect(res.body.widgets).toEqual(expect.arrayContaining([{ pluginId: 'coupons', slot: 'storefront.cart.summary', component: 'CouponPicker', props: {} }]));
  });

  it('answers with stable codes: plugin not enabled, no such route, bad body, not signed in, not staff', async () => {
    expect((await t.request(HOST, '/api/plugins/nope/claim-centre', { cookies: '' })).body.error.code).toBe('PLUGIN_UNAVAILABLE');
    expect((await t.request(HOST, '/api/plugins/coupons/no-such-route', { cookies: '' })).body.error.code).toBe('NOT_FOUND');
    const bad = await as(owner)('/plugins/coupons/admin/templates', { body: { name: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await t.request(HOST, `/api/plugins/coupons/templates/${templateId}/claim`, { method: 'POST', cookies: '' })).status).toBe(401);
    const guest = await buyer('plugguest');
    expect((await guest.api('/plugins/coupons/admin/templates')).status).toBe(401);
    const notJson = await t.request(HOST, '/api/plugins/coupons/admin/templates', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' }, cookies: owner });
    expect(notJson.status).toBe(400);
  });

  it('keeps one shop\'s plugin state from another: a second shop\'s claim centre is its own', async () => {
    const other = await t.signupAndLogin('plugother');
    expect((await t.request('plugother.localhost', '/api/admin/plugins/coupons/install', { body: {}, cookies: other.ownerCookie })).status).toBe(201);
    const centre = await t.request('plugother.localhost', '/api/plugins/coupons/claim-centre', { cookies: '' });
    expect(centre.status).toBe(200);
    expect(centre.body.templates).toEqual([]);
    expect((await t.request('plugother.localhost', `/api/plugins/coupons/templates/${templateId}`, { cookies: '' })).status).toBe(404);
  });
});

describe('plugins that fail never break a checkout', () => {
  it('a plugin that throws and one that loops are skipped each call, then switched off after repeated failures', async () => {
    await install('thrower');
    await install('looper');
    const b = await buyer('plugc');
    for (let i = 0; i < 5; i++) {
      const preview = await b.api('/checkout/preview', { body: { items: [{ skuId, quantity: 1 }], addressId: b.addressId } });
      expect(preview.status).toBe(200);
      expect(preview.body.totals.payTotal).toBe(6000 + 1000);
    }
    const rows = (await db.execute("SELECT plugin_id, failures, switched_off_at, switched_off_reason FROM plugin_installs WHERE plugin_id IN ('thrower', 'looper') ORDER BY plugin_id")).rows;
    expect(rows.map((r) => [r.plugin_id, Number(r.failures), r.switched_off_at !== null])).toEqual([['looper', 5, true], ['thrower', 5, true]]);
    expect(String(rows[0]!.switched_off_reason)).toMatch(/overran/);
    expect(String(rows[1]!.switched_off_reason)).toMatch(/always broken/);
    const order = await b.api('/checkout/submit', { body: { items: [{ skuId, quantity: 1 }], addressId: b.addressId, clientKey: key(), expectedPayTotal: 7000 } });
    expect(order.status).toBe(201);
    const listed = await as(owner)('/admin/plugins/thrower');
    expect(listed.body.plugin.installed).toMatchObject({ failures: 5, switchedOffAt: expect.any(Number) });
    await setEnabled('thrower', false);
    await setEnabled('looper', false);
  });

  it('a critical plugin that fails fails the checkout instead, changing nothing', async () => {
    await setEnabled('thrower', true);
    expect((await as(owner)('/admin/plugins/thrower', { method: 'PATCH', body: { critical: true } })).status).toBe(200);
    const b = await buyer('plugd');
    const ordersBefore = await t.count(db, 'orders');
    const res = await b.api('/checkout/submit', { body: { items: [{ skuId, quantity: 1 }], addressId: b.addressId, clientKey: key(), expectedPayTotal: 7000 } });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('PLUGIN_CRITICAL_FAILED');
    expect(await t.count(db, 'orders')).toBe(ordersBefore);
    await setEnabled('thrower', false);
  });

  it('an interceptor vetoes adding to the cart and placing the order with its own code and message', async () => {
    await install('vetoer');
    const b = await buyer('plugv');
    const add = await b.api('/cart/items', { body: { skuId, quantity: 4 } });
    expect(add.status).toBe(409);
    expect(add.body.error).toMatchObject({ code: 'PLUGIN_REFUSED', details: { pluginId: 'vetoer', code: 'MAX_THREE', message: { zh: '每单最多 3 件' } } });
    expect(await t.count(db, 'cart_items', 'sku_id = ? AND quantity = 4', [skuId])).toBe(0);
    const res = await b.api('/checkout/submit', { body: { items: [{ skuId, quantity: 4 }], addressId: b.addressId, clientKey: key(), expectedPayTotal: 24000 } });
    expect(res.body.error).toMatchObject({ code: 'PLUGIN_REFUSED', details: { code: 'MAX_THREE' } });
    await setEnabled('vetoer', false);
  });

  it('a hold that cannot be had refuses the order in its own batch: no order, no stock taken', async () => {
    await install('limited');
    const b = await buyer('plugl');
    const submit = () => b.api('/checkout/submit', { body: { items: [{ skuId, quantity: 1 }], addressId: b.addressId, clientKey: key(), expectedPayTotal: 7000 } });
    const results = await Promise.all([submit(), submit()]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error).toMatchObject({ code: 'PLUGIN_REFUSED', details: { pluginId: 'limited', code: 'LIMITED_GONE' } });
    expect(Number((await db.execute("SELECT remaining FROM plg_limited_units WHERE id = 'u'")).rows[0]!.remaining)).toBe(0);
    expect(await t.count(db, 'orders', 'member_id = (SELECT id FROM members WHERE username = ?)', ['plugl'])).toBe(1);
    expect(await t.count(db, 'plugin_guards')).toBe(0);
    await setEnabled('limited', false);
  });
});

describe('gifts (满赠)', () => {
  it('a reached gift is a line of the order at no charge: its stock is taken with the order; a gift out of stock is shown as unavailable and left out', async () => {
    await install('campaigns');
    const category = (await as(owner)('/admin/categories', { body: { name: '赠品' } })).body.category.id;
    const gift = await as(owner)('/admin/products', { body: { title: '茶杯', categoryId: category, status: 'on', skus: [{ specs: {}, price: 1500, stock: 1 }] } });
    const giftSku = gift.body.skus[0].id as string;
    const now = t.clock.now();
    const campaign = await as(owner)('/plugins/campaigns/admin/campaigns', {
      body: { name: '满100赠茶杯', window: { startsAt: now - 60_000, endsAt: now + 86_400_000 }, scope: { type: 'all' }, terms: { kind: 'gift', threshold: 10000, skuId: giftSku, quantity: 1, giftName: '茶杯' } },
    });
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    const b = await buyer('plugg');
    const items = [{ skuId, quantity: 2 }];
    const preview = await b.api('/checkout/preview', { body: { items, addressId: b.addressId, choices: { coupons: { memberCouponId: null } } } });
    expect(preview.body.gifts).toEqual([expect.objectContaining({ pluginId: 'campaigns', skuId: giftSku, quantity: 1, available: true })]);
    expect(preview.body.lines.map((l: { skuId: string; paidAmount: number; gift?: boolean }) => [l.skuId, l.paidAmount, l.gift ?? false])).toEqual([[skuId, 12000, false], [giftSku, 0, true]]);
    expect(preview.body.totals).toMatchObject({ itemsTotal: 13500, discountTotal: 1500, payTotal: 12000 });
    const order = await b.api('/checkout/submit', { body: { items, addressId: b.addressId, clientKey: key(), expectedPayTotal: 12000, choices: { coupons: { memberCouponId: null } } } });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const lines = (await db.execute({ sql: 'SELECT sku_id, unit_price, discount, paid_amount FROM order_lines WHERE order_id = ? ORDER BY paid_amount DESC', args: [order.body.order.id] })).rows;
    expect(lines.map((l) => [l.sku_id, Number(l.discount), Number(l.paid_amount)])).toEqual([[skuId, 0, 12000], [giftSku, 1500, 0]]);
    expect(Number((await db.execute({ sql: 'SELECT stock FROM skus WHERE id = ?', args: [giftSku] })).rows[0]!.stock)).toBe(0);
    // The only cup is gone: the next buyer is told, pays the same and gets no gift line.
    const next = await b.api('/checkout/preview', { body: { items, addressId: b.addressId, choices: { coupons: { memberCouponId: null } } } });
    expect(next.body.gifts).toEqual([expect.objectContaining({ skuId: giftSku, available: false })]);
    expect(next.body.lines).toHaveLength(1);
    expect(next.body.totals.payTotal).toBe(12000);
    await setEnabled('campaigns', false);
  });
});

