import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '@tuike/core';
import { cookieHeader, createTestApp, type TestApp } from '../testing/test-app';

const DAY = 24 * 60 * 60_000;
let t: TestApp;
beforeAll(async () => { t = await createTestApp({ loginRateLimit: { max: 1000, windowMs: 60_000 } }); });
afterAll(async () => { await t.close(); });

const tokenOf = (setCookies: string[], name: string) => {
  const sc = setCookies.find((c) => c.startsWith(`${name}=`));
  return sc ? sc.split(';')[0]!.slice(name.length + 1) : undefined;
};
const expiresOf = (setCookie: string) => Date.parse(/Expires=([^;]+)/.exec(setCookie)![1]!);
const ticketOf = (url: string) => new URL(url).searchParams.get('ticket')!;

async function login(host: string, email: string, password: string, prefix = '') {
  return t.request(host, `${prefix}/api/admin/auth/login`, { body: { email, password }, cookies: '' });
}

describe('staff session cookies', () => {
  let shop: Awaited<ReturnType<TestApp['signupShop']>>;
  beforeAll(async () => { shop = await t.signupShop('cookies'); });

  it('are HttpOnly, Secure, SameSite=Lax, host-only and on Path=/ under host routing', async () => {
    const res = await login('cookies.localhost', shop.email, shop.password);
    expect(res.status).toBe(200);
    const sc = res.setCookies.find((c) => c.startsWith('tk_staff='))!;
    expect(sc).toMatch(/; HttpOnly(;|$)/);
    expect(sc).toMatch(/; Secure(;|$)/);
    expect(sc).toMatch(/; SameSite=Lax(;|$)/);
    expect(sc).toMatch(/; Path=\/(;|$)/);
    expect(sc).not.toMatch(/Domain=/i);
    expect(expiresOf(sc)).toBe(t.clock.now() + 30 * DAY - (t.clock.now() % 1000));
  });

  it('are limited to Path=/s/{slug} under path routing', async () => {
    const res = await login('localhost', shop.email, shop.password, '/s/cookies');
    expect(res.status).toBe(200);
    const sc = res.setCookies.find((c) => c.startsWith('tk_staff='))!;
    expect(sc).toMatch(/; Path=\/s\/cookies(;|$)/);
    expect(sc).toMatch(/; HttpOnly/);
    expect(sc).not.toMatch(/Domain=/i);
    const cookie = cookieHeader(res.setCookies);
    expect((await t.request('localhost', '/s/cookies/api/admin/me', { cookies: cookie })).status).toBe(200);
    const out = await t.request('localhost', '/s/cookies/api/admin/auth/logout', { body: {}, cookies: cookie });
    expect(out.setCookies.find((c) => c.startsWith('tk_staff='))).toMatch(/Path=\/s\/cookies/);
  });

  it('are stored hashed: the sessions table never holds the cookie value', async () => {
    const res = await login('cookies.localhost', shop.email, shop.password);
    const token = tokenOf(res.setCookies, 'tk_staff')!;
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const db = await t.shopDb('cookies');
    expect(await t.count(db, 'sessions', 'id = ?', [token])).toBe(0);
    expect(await t.count(db, 'sessions', 'id = ? AND kind = ? AND subject_id = ?', [hashToken(token), 'staff', 'staff_owner'])).toBe(1);
  });
});

describe('staff sessions across shops', () => {
  let a: Awaited<ReturnType<TestApp['signupAndLogin']>>;
  beforeAll(async () => {
    a = await t.signupAndLogin('shop-a');
    await t.signupShop('shop-b');
  });

  it('refuse shop A’s staff cookie on shop B with 401 UNAUTHENTICATED, host-routed', async () => {
    const res = await t.request('shop-b.localhost', '/api/admin/me', { cookies: a.ownerCookie });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuse shop A’s staff cookie on shop B with 401 UNAUTHENTICATED, path-routed', async () => {
    const res = await t.request('localhost', '/s/shop-b/api/admin/me', { cookies: a.ownerCookie });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect((await t.request('localhost', '/s/shop-a/api/admin/me', { cookies: a.ownerCookie })).status).toBe(200);
  });

  it('do not accept a member session as a staff session', async () => {
    const reg = await t.request('shop-a.localhost', '/api/member/register', { body: { username: 'sneaky', password: 'sneaky-pass-1' }, cookies: '' });
    const memberToken = tokenOf(reg.setCookies, 'tk_member')!;
    const res = await t.request('shop-a.localhost', '/api/admin/me', { cookies: `tk_staff=${memberToken}` });
    expect(res.status).toBe(401);
  });

  it('refuse a forged or malformed token', async () => {
    for (const cookie of ['tk_staff=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'tk_staff=', 'tk_staff=%00', `tk_staff=${'x'.repeat(5000)}`]) {
      const res = await t.request('shop-a.localhost', '/api/admin/me', { cookies: cookie });
      expect(res.status, cookie.slice(0, 40)).toBe(401);
    }
  });
});

describe('staff session lifetime', () => {
  let shop: Awaited<ReturnType<TestApp['signupShop']>>;
  beforeAll(async () => { shop = await t.signupShop('lifetime'); });

  it('logout invalidates the token on the server: replaying the old cookie is 401', async () => {
    const res = await login('lifetime.localhost', shop.email, shop.password);
    const cookie = cookieHeader(res.setCookies);
    const token = tokenOf(res.setCookies, 'tk_staff')!;
    const db = await t.shopDb('lifetime');
    expect((await t.request('lifetime.localhost', '/api/admin/me', { cookies: cookie })).status).toBe(200);
    const out = await t.request('lifetime.localhost', '/api/admin/auth/logout', { body: {}, cookies: cookie });
    expect(out.status).toBe(200);
    const cleared = out.setCookies.find((c) => c.startsWith('tk_staff='))!;
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect(await t.count(db, 'sessions', 'id = ?', [hashToken(token)])).toBe(0);
    const replay = await t.request('lifetime.localhost', '/api/admin/me', { cookies: cookie });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('logout only ends that session, not the user’s other sessions', async () => {
    const one = cookieHeader((await login('lifetime.localhost', shop.email, shop.password)).setCookies);
    const two = cookieHeader((await login('lifetime.localhost', shop.email, shop.password)).setCookies);
    await t.request('lifetime.localhost', '/api/admin/auth/logout', { body: {}, cookies: one });
    expect((await t.request('lifetime.localhost', '/api/admin/me', { cookies: one })).status).toBe(401);
    expect((await t.request('lifetime.localhost', '/api/admin/me', { cookies: two })).status).toBe(200);
  });

  it('expires after 30 days without use: 31 days later the cookie is 401 and the row is gone', async () => {
    const res = await login('lifetime.localhost', shop.email, shop.password);
    const cookie = cookieHeader(res.setCookies);
    const token = tokenOf(res.setCookies, 'tk_staff')!;
    t.clock.advance(31 * DAY);
    const me = await t.request('lifetime.localhost', '/api/admin/me', { cookies: cookie });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
    expect(me.setCookies.find((c) => c.startsWith('tk_staff='))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect(await t.count(await t.shopDb('lifetime'), 'sessions', 'id = ?', [hashToken(token)])).toBe(0);
  });

  it('is not renewed (no Set-Cookie) while more than 15 days remain', async () => {
    const cookie = cookieHeader((await login('lifetime.localhost', shop.email, shop.password)).setCookies);
    t.clock.advance(10 * DAY);
    const me = await t.request('lifetime.localhost', '/api/admin/me', { cookies: cookie });
    expect(me.status).toBe(200);
    expect(me.setCookies).toEqual([]);
  });

  it('slides: used after 20 days it is renewed to 30 days from then and outlives the original 30', async () => {
    const res = await login('lifetime.localhost', shop.email, shop.password);
    const cookie = cookieHeader(res.setCookies);
    const firstExpiry = expiresOf(res.setCookies.find((c) => c.startsWith('tk_staff='))!);
    t.clock.advance(20 * DAY);
    const renewed = await t.request('lifetime.localhost', '/api/admin/me', { cookies: cookie });
    expect(renewed.status).toBe(200);
    const sc = renewed.setCookies.find((c) => c.startsWith('tk_staff='));
    expect(sc).toBeDefined();
    expect(tokenOf(renewed.setCookies, 'tk_staff')).toBe(tokenOf(res.setCookies, 'tk_staff'));
    expect(expiresOf(sc!)).toBeGreaterThan(firstExpiry);
    expect(expiresOf(sc!)).toBeGreaterThanOrEqual(t.clock.now() + 30 * DAY - 1000);
    expect(sc).toMatch(/; HttpOnly/);
    t.clock.advance(15 * DAY); // 35 days after login
    expect((await t.request('lifetime.localhost', '/api/admin/me', { cookies: cookie })).status).toBe(200);
  });

  it('ends for a staff member who is disabled, at their next request', async () => {
    const owner = cookieHeader((await login('lifetime.localhost', shop.email, shop.password)).setCookies);
    const created = await t.request('lifetime.localhost', '/api/admin/staff', { body: { email: 'temp@example.com', name: 'Temp', password: 'temp-pass-11', roleIds: ['role_operations'] }, cookies: owner });
    expect(created.status).toBe(201);
    const temp = cookieHeader((await login('lifetime.localhost', 'temp@example.com', 'temp-pass-11')).setCookies);
    expect((await t.request('lifetime.localhost', '/api/admin/me', { cookies: temp })).status).toBe(200);
    expect((await t.request('lifetime.localhost', `/api/admin/staff/${created.body.staff.id}`, { method: 'PATCH', body: { status: 'disabled' }, cookies: owner })).status).toBe(200);
    expect((await t.request('lifetime.localhost', '/api/admin/me', { cookies: temp })).status).toBe(401);
    const again = await login('lifetime.localhost', 'temp@example.com', 'temp-pass-11');
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('signup login tickets', () => {
  it('sign the owner in once; the same ticket is refused afterwards with INVALID_TICKET', async () => {
    const shop = await t.signupShop('ticket-once');
    const ticket = ticketOf(shop.adminUrl);
    const first = await t.request('ticket-once.localhost', '/api/admin/auth/ticket', { body: { ticket }, cookies: '' });
    expect(first.status).toBe(200);
    expect(first.body.staff).toMatchObject({ id: 'staff_owner', isOwner: true });
    expect(tokenOf(first.setCookies, 'tk_staff')).toMatch(/^[a-z2-7]{32}$/);
    const second = await t.request('ticket-once.localhost', '/api/admin/auth/ticket', { body: { ticket }, cookies: '' });
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe('INVALID_TICKET');
    expect(second.setCookies).toEqual([]);
    expect(await t.count(await t.shopDb('ticket-once'), 'login_tickets')).toBe(0);
  });

  it('work on the path-routed admin address too', async () => {
    const shop = await t.signupShop('ticket-path');
    const res = await t.request('localhost', '/s/ticket-path/api/admin/auth/ticket', { body: { ticket: ticketOf(shop.adminPathUrl) }, cookies: '' });
    expect(res.status).toBe(200);
    expect(res.setCookies.find((c) => c.startsWith('tk_staff='))).toMatch(/Path=\/s\/ticket-path/);
  });

  it('are single-use under a race: of five simultaneous uses exactly one signs in', async () => {
    const shop = await t.signupShop('ticket-race');
    const ticket = ticketOf(shop.adminUrl);
    const results = await Promise.all(Array.from({ length: 5 }, () => t.request('ticket-race.localhost', '/api/admin/auth/ticket', { body: { ticket }, cookies: '' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    expect(await t.count(await t.shopDb('ticket-race'), 'sessions')).toBe(1);
  });

  it('still work 4 minutes 59 seconds after signup', async () => {
    const shop = await t.signupShop('ticket-fresh');
    t.clock.advance(5 * 60_000 - 1000);
    const res = await t.request('ticket-fresh.localhost', '/api/admin/auth/ticket', { body: { ticket: ticketOf(shop.adminUrl) }, cookies: '' });
    expect(res.status).toBe(200);
  });

  it('expire 5 minutes after signup', async () => {
    const shop = await t.signupShop('ticket-stale');
    t.clock.advance(5 * 60_000);
    const res = await t.request('ticket-stale.localhost', '/api/admin/auth/ticket', { body: { ticket: ticketOf(shop.adminUrl) }, cookies: '' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TICKET');
    expect(await t.count(await t.shopDb('ticket-stale'), 'sessions')).toBe(0);
  });

  it('belong to their shop: another shop refuses the ticket', async () => {
    const one = await t.signupShop('ticket-one');
    await t.signupShop('ticket-two');
    const res = await t.request('ticket-two.localhost', '/api/admin/auth/ticket', { body: { ticket: ticketOf(one.adminUrl) }, cookies: '' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TICKET');
    expect((await t.request('ticket-one.localhost', '/api/admin/auth/ticket', { body: { ticket: ticketOf(one.adminUrl) }, cookies: '' })).status).toBe(200);
  });

  it('are stored hashed', async () => {
    const shop = await t.signupShop('ticket-hash');
    const ticket = ticketOf(shop.adminUrl);
    const db = await t.shopDb('ticket-hash');
    expect(await t.count(db, 'login_tickets', 'id = ?', [ticket])).toBe(0);
    expect(await t.count(db, 'login_tickets', 'id = ?', [hashToken(ticket)])).toBe(1);
  });
});

describe('staff password login', () => {
  let r: TestApp;
  let shop: Awaited<ReturnType<TestApp['signupShop']>>;
  beforeAll(async () => {
    r = await createTestApp({ loginRateLimit: { max: 3, windowMs: 60_000 } });
    shop = await r.signupShop('limited');
  });
  afterAll(async () => { await r.close(); });

  it('refuses a wrong password and an unknown email alike with 401 INVALID_CREDENTIALS', async () => {
    const wrong = await r.request('limited.localhost', '/api/admin/auth/login', { body: { email: shop.email, password: 'wrong-pass-1' }, cookies: '', clientIp: '198.51.100.50' });
    const unknown = await r.request('limited.localhost', '/api/admin/auth/login', { body: { email: 'nobody@example.com', password: 'wrong-pass-1' }, cookies: '', clientIp: '198.51.100.51' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
      expect(res.setCookies).toEqual([]);
    }
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    r.clock.advance(60_000);
  });

  it('is refused with 429 RATE_LIMITED after the configured attempts from one IP, even with the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await r.request('limited.localhost', '/api/admin/auth/login', { body: { email: `guess${i}@example.com`, password: 'wrong-pass-1' }, cookies: '' });
      expect(res.status).toBe(401);
    }
    const fourth = await r.request('limited.localhost', '/api/admin/auth/login', { body: { email: shop.email, password: shop.password }, cookies: '' });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('RATE_LIMITED');
    expect(fourth.setCookies).toEqual([]);
    expect(await r.count(await r.shopDb('limited'), 'sessions')).toBe(0);
    r.clock.advance(60_000);
    expect((await r.request('limited.localhost', '/api/admin/auth/login', { body: { email: shop.email, password: shop.password }, cookies: '' })).status).toBe(200);
    r.clock.advance(60_000);
  });

  it('is refused after the configured attempts on one email, from any IP', async () => {
    for (let i = 0; i < 3; i++) {
      await r.request('limited.localhost', '/api/admin/auth/login', { body: { email: shop.email, password: 'wrong-pass-1' }, cookies: '', clientIp: `198.51.100.${i + 10}` });
    }
    const res = await r.request('limited.localhost', '/api/admin/auth/login', { body: { email: shop.email, password: shop.password }, cookies: '', clientIp: '198.51.100.99' });
    expect(res.status).toBe(429);
    r.clock.advance(60_000);
  });
});

describe('platform sessions', () => {
  it('log in, see /me, log out; the old cookie is then 401', async () => {
    await t.signupShop('plat', 'plat@example.com', 'plat-pass-123');
    const bad = await t.request('localhost', '/api/platform/login', { body: { email: 'plat@example.com', password: 'plat-pass-124' }, cookies: '' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('INVALID_CREDENTIALS');
    const ok = await t.request('localhost', '/api/platform/login', { body: { email: 'PLAT@example.com', password: 'plat-pass-123' }, cookies: '' });
    expect(ok.status).toBe(200);
    const cookie = cookieHeader(ok.setCookies);
    const token = tokenOf(ok.setCookies, 'tk_platform')!;
    const control = await t.control();
    expect(await t.count(control, 'account_sessions', 'id = ?', [token])).toBe(0);
    expect(await t.count(control, 'account_sessions', 'id = ?', [hashToken(token)])).toBe(1);
    const me = await t.request('localhost', '/api/platform/me', { cookies: cookie });
    expect(me.status).toBe(200);
    expect(me.body.shops).toEqual([expect.objectContaining({ slug: 'plat', status: 'active', adminUrl: 'http://plat.localhost/admin/login' })]);
    await t.request('localhost', '/api/platform/logout', { body: {}, cookies: cookie });
    expect((await t.request('localhost', '/api/platform/me', { cookies: cookie })).status).toBe(401);
  });

  it('are not valid as staff sessions of the merchant’s shop', async () => {
    const ok = await t.request('localhost', '/api/platform/login', { body: { email: 'plat@example.com', password: 'plat-pass-123' }, cookies: '' });
    const token = tokenOf(ok.setCookies, 'tk_platform')!;
    expect((await t.request('plat.localhost', '/api/admin/me', { cookies: `tk_staff=${token}` })).status).toBe(401);
  });
});
