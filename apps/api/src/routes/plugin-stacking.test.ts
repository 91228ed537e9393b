import type { Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, type TestApp } from '../testing/test-app';

/**
 * The shop's stacking rules (G2) on the real app: the merchant's overrides are validated and
 * stored, and cart, preview and placement price by them — a coupon and a campaign that stack by
 * default go separate ways once the merchant says they never go together.
 */

const HOST = 'stacks.localhost';
let t: TestApp;
let owner: string;
let skuId: string;
let db: Client;
let shopper: { api: ReturnType<typeof as>; addressId: string };
const day = 86_400_000;

const as = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });
const admin = (path: string, init: Parameters<TestApp['request']>[2] = {}) => as(owner)(`/admin${path}`, init);
const stored = async () => (await db.execute(`SELECT value FROM settings WHERE key = 'stacking'`)).rows[0]?.value ?? null;
const items = () => [{ skuId, quantity: 2 }];
const preview = async () => {
  const res = await shopper.api('/checkout/preview', { body: { items: items(), addressId: shopper.addressId } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { payTotal: res.body.totals.payTotal as number, from: [...new Set((res.body.offers as { pluginId: string }[]).map((o) => o.pluginId))].sort() };
};

beforeAll(async () => {
  t = await createTestApp();
  ({ ownerCookie: owner } = await t.signupAndLogin('stacks'));
  const category = (await admin('/categories', { body: { name: '茶' } })).body.category.id;
  const product = await admin('/products', { body: { title: '龙井', categoryId: category, status: 'on', skus: [{ specs: {}, price: 6000, stock: 50 }] } });
  skuId = product.body.skus[0].id;
  db = await t.shopDb('stacks');
  for (const id of ['coupons', 'campaigns']) expect((await admin(`/plugins/${id}/install`, { body: {} })).status).toBe(201);
  const now = t.clock.now();
  expect((await as(owner)('/plugins/campaigns/admin/campaigns', { body: { name: '9折', window: { startsAt: now - day, endsAt: now + day }, scope: { type: 'all' }, terms: { kind: 'discount', percentOffBps: 1000 } } })).status).toBe(201);
  const template = await as(owner)('/plugins/coupons/admin/templates', {
    body: { name: '满100减20', terms: { kind: 'threshold', threshold: 10000, amountOff: 2000 }, scope: { type: 'all' }, validity: { type: 'relative', days: 30 }, quantity: 100, perMemberLimit: 1 },
  });
  const reg = await t.request(HOST, '/api/member/register', { body: { username: 'stackbuyer', password: 'buyer-pass-1' }, cookies: '' });
  const cookie = cookieHeader(reg.setCookies);
  const address = await as(cookie)('/member/addresses', { body: { name: '李四', phone: '13900000000', province: '浙江', city: '杭州', district: '西湖区', detail: '文二路 2 号' } });
  shopper = { api: as(cookie), addressId: address.body.address.id };
  expect((await shopper.api(`/plugins/coupons/templates/${template.body.template.id}/claim`, { method: 'POST' })).status).toBe(201);
});
afterAll(async () => { await t.close(); });

describe('stacking rules', () => {
  it('starts from the defaults: a coupon and a campaign stack', async () => {
    const res = await admin('/plugin-stacking');
    expect(res.status).toBe(200);
    expect(res.body.overrides).toEqual({});
    expect(res.body.rules).toEqual(res.body.defaults);
    expect(res.body.rules.pairs).toContainEqual({ classes: ['coupon', 'campaign'], rule: 'stack' });
    // ¥120: 10% off is ¥12, and the ¥108 left still reaches the coupon's ¥100 threshold.
    expect(await preview()).toEqual({ payTotal: 8800, from: ['campaigns', 'coupons'] });
  });

  it('bad input changes nothing: unknown classes or values, a class paired with itself, a pair named twice, unknown fields', async () => {
    const bad = [
      { pairs: [{ classes: ['coupon', 'shipping'], rule: 'stack' }] },
      { pairs: [{ classes: ['coupon', 'coupon'], rule: 'never' }] },
      { pairs: [{ classes: ['coupon', 'campaign'], rule: 'never' }, { classes: ['campaign', 'coupon'], rule: 'stack' }] },
      { pairs: [{ classes: ['coupon', 'campaign'], rule: 'sometimes' }] },
      { pick: { coupon: 'two' } },
      { pick: { exclusive: 'all' } },
      { pairs: 'never' },
      { rules: {} },
    ];
    for (const body of bad) {
      const res = await admin('/plugin-stacking', { method: 'PUT', body });
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(await stored()).toBeNull();
    expect(await t.count(db, 'audit_log', `entity = 'settings' AND entity_id = 'stacking'`)).toBe(0);
  });

  it('a coupon and a campaign that never go together: the one saving the buyer more prices cart, preview and the order', async () => {
    const res = await admin('/plugin-stacking', { method: 'PUT', body: { pairs: [{ classes: ['coupon', 'campaign'], rule: 'never' }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.overrides).toEqual({ pairs: [{ classes: ['coupon', 'campaign'], rule: 'never' }] });
    expect(res.body.rules.pairs).toContainEqual({ classes: ['coupon', 'campaign'], rule: 'never' });
    expect(await t.count(db, 'audit_log', `entity = 'settings' AND entity_id = 'stacking'`)).toBe(1);
    // The coupon's ¥20 beats the campaign's ¥12.
    expect(await preview()).toEqual({ payTotal: 10000, from: ['coupons'] });
    expect((await shopper.api('/cart/items', { body: { skuId, quantity: 2 } })).status).toBe(201);
    expect((await shopper.api('/cart')).body.totals.payTotal).toBe(10000);
    const placed = await shopper.api('/checkout/submit', { body: { items: items(), addressId: shopper.addressId, clientKey: 'stacks-order-1', expectedPayTotal: 10000 } });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order.payTotal).toBe(10000);
  });

  it('restoring the defaults stacks them again', async () => {
    const res = await admin('/plugin-stacking', { method: 'PUT', body: {} });
    expect(res.status).toBe(200);
    expect(res.body.rules).toEqual(res.body.defaults);
    // The coupon is held by the order above: the campaign alone prices now.
    expect(await preview()).toEqual({ payTotal: 10800, from: ['campaigns'] });
  });

  it('needs plugins.manage', async () => {
    expect((await t.request(HOST, '/api/admin/plugin-stacking', { cookies: '' })).status).toBe(401);
  });
});
