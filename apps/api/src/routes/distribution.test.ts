import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDistributionSettings } from '@tuike/distribution';
import { createTestApp, cookieHeader, type TestApp } from '../testing/test-app';

const HOST = 'dist.localhost';
const DAY = 86_400_000;
let t: TestApp;
let owner: string;
let skuId: string;
let productId: string;
const as = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });

async function register(username: string, body: Record<string, unknown> = {}, cookies = '') {
  const res = await t.request(HOST, '/api/member/register', { body: { username, password: 'member-pass-1', ...body }, cookies });
  expect(res.status).toBe(201);
  return cookieHeader(res.setCookies);
}

/** A member who applies and (auto-approve) becomes a distributor; returns cookie and invite code. */
async function distributor(username: string, ref?: string) {
  const cookie = await register(username, ref ? { ref } : {});
  expect((await as(cookie)('/distribution/apply', { body: { shopName: `${username} 的店` } })).body).toEqual({ status: 'active' });
  const me = await as(cookie)('/distribution/me');
  return { cookie, code: me.body.inviteCode as string };
}

beforeAll(async () => {
  t = await createTestApp({ signupRateLimit: { max: 1000, windowMs: 60_000 } });
  ({ ownerCookie: owner } = await t.signupAndLogin('dist'));
  const db = await t.shopDb('dist');
  await db.execute({ sql: `INSERT INTO settings (key, value, updated_at) VALUES ('distribution', ?, 0)`, args: [JSON.stringify({ ...defaultDistributionSettings, autoApprove: true, freezeDays: 7 })] });
  const admin = as(owner);
  const category = (await admin('/admin/categories', { body: { name: '茶叶' } })).body.category.id;
  const product = await admin('/admin/products', { body: { title: '明前龙井', categoryId: category, status: 'on', skus: [{ price: 20000, stock: 100 }] } });
  productId = product.body.product.id;
  skuId = product.body.skus[0].id;
});
afterAll(async () => { await t.close(); });

describe('recruit through links, buy through the chain, earn at three levels (D2–D10)', () => {
  let a: { cookie: string; code: string };
  let b: { cookie: string; code: string };
  let c: { cookie: string; code: string };
  let buyer: string;

  it('binds an anonymous visitor by the remembered link when they register, and builds a three-level tree', async () => {
    a = await distributor('alice');
    const visit = await t.request(HOST, '/api/distribution/visit', { body: { code: a.code }, cookies: '' });
    expect(visit.body.outcome).toBe('remembered');
    const refCookie = cookieHeader(visit.setCookies);
    expect(visit.setCookies[0]).toMatch(/HttpOnly/i);
    const bobCookie = await register('bob', {}, refCookie);
    expect((await as(bobCookie)('/distribution/status')).body).toMatchObject({ status: 'none', boundTo: 'alice 的店' });
    expect((await as(bobCookie)('/distribution/apply', { body: { shopName: 'bob 的店' } })).body.status).toBe('active');
    b = { cookie: bobCookie, code: (await as(bobCookie)('/distribution/me')).body.inviteCode };
    c = await distributor('carol', b.code);
    const team = await as(a.cookie)('/distribution/team?level=2');
    expect(team.body.items.map((m: { shopName: string }) => m.shopName)).toEqual(['carol 的店']);
    expect((await as(a.cookie)('/distribution/me')).body.team).toMatchObject({ level1: 1, level2: 1, level3: 0 });
  });

  it('refuses binding to oneself and keeps a distributor’s own upline (no loop)', async () => {
    expect((await as(a.cookie)('/distribution/visit', { body: { code: a.code } })).body.outcome).toBe('ignored');
    expect((await as(a.cookie)('/distribution/visit', { body: { code: c.code } })).body.outcome).toBe('ignored');
    expect((await as(a.cookie)('/distribution/visit', { body: { code: 'NOPE99' } })).body.error.code).toBe('INVITE_CODE_INVALID');
  });

  it('pays C, B and A 10% / 5% / 2% of what the buyer paid, and shows it in each centre', async () => {
    buyer = await register('buyer', { ref: c.code });
    const api = as(buyer);
    const address = (await api('/member/addresses', { body: { name: '买家', phone: '13800000000', province: '浙江', city: '杭州', district: '', detail: '1 号' } })).body.address.id;
    const placed = await api('/checkout/submit', { body: { items: [{ skuId, quantity: 2 }], addressId: address, clientKey: 'dist-order-1', expectedPayTotal: 40000 } });
    expect(placed.status).toBe(201);
    expect((await api(`/payments/sandbox/${placed.body.payment.intentId}/complete`, { body: { outcome: 'paid' } })).body.result).toBe('applied');
    expect((await as(c.cookie)('/distribution/me')).body.wallet).toMatchObject({ pending: 4000 });
    expect((await as(b.cookie)('/distribution/me')).body.wallet).toMatchObject({ pending: 2000 });
    expect((await as(a.cookie)('/distribution/me')).body.wallet).toMatchObject({ pending: 800 });
    const notices = (await as(c.cookie)('/notifications')).body.items as { type: string; body: string }[];
    expect(notices.find((n) => n.type === 'commission.pending')?.body).toContain('¥40.00');
    const orders = await as(c.cookie)('/distribution/orders');
    expect(orders.body.items[0]).toMatchObject({ payTotal: 40000, commission: 4000, buyer: 'b***' });
    const board = await as(buyer)('/distribution/leaderboard?period=week');
    expect(board.body.items[0]).toMatchObject({ rank: 1, shopName: 'carol 的店', sales: 40000 });
    const earn = await as(c.cookie)(`/distribution/earn/${productId}`);
    expect(earn.body.items[0]).toMatchObject({ price: 20000, commission: 2000 });
  });

  it('freezes at completion, settles after the period, and lets C withdraw what settled — never twice', async () => {
    const orderId = (await as(buyer)('/orders')).body.items[0].id;
    expect((await as(owner)(`/admin/orders/${orderId}/ship`, { body: { carrier: 'SF', trackingNo: 'SF1234567890' } })).status).toBe(200);
    expect((await as(buyer)(`/orders/${orderId}/receive`, { body: {} })).status).toBe(200);
    t.clock.advance(8 * DAY);
    expect((await as(c.cookie)('/distribution/me')).body.wallet).toMatchObject({ pending: 0, frozen: 4000 });
    t.clock.advance(15 * DAY);
    expect((await as(c.cookie)('/distribution/me')).body.wallet).toMatchObject({ frozen: 0, available: 4000 });
    expect((await as(c.cookie)('/distribution/statements')).body.items[0]).toMatchObject({ amount: 4000, debt_paid: 0 });
    const first = await as(c.cookie)('/distribution/withdrawals', { body: { amount: 3000, method: 'wechat' } });
    expect(first.status).toBe(201);
    const second = await as(c.cookie)('/distribution/withdrawals', { body: { amount: 3000, method: 'wechat' } });
    expect(second.body.error.code).toBe('INSUFFICIENT_BALANCE');
    expect((await as(c.cookie)('/distribution/me')).body.wallet).toMatchObject({ available: 1000, reserved: 3000 });
  });

  it('answers bad input with clean errors and changes nothing', async () => {
    expect((await as(c.cookie)('/distribution/withdrawals', { body: { amount: -5, method: 'wechat' } })).status).toBe(400);
    expect((await as(c.cookie)('/distribution/withdrawals', { body: { amount: 100, method: 'cash' } })).status).toBe(400);
    expect((await as(c.cookie)('/distribution/withdrawals', { body: { amount: 100, method: 'bank' } })).body.error.code).toBe('WITHDRAWAL_METHOD_DISABLED');
    expect((await as(buyer)('/distribution/me')).body.error.code).toBe('NOT_DISTRIBUTOR');
    expect((await as(buyer)('/distribution/withdrawals', { body: { amount: 100, method: 'wechat' } })).body.error.code).toBe('NOT_DISTRIBUTOR');
    expect((await as(c.cookie)('/distribution/apply', { body: { shopName: 'again' } })).body.error.code).toBe('DISTRIBUTOR_EXISTS');
    expect((await as(c.cookie)('/distribution/team?level=4')).status).toBe(400);
    expect((await as(c.cookie)('/distribution/me')).body.wallet).toMatchObject({ available: 1000, reserved: 3000 });
  });

  it('makes the share kit: QR as SVG and PNG carrying the link, and a poster with the product', async () => {
    const svg = await t.request(HOST, '/api/distribution/qr', { cookies: c.cookie });
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    const png = await t.app.request(`http://${HOST}/api/distribution/qr?format=png&productId=${productId}`, { headers: { cookie: c.cookie } });
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const poster = await t.app.request(`http://${HOST}/api/distribution/poster/${productId}`, { headers: { cookie: c.cookie } });
    const text = await poster.text();
    expect(text).toContain('明前龙井');
    expect(text).toContain('¥200.00');
  });
});
