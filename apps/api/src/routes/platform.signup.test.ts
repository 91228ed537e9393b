import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SHOP_SCHEMA } from '@tuike/tenancy';
import { cookieHeader, createTestApp, type TestApp } from '../testing/test-app';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const valid = (over: Record<string, unknown> = {}) => ({ email: 'owner@example.com', password: 'correct-horse-9', shopName: 'Tea House', slug: 'teahouse', ...over });

/** What a failed signup must leave untouched: accounts, tenants, sessions and shop database files. */
async function snapshot() {
  const control = await t.control();
  return {
    accounts: await t.count(control, 'accounts'),
    tenants: await t.count(control, 'tenants'),
    sessions: await t.count(control, 'account_sessions'),
    files: t.shopFiles().length,
  };
}

async function expectRefused(body: unknown, status: number, code: string) {
  const before = await snapshot();
  const res = await t.request('localhost', '/api/platform/signup', { body, cookies: '' });
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(res.setCookies).toEqual([]);
  expect(await snapshot()).toEqual(before);
  return res;
}

describe('POST /api/platform/signup — success', () => {
  it('creates the account, an active tenant and a migrated shop database seeded with the owner as super admin', async () => {
    const res = await t.request('localhost', '/api/platform/signup', { body: valid({ email: 'Owner@Example.com ', slug: 'teahouse' }), cookies: '' });
    expect(res.status).toBe(201);
    expect(res.body.account).toEqual({ id: expect.any(String), email: 'owner@example.com' });
    expect(JSON.stringify(res.body)).not.toMatch(/pbkdf2|password/i);
    expect(res.body.shop).toMatchObject({ slug: 'teahouse', name: 'Tea House', status: 'active', plan: 'free' });
    expect(res.body.adminUrl).toMatch(/^http:\/\/teahouse\.localhost\/admin\/login\?ticket=[a-z2-7]{32}$/);
    expect(res.body.adminPathUrl).toMatch(/^http:\/\/localhost\/s\/teahouse\/admin\/login\?ticket=[a-z2-7]{32}$/);
    expect(res.body.storefrontUrl).toBe('http://teahouse.localhost/');

    const control = await t.control();
    const account = (await control.execute({ sql: 'SELECT * FROM accounts WHERE email = ?', args: ['owner@example.com'] })).rows[0]!;
    expect(account.id).toBe(res.body.account.id);
    expect(String(account.password_hash)).toMatch(/^pbkdf2-sha256\$100000\$/);
    const tenant = (await control.execute({ sql: 'SELECT * FROM tenants WHERE slug = ?', args: ['teahouse'] })).rows[0]!;
    expect(tenant).toMatchObject({ status: 'active', plan_id: 'free', owner_account_id: account.id, name: 'Tea House', schema_version: LATEST_SHOP_SCHEMA });
    expect(t.shopFiles()).toContain(`${tenant.db_name}.db`);

    const shop = await t.shopDb('teahouse');
    const owner = (await shop.execute('SELECT * FROM staff')).rows;
    expect(owner).toHaveLength(1);
    expect(owner[0]).toMatchObject({ email: 'owner@example.com', is_owner: 1, status: 'active', password_hash: account.password_hash });
    const roles = (await shop.execute({ sql: 'SELECT role_id FROM staff_roles WHERE staff_id = ?', args: [String(owner[0]!.id)] })).rows.map((r) => r.role_id);
    expect(roles).toEqual(['role_super_admin']);
    const builtins = (await shop.execute('SELECT builtin FROM roles WHERE builtin IS NOT NULL ORDER BY builtin')).rows.map((r) => r.builtin);
    expect(builtins).toEqual(['customer_service', 'finance', 'operations', 'super_admin']);
    const settings = Object.fromEntries((await shop.execute('SELECT key, value FROM settings')).rows.map((r) => [r.key, JSON.parse(String(r.value))]));
    expect(settings).toEqual({ shopName: 'Tea House', locale: 'zh-CN', timezone: 'Asia/Shanghai', currency: 'CNY' });
    expect(Number((await shop.execute('SELECT max(version) AS v FROM __migrations')).rows[0]!.v)).toBe(LATEST_SHOP_SCHEMA);
  });

  it('signs the merchant in to the platform with an HttpOnly, Secure, SameSite=Lax session cookie', async () => {
    const res = await t.request('localhost', '/api/platform/signup', { body: valid({ email: 'cookie@example.com', slug: 'cookieshop' }) });
    expect(res.status).toBe(201);
    const cookie = res.setCookies.find((c) => c.startsWith('tk_platform='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    const me = await t.request('localhost', '/api/platform/me');
    expect(me.status).toBe(200);
    expect(me.body.account.email).toBe('cookie@example.com');
    expect(me.body.shops.map((s: { slug: string }) => s.slug)).toEqual(['cookieshop']);
    const control = await t.control();
    expect(await t.count(control, 'account_sessions', 'subject_id = ?', [res.body.account.id])).toBe(1);
  });

  it('lets the owner log in to the new shop admin with the signup email and password', async () => {
    await t.signupShop('pwlogin', 'pw@example.com', 'another-pass-77');
    const ok = await t.request('pwlogin.localhost', '/api/admin/auth/login', { body: { email: 'PW@example.com', password: 'another-pass-77' } });
    expect(ok.status).toBe(200);
    expect(ok.body.staff).toMatchObject({ email: 'pw@example.com', isOwner: true });
    expect(ok.body.staff.roles.map((r: { builtin: string }) => r.builtin)).toEqual(['super_admin']);
  });
});

describe('POST /api/platform/signup — refusals change nothing', () => {
  beforeAll(async () => { await t.signupShop('taken', 'taken@example.com'); });

  it('refuses a slug that is taken with SLUG_TAKEN', async () => {
    await expectRefused(valid({ slug: 'taken', email: 'new1@example.com' }), 409, 'SLUG_TAKEN');
  });

  it.each(['www', 'api', 'admin', 'platform', 'static'])('refuses the reserved slug %s with SLUG_RESERVED', async (slug) => {
    await expectRefused(valid({ slug, email: `r-${slug}@example.com` }), 409, 'SLUG_RESERVED');
  });

  it.each([
    ['unicode', '店铺'],
    ['uppercase', 'Shop'],
    ['SQL', "a'; drop table tenants;--"],
    ['too short', 'ab'],
    ['one letter', 'a'],
    ['empty', ''],
    ['33 characters', `a${'b'.repeat(32)}`],
    ['leading digit', '1shop'],
    ['leading hyphen', '-shop'],
    ['trailing hyphen', 'shop-'],
    ['double hyphen', 'my--shop'],
    ['dot', 'my.shop'],
    ['underscore', 'my_shop'],
    ['space', 'my shop'],
    ['slash', 'my/shop'],
    ['percent-encoding', 'my%2fshop'],
  ])('refuses a slug with %s with SLUG_INVALID', async (_, slug) => {
    await expectRefused(valid({ slug, email: 'invalid-slug@example.com' }), 400, 'SLUG_INVALID');
  });

  it('keeps the tenants table intact after an SQL-looking slug', async () => {
    await expectRefused(valid({ slug: "x'); DELETE FROM tenants; --" }), 400, 'SLUG_INVALID');
    const control = await t.control();
    expect(await t.count(control, 'tenants', 'slug = ?', ['taken'])).toBe(1);
  });

  it('refuses an email that already has an account with EMAIL_TAKEN, whatever its case', async () => {
    await expectRefused(valid({ slug: 'fresh-one', email: 'taken@example.com' }), 409, 'EMAIL_TAKEN');
    await expectRefused(valid({ slug: 'fresh-two', email: ' TAKEN@Example.COM ' }), 409, 'EMAIL_TAKEN');
  });

  it.each([
    ['short', 'abc1'],
    ['letters only', 'abcdefghij'],
    ['digits only', '1234567890'],
    ['seven characters', 'abcdef1'],
    ['empty', ''],
  ])('refuses a %s password with WEAK_PASSWORD', async (_, password) => {
    await expectRefused(valid({ slug: 'weakpw', email: 'weak@example.com', password }), 400, 'WEAK_PASSWORD');
  });

  it.each([
    ['no email', (() => { const { email: _, ...rest } = valid(); return rest; })()],
    ['no password', (() => { const { password: _, ...rest } = valid(); return rest; })()],
    ['no shopName', (() => { const { shopName: _, ...rest } = valid(); return rest; })()],
    ['no slug', (() => { const { slug: _, ...rest } = valid(); return rest; })()],
    ['an empty object', {}],
    ['an extra field', valid({ plan: 'pro' })],
    ['an extra field status', valid({ status: 'active' })],
    ['a 41-character shopName', valid({ shopName: 'x'.repeat(41) })],
    ['a blank shopName', valid({ shopName: '   ' })],
    ['a 255-character email', valid({ email: `${'a'.repeat(243)}@example.com` })],
    ['an email without @', valid({ email: 'not-an-email' })],
    ['a 129-character password', valid({ password: `a1${'x'.repeat(127)}` })],
    ['a 64-character slug', valid({ slug: `a${'b'.repeat(63)}` })],
    ['a number as slug', valid({ slug: 12345 })],
    ['an array as email', valid({ email: ['a@example.com'] })],
    ['an array body', [valid()]],
    ['a null body', null],
    ['a string body', JSON.stringify('signup')],
  ])('refuses %s with VALIDATION_FAILED', async (_, body) => {
    const res = await expectRefused(typeof body === 'string' ? body : JSON.stringify(body), 400, 'VALIDATION_FAILED');
    expect(res.body.error.message).toBeTruthy();
  });

  it('answers in English when the browser asks for it', async () => {
    const res = await t.request('localhost', '/api/platform/signup', { body: valid({ slug: 'www' }), headers: { 'accept-language': 'en-US,en;q=0.9' }, cookies: '' });
    expect(res.body.error).toEqual({ code: 'SLUG_RESERVED', message: 'This shop address is reserved' });
  });

  it('is not served on a shop host', async () => {
    const before = await snapshot();
    const res = await t.request('taken.localhost', '/api/platform/signup', { body: valid({ slug: 'via-shop-host' }) });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(await snapshot()).toEqual(before);
  });
});

describe('POST /api/platform/signup — tenant cache', () => {
  let c: TestApp;
  beforeAll(async () => { c = await createTestApp({ tenantCacheTtlMs: 5000 }); });
  afterAll(async () => { await c.close(); });

  const signupBody = (slug: string) => ({ email: `${slug}@example.com`, password: 'correct-horse-9', shopName: `Shop ${slug}`, slug });

  it('succeeds for a slug that was looked up (and not found) just before, with the default cache TTL, and the ticket works', async () => {
    for (const [host, path] of [['cached.localhost', '/api/shop'], ['localhost', '/s/cached/api/shop'], ['cached.localhost', '/api/admin/me']]) {
      const miss = await c.request(host!, path!, { cookies: '' });
      expect(miss.status, `${host}${path}`).toBe(404);
      expect(miss.body.error.code).toBe('SHOP_NOT_FOUND');
    }
    const res = await c.request('localhost', '/api/platform/signup', { body: signupBody('cached'), cookies: '' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.shop).toMatchObject({ slug: 'cached', status: 'active' });
    const ticket = new URL(res.body.adminUrl).searchParams.get('ticket');
    expect(ticket).toMatch(/^[a-z2-7]{32}$/);
    // Still well inside the TTL of the cached miss: the shop is served, and the ticket signs the owner in.
    const login = await c.request('cached.localhost', '/api/admin/auth/ticket', { body: { ticket }, cookies: '' });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const me = await c.request('cached.localhost', '/api/admin/me', { cookies: cookieHeader(login.setCookies) });
    expect(me.status).toBe(200);
    expect(me.body.shop.slug).toBe('cached');
    expect(me.body.staff.id).toBe('staff_owner');
    expect((await c.request('cached.localhost', '/api/shop', { cookies: '' })).body.shop.slug).toBe('cached');
    expect((await c.request('localhost', '/s/cached/api/shop', { cookies: '' })).status).toBe(200);
  });

  it('issues the ticket for the new shop also when the slug was looked up only by path', async () => {
    const miss = await c.request('localhost', '/s/cached-path/api/shop', { cookies: '' });
    expect(miss.status).toBe(404);
    const res = await c.request('localhost', '/api/platform/signup', { body: signupBody('cached-path'), cookies: '' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const ticket = new URL(res.body.adminPathUrl).searchParams.get('ticket');
    const login = await c.request('localhost', '/s/cached-path/api/admin/auth/ticket', { body: { ticket }, cookies: '' });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const me = await c.request('localhost', '/s/cached-path/api/admin/me', { cookies: cookieHeader(login.setCookies) });
    expect(me.status).toBe(200);
    expect(me.body.shop.slug).toBe('cached-path');
  });
});

describe('POST /api/platform/signup — concurrency', () => {
  it('lets exactly one of ten simultaneous signups for one slug win; the rest get SLUG_TAKEN', async () => {
    const before = await snapshot();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      t.request('localhost', '/api/platform/signup', { body: valid({ slug: 'raceshop', email: `racer${i}@example.com` }), cookies: '' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.code).toBe('SLUG_TAKEN');
    const control = await t.control();
    expect(await t.count(control, 'tenants', 'slug = ?', ['raceshop'])).toBe(1);
    const after = await snapshot();
    expect(after.accounts).toBe(before.accounts + 1);
    expect(after.tenants).toBe(before.tenants + 1);
    expect(after.files).toBe(before.files + 1);
    const winner = results.find((r) => r.status === 201)!;
    const tenant = (await control.execute({ sql: 'SELECT owner_account_id, status FROM tenants WHERE slug = ?', args: ['raceshop'] })).rows[0]!;
    expect(tenant).toMatchObject({ owner_account_id: winner.body.account.id, status: 'active' });
  });

  it('lets exactly one of ten simultaneous signups with one email win; the rest get EMAIL_TAKEN', async () => {
    const before = await snapshot();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      t.request('localhost', '/api/platform/signup', { body: valid({ slug: `same-email-${String.fromCharCode(97 + i)}`, email: 'same@example.com' }), cookies: '' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.code).toBe('EMAIL_TAKEN');
    const after = await snapshot();
    expect(after.accounts).toBe(before.accounts + 1);
    expect(after.tenants).toBe(before.tenants + 1);
  });
});

describe('POST /api/platform/signup — rate limit', () => {
  let r: TestApp;
  beforeAll(async () => { r = await createTestApp({ signupRateLimit: { max: 3, windowMs: 60_000 } }); });
  afterAll(async () => { await r.close(); });
  afterEach(() => { r.clock.advance(60_000); });

  const attempt = (slug: string, clientIp?: string) =>
    r.request('localhost', '/api/platform/signup', { body: valid({ slug, email: `${slug}@example.com` }), cookies: '', clientIp });

  it('refuses the fourth signup from one IP within the window with 429 RATE_LIMITED and creates nothing', async () => {
    for (const slug of ['rl-one', 'rl-two', 'rl-three']) expect((await attempt(slug)).status).toBe(201);
    const control = await r.control();
    const before = { accounts: await r.count(control, 'accounts'), tenants: await r.count(control, 'tenants'), files: r.shopFiles().length };
    const fourth = await attempt('rl-four');
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('RATE_LIMITED');
    expect({ accounts: await r.count(control, 'accounts'), tenants: await r.count(control, 'tenants'), files: r.shopFiles().length }).toEqual(before);
  });

  it('counts each IP separately', async () => {
    for (const slug of ['ip-a1', 'ip-a2', 'ip-a3']) expect((await attempt(slug, '198.51.100.1')).status).toBe(201);
    expect((await attempt('ip-a4', '198.51.100.1')).status).toBe(429);
    expect((await attempt('ip-b1', '198.51.100.2')).status).toBe(201);
  });

  it('allows signups again once the window has passed', async () => {
    for (const slug of ['win-1', 'win-2', 'win-3']) expect((await attempt(slug, '198.51.100.9')).status).toBe(201);
    expect((await attempt('win-4', '198.51.100.9')).status).toBe(429);
    r.clock.advance(60_000);
    expect((await attempt('win-5', '198.51.100.9')).status).toBe(201);
  });
});
