import type { Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, type PluginContext, type PluginEvent, type PluginDefinition } from '@tuike/plugin-sdk';
import { cookieHeader, createTestApp, type TestApp } from '../testing/test-app';
import { firstPartyPlugins } from './first-party';
import { createPluginRegistry } from './registry';

/**
 * Who hears a plugin order event, on the real app and real libSQL files: an order no plugin took
 * part in writes no events; an order's events reach only the plugins listed in its `plugins`
 * (enabled when it was placed) that listen to them, and an `own-offers` plugin only the orders
 * carrying its offer; a disabled plugin's deliveries wait and arrive once it is enabled again;
 * a plugin enabled after an order was placed never hears that order.
 *
 * Each test plugin writes one row per event it hears into its own table (no UNIQUE on purpose:
 * a second delivery of the same event would show as a second row).
 */

const heardTable = (id: string) => `CREATE TABLE plg_${id}_heard (event_id TEXT NOT NULL, type TEXT NOT NULL, order_id TEXT NOT NULL, items_paid INTEGER)`;
const record = (id: string) => async (event: PluginEvent<'order.placed' | 'order.paid'>, ctx: PluginContext) => {
  const itemsPaid = 'itemsPaid' in event.payload ? event.payload.itemsPaid : null;
  await ctx.db.execute(`INSERT INTO plg_${id}_heard (event_id, type, order_id, items_paid) VALUES (?, ?, ?, ?)`, [event.id, event.type, event.payload.orderId, itemsPaid]);
};

/** Hears every order it took part in (the default scope). */
const hearall = definePlugin({
  id: 'hearall', name: { zh: '全听', en: 'Hear all' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['events.order'],
  migrations: [heardTable('hearall')],
  hooks: { events: { 'order.placed': record('hearall'), 'order.paid': record('hearall') } },
});

/** The special SKU's price: hearown takes 5 yuan off lines at this unit price, and no others. */
const SPECIAL_PRICE = 7000;
const OWN_DISCOUNT = 500;
/** Hears only the orders carrying its own offer. */
const hearown = definePlugin({
  id: 'hearown', name: { zh: '只听自己', en: 'Hear own' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['pricing', 'events.order'],
  orderEvents: 'own-offers',
  migrations: [heardTable('hearown')],
  hooks: {
    pricing: (input) => input.lines.filter((l) => l.unitPrice === SPECIAL_PRICE).map((l) => ({
      kind: 'line_discount' as const, lineId: l.lineId, amount: OWN_DISCOUNT, label: { zh: '立减', en: 'Off' }, combinesWith: 'campaign' as const, priority: 1,
    })),
    events: { 'order.placed': record('hearown'), 'order.paid': record('hearown') },
  },
});

/** Hears every order's payment, but its placement only when it carries its offer (per-event scope). */
const hearmixed = definePlugin({
  id: 'hearmixed', name: { zh: '分事件', en: 'Hear mixed' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['pricing', 'events.order'],
  orderEvents: { 'order.placed': 'own-offers' },
  migrations: [heardTable('hearmixed')],
  hooks: {
    pricing: (input) => input.lines.filter((l) => l.unitPrice === SPECIAL_PRICE).map((l) => ({
      kind: 'line_discount' as const, lineId: l.lineId, amount: 100, label: { zh: '再减', en: 'More off' }, combinesWith: 'campaign' as const, priority: 2,
    })),
    events: { 'order.placed': record('hearmixed'), 'order.paid': record('hearmixed') },
  },
});

/** Installed only after an order was placed. */
const hearlate = definePlugin({
  id: 'hearlate', name: { zh: '后来者', en: 'Hear late' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['events.order'],
  migrations: [heardTable('hearlate')],
  hooks: { events: { 'order.placed': record('hearlate'), 'order.paid': record('hearlate') } },
});

/** Its order.paid handler fails while `flakyFailures` is above zero. */
let flakyFailures = 0;
const flaky = definePlugin({
  id: 'flaky', name: { zh: '时好时坏', en: 'Flaky' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['events.order'],
  migrations: [heardTable('flaky')],
  hooks: {
    events: {
      'order.placed': record('flaky'),
      'order.paid': async (event, ctx) => {
        if (flakyFailures > 0) {
          flakyFailures--;
          throw new Error('ledger service unavailable');
        }
        await record('flaky')(event, ctx);
      },
    },
  },
});

/** Hears the shop's other events: what each payload said, as JSON. */
const hearshop = definePlugin({
  id: 'hearshop', name: { zh: '店铺事件', en: 'Shop events' }, version: '1.0.0', engine: '^1.0.0', capabilities: ['events.order', 'events.member', 'events.distribution'],
  migrations: ['CREATE TABLE plg_hearshop_heard (event_id TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL)'],
  hooks: {
    events: Object.fromEntries((['member.registered', 'order.shipped', 'distributor.approved'] as const).map((type) => [type, async (event: PluginEvent, ctx: PluginContext) => {
      await ctx.db.execute('INSERT INTO plg_hearshop_heard (event_id, type, payload) VALUES (?, ?, ?)', [event.id, event.type, JSON.stringify(event.payload)]);
    }])),
  },
});

const extra: PluginDefinition[] = [hearall, hearown, hearlate, hearmixed, flaky, hearshop];

const SLUG = 'evts';
const HOST = `${SLUG}.localhost`;
let t: TestApp;
let owner: string;
let db: Client;
let plainSku: string;
let specialSku: string;
let shopper: Awaited<ReturnType<typeof buyer>>;

const as = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });

async function buyer(name: string) {
  const res = await t.request(HOST, '/api/member/register', { body: { username: name, password: 'buyer-pass-1' }, cookies: '' });
  expect(res.status).toBe(201);
  const cookie = cookieHeader(res.setCookies);
  const address = await as(cookie)('/member/addresses', { body: { name: '李四', phone: '13900000000', province: '浙江', city: '杭州', district: '西湖区', detail: '文二路 2 号' } });
  return { api: as(cookie), addressId: address.body.address.id as string };
}

async function install(id: string) {
  const res = await as(owner)(`/admin/plugins/${id}/install`, { body: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}
const setEnabled = async (id: string, enabled: boolean) => expect((await as(owner)(`/admin/plugins/${id}`, { method: 'PATCH', body: { enabled } })).status).toBe(200);

async function product(title: string, price: number) {
  const category = (await as(owner)('/admin/categories', { body: { name: `${title}类` } })).body.category.id;
  const res = await as(owner)('/admin/products', { body: { title, categoryId: category, status: 'on', skus: [{ specs: {}, price, stock: 100 }] } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.skus[0].id as string;
}

let keys = 0;
/** Each step a little later, so events have distinct times (but far from the 30 s sweep). */
const tick = () => t.clock.advance(10);
/** Places an order of one unit of `skuId` at the price the preview shows; events delivered. */
async function place(skuId: string) {
  tick();
  const items = [{ skuId, quantity: 1 }];
  const preview = await shopper.api('/checkout/preview', { body: { items, addressId: shopper.addressId } });
  expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  const res = await shopper.api('/checkout/submit', { body: { items, addressId: shopper.addressId, clientKey: `evts-order-${keys++}`, expectedPayTotal: preview.body.totals.payTotal } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await t.eventsDelivered();
  return { orderId: res.body.order.id as string, intentId: res.body.payment.intentId as string, payTotal: preview.body.totals.payTotal as number };
}
/** Pays through the sandbox; events delivered. */
async function pay(order: { intentId: string }) {
  tick();
  const paid = await shopper.api(`/payments/sandbox/${order.intentId}/complete`, { body: { outcome: 'paid' } });
  expect(paid.body).toMatchObject({ result: 'applied' });
  await t.eventsDelivered();
}

/** `orders.plugins`, parsed and sorted; null when NULL. */
async function pluginsOf(orderId: string): Promise<string[] | null> {
  const raw = (await db.execute({ sql: 'SELECT plugins FROM orders WHERE id = ?', args: [orderId] })).rows[0]!.plugins;
  return raw === null ? null : (JSON.parse(String(raw)) as string[]).sort();
}
/** What a plugin's handler wrote for the order, in the order it heard it. */
async function heard(pluginId: string, orderId: string): Promise<string[]> {
  const rows = (await db.execute({ sql: `SELECT type FROM plg_${pluginId}_heard WHERE order_id = ? ORDER BY rowid`, args: [orderId] })).rows;
  return rows.map((r) => String(r.type));
}
/** The order's deliveries to a plugin, by event type, with whether each was delivered. */
async function deliveries(pluginId: string, orderId: string): Promise<{ type: string; delivered: boolean }[]> {
  const rows = (await db.execute({
    sql: `SELECT e.type, d.delivered_at FROM plugin_deliveries d JOIN outbox_events e ON e.id = d.event_id
          WHERE d.plugin_id = ? AND json_extract(e.payload, '$.orderId') = ? ORDER BY e.created_at, e.rowid`,
    args: [pluginId, orderId],
  })).rows;
  return rows.map((r) => ({ type: String(r.type), delivered: r.delivered_at !== null }));
}
const outboxOf = (orderId: string) => t.count(db, 'outbox_events', "json_extract(payload, '$.orderId') = ?", [orderId]);

beforeAll(async () => {
  t = await createTestApp({ pluginRegistry: createPluginRegistry({ firstParty: [...firstPartyPlugins, ...extra] }) });
  ({ ownerCookie: owner } = await t.signupAndLogin(SLUG));
  plainSku = await product('白茶', 5000);
  specialSku = await product('红茶', SPECIAL_PRICE);
  db = await t.shopDb(SLUG);
  shopper = await buyer('evtsbuyer');
});
afterAll(async () => { await t.close(); });

describe('who receives plugin order events', () => {
  it('an order placed and paid with no plugin enabled has no plugins and writes no outbox events', async () => {
    expect(await t.count(db, 'plugin_installs', 'enabled = 1')).toBe(0);
    const order = await place(plainSku);
    await pay(order);
    const row = (await db.execute({ sql: 'SELECT status, plugins FROM orders WHERE id = ?', args: [order.orderId] })).rows[0]!;
    expect(row.status).toBe('paid');
    expect(row.plugins).toBeNull();
    expect(await outboxOf(order.orderId)).toBe(0);
    expect(await t.count(db, 'plugin_deliveries')).toBe(0);
  });

  it('a taken-part plugin hears every order; an own-offers plugin only the orders with its offer, each event once', async () => {
    await install('hearall');
    await install('hearown');

    const plain = await place(plainSku);
    await pay(plain);
    expect(await pluginsOf(plain.orderId)).toEqual(['hearall', 'hearown']);
    expect(await outboxOf(plain.orderId)).toBe(2);
    expect(await heard('hearall', plain.orderId)).toEqual(['order.placed', 'order.paid']);
    expect(await deliveries('hearall', plain.orderId)).toEqual([{ type: 'order.placed', delivered: true }, { type: 'order.paid', delivered: true }]);
    expect(await deliveries('hearown', plain.orderId)).toEqual([]);
    expect(await heard('hearown', plain.orderId)).toEqual([]);

    const special = await place(specialSku);
    const offers = JSON.parse(String((await db.execute({ sql: 'SELECT offers FROM orders WHERE id = ?', args: [special.orderId] })).rows[0]!.offers));
    expect(offers).toEqual([expect.objectContaining({ pluginId: 'hearown', amount: OWN_DISCOUNT })]);
    await pay(special);
    expect(await pluginsOf(special.orderId)).toEqual(['hearall', 'hearown']);
    for (const id of ['hearall', 'hearown']) {
      expect(await heard(id, special.orderId), id).toEqual(['order.placed', 'order.paid']);
      expect(await deliveries(id, special.orderId), id).toEqual([{ type: 'order.placed', delivered: true }, { type: 'order.paid', delivered: true }]);
    }
    // Nothing else reached anyone: two deliveries for the plain order, four for the special one.
    expect(await t.count(db, 'plugin_deliveries')).toBe(6);
    // order.paid says what was paid for the items: after the plugin's discount, before shipping.
    const paidItems = async (orderId: string) => Number((await db.execute({ sql: `SELECT items_paid FROM plg_hearall_heard WHERE order_id = ? AND type = 'order.paid'`, args: [orderId] })).rows[0]!.items_paid);
    expect(await paidItems(plain.orderId)).toBe(5000);
    expect(await paidItems(special.orderId)).toBe(SPECIAL_PRICE - OWN_DISCOUNT);
  });

  it('a disabled plugin\'s delivery waits, and arrives once it is enabled again', async () => {
    const order = await place(plainSku);
    expect(await heard('hearall', order.orderId)).toEqual(['order.placed']);
    await setEnabled('hearall', false);
    await pay(order);
    expect(await deliveries('hearall', order.orderId)).toEqual([{ type: 'order.placed', delivered: true }, { type: 'order.paid', delivered: false }]);
    expect(await heard('hearall', order.orderId)).toEqual(['order.placed']);

    // Placed while it was off: it did not take part, and never hears this one.
    const whileOff = await place(plainSku);
    expect(await pluginsOf(whileOff.orderId)).toEqual(['hearown']);

    await setEnabled('hearall', true);
    // The next delivery pass (after another order's events) delivers what waited.
    const next = await place(plainSku);
    expect(await heard('hearall', next.orderId)).toEqual(['order.placed']);
    expect(await deliveries('hearall', order.orderId)).toEqual([{ type: 'order.placed', delivered: true }, { type: 'order.paid', delivered: true }]);
    expect(await heard('hearall', order.orderId)).toEqual(['order.placed', 'order.paid']);
    await pay(whileOff);
    expect(await deliveries('hearall', whileOff.orderId)).toEqual([]);
    expect(await heard('hearall', whileOff.orderId)).toEqual([]);
  });

  it('a plugin enabled after an order was placed does not hear that order\'s later events', async () => {
    const before = await place(plainSku);
    await install('hearlate');
    await pay(before);
    expect(await pluginsOf(before.orderId)).toEqual(['hearall', 'hearown']);
    expect(await heard('hearall', before.orderId)).toEqual(['order.placed', 'order.paid']);
    expect(await deliveries('hearlate', before.orderId)).toEqual([]);
    expect(await heard('hearlate', before.orderId)).toEqual([]);

    // An order placed once it is enabled is heard from its placement on.
    const after = await place(plainSku);
    await pay(after);
    expect(await pluginsOf(after.orderId)).toEqual(['hearall', 'hearlate', 'hearown']);
    expect(await heard('hearlate', after.orderId)).toEqual(['order.placed', 'order.paid']);
  });

  it('a per-event scope: order.placed only with its own offer, order.paid for every order it took part in', async () => {
    await install('hearmixed');
    const plain = await place(plainSku);
    await pay(plain);
    const special = await place(specialSku);
    await pay(special);
    expect(await heard('hearmixed', plain.orderId)).toEqual(['order.paid']);
    expect(await heard('hearmixed', special.orderId)).toEqual(['order.placed', 'order.paid']);
    await setEnabled('hearmixed', false);
  });

  it('plugins with no checkout hook at all still take part, and hear the order', async () => {
    await setEnabled('hearown', false);
    const order = await place(plainSku);
    await pay(order);
    expect(await pluginsOf(order.orderId)).toEqual(['hearall', 'hearlate']);
    for (const id of ['hearall', 'hearlate']) expect(await heard(id, order.orderId), id).toEqual(['order.placed', 'order.paid']);
  });

  it('writes no order.placed when no plugin taking part hears it', async () => {
    await setEnabled('hearall', false);
    await setEnabled('hearlate', false);
    await setEnabled('hearmixed', true);
    const order = await place(plainSku);
    await pay(order);
    expect(await pluginsOf(order.orderId)).toEqual(['hearmixed']);
    const types = (await db.execute({ sql: `SELECT type FROM outbox_events WHERE json_extract(payload, '$.orderId') = ?`, args: [order.orderId] })).rows.map((r) => String(r.type));
    expect(types).toEqual(['order.paid']);
    expect(await heard('hearmixed', order.orderId)).toEqual(['order.paid']);
    // With its own offer in the order, the placement is written and heard.
    const special = await place(specialSku);
    expect(await heard('hearmixed', special.orderId)).toEqual(['order.placed']);
  });

  it('a failing handler\'s delivery is written once with its error and backoff, and retried until it succeeds (heard once)', async () => {
    await setEnabled('hearmixed', false);
    await install('flaky');
    const order = await place(plainSku);
    flakyFailures = 1;
    const paidAt = t.clock.now() + 10;
    await pay(order);
    const row = async () => (await db.execute({
      sql: `SELECT d.attempts, d.delivered_at, d.last_error, d.next_attempt_at FROM plugin_deliveries d JOIN outbox_events e ON e.id = d.event_id
            WHERE d.plugin_id = 'flaky' AND e.type = 'order.paid' AND json_extract(e.payload, '$.orderId') = ?`,
      args: [order.orderId],
    })).rows.map((r) => ({ attempts: Number(r.attempts), delivered: r.delivered_at !== null, error: r.last_error, next: Number(r.next_attempt_at) }));
    expect(await row()).toEqual([{ attempts: 1, delivered: false, error: expect.stringContaining('ledger service unavailable'), next: paidAt + 10_000 }]);
    expect(await heard('flaky', order.orderId)).toEqual(['order.placed']);
    // A pass before the backoff is over leaves it waiting.
    await place(plainSku);
    expect((await row())[0]).toMatchObject({ attempts: 1, delivered: false });
    t.clock.advance(10_000);
    await place(plainSku);
    expect(await row()).toEqual([{ attempts: 2, delivered: true, error: null, next: paidAt + 10_000 }]);
    expect(await heard('flaky', order.orderId)).toEqual(['order.placed', 'order.paid']);
    // The successful deliveries of the same pass were written once, delivered on their first attempt.
    const placedRows = (await db.execute({
      sql: `SELECT d.attempts, d.delivered_at IS NOT NULL AS delivered FROM plugin_deliveries d JOIN outbox_events e ON e.id = d.event_id
            WHERE d.plugin_id = 'flaky' AND e.type = 'order.placed' AND json_extract(e.payload, '$.orderId') = ?`,
      args: [order.orderId],
    })).rows.map((r) => [Number(r.attempts), Number(r.delivered)]);
    expect(placedRows).toEqual([[1, 1]]);
  });

  it('the shop\'s other events reach the plugins that listen: a registration (with who it was referred by), a shipment', async () => {
    await install('hearshop');
    const heardShop = async (type: string) => (await db.execute({ sql: 'SELECT payload FROM plg_hearshop_heard WHERE type = ? ORDER BY rowid', args: [type] })).rows.map((r) => JSON.parse(String(r.payload)));
    await buyer('evtsnewcomer');
    await t.eventsDelivered();
    const memberId = (await db.execute(`SELECT id FROM members WHERE username = 'evtsnewcomer'`)).rows[0]!.id;
    expect(await heardShop('member.registered')).toEqual([{ memberId, channel: 'h5', distributorId: null }]);

    const order = await place(plainSku);
    await pay(order);
    tick();
    expect((await as(owner)(`/admin/orders/${order.orderId}/ship`, { body: { carrier: '顺丰', trackingNo: 'SF1000' } })).status).toBe(200);
    await t.eventsDelivered();
    expect(await heardShop('order.shipped')).toEqual([{ orderId: order.orderId, orderNo: expect.any(String), memberId: expect.any(String), shippedAt: t.clock.now() }]);
  });
});
