import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cookieHeader, createTestApp, type TestApp } from '../testing/test-app';

let t: TestApp;
let alpha: Awaited<ReturnType<TestApp['signupAndLogin']>>;
let beta: Awaited<ReturnType<TestApp['signupAndLogin']>>;

beforeAll(async () => {
  t = await createTestApp();
  alpha = await t.signupAndLogin('alpha');
  beta = await t.signupAndLogin('beta');
});
afterAll(async () => { await t.close(); });

async function setStatus(slug: string, status: string) {
  await (await t.control()).execute({ sql: 'UPDATE tenants SET status = ? WHERE slug = ?', args: [status, slug] });
}

describe('finding the shop of a request', () => {
  it('routes {slug}.localhost to that shop', async () => {
    const a = await t.request('alpha.localhost', '/api/shop');
    const b = await t.request('beta.localhost', '/api/shop');
    expect(a.status).toBe(200);
    expect(a.body.shop).toMatchObject({ slug: 'alpha', name: 'Shop alpha', locale: 'zh-CN', plan: 'free' });
    expect(b.body.shop).toMatchObject({ slug: 'beta', name: 'Shop beta' });
  });

  it('routes /s/{slug}/api/… on the platform host to that shop', async () => {
    const a = await t.request('localhost', '/s/alpha/api/shop');
    expect(a.status).toBe(200);
    expect(a.body.shop.slug).toBe('alpha');
    expect((await t.request('localhost', '/s/beta/api/shop')).body.shop.slug).toBe('beta');
  });

  it('ignores a shop named in the query string or a header', async () => {
    const res = await t.request('alpha.localhost', '/api/shop?slug=beta', { headers: { 'x-tenant': 'beta', 'x-forwarded-host': 'beta.localhost' } });
    expect(res.body.shop.slug).toBe('alpha');
  });

  it('answers an unknown shop with 404 SHOP_NOT_FOUND as JSON, by host and by path', async () => {
    for (const [host, path] of [['nosuch.localhost', '/api/shop'], ['localhost', '/s/nosuch/api/shop'], ['nosuch.localhost', '/api/admin/me']]) {
      const res = await t.request(host!, path!);
      expect(res.status, `${host}${path}`).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.body.error.code).toBe('SHOP_NOT_FOUND');
    }
  });

  it('has no shop API on the platform host: localhost/api/shop is 404 NO_SHOP', async () => {
    for (const path of ['/api/shop', '/api/admin/me', '/api/member/me']) {
      const res = await t.request('localhost', path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NO_SHOP');
    }
  });

  it('does not serve the platform API on a shop host', async () => {
    const res = await t.request('alpha.localhost', '/api/platform/me');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('answers a suspended shop with 403 SHOP_SUSPENDED (host and path), and serves it again once active', async () => {
    await setStatus('beta', 'suspended');
    try {
      for (const [host, path] of [['beta.localhost', '/api/shop'], ['localhost', '/s/beta/api/shop'], ['beta.localhost', '/api/admin/me']]) {
        const res = await t.request(host!, path!);
        expect(res.status, `${host}${path}`).toBe(403);
        expect(res.body.error.code).toBe('SHOP_SUSPENDED');
      }
      const login = await t.request('beta.localhost', '/api/admin/auth/login', { body: { email: beta.email, password: beta.password }, cookies: '' });
      expect(login.status).toBe(403);
      expect(login.setCookies).toEqual([]);
      expect((await t.request('alpha.localhost', '/api/shop')).status).toBe(200);
    } finally {
      await setStatus('beta', 'active');
    }
    expect((await t.request('beta.localhost', '/api/admin/me')).status).toBe(200);
  });

  it('answers a shop still being provisioned with 503 SHOP_PROVISIONING', async () => {
    await setStatus('beta', 'provisioning');
    try {
      const res = await t.request('beta.localhost', '/api/shop');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('SHOP_PROVISIONING');
    } finally {
      await setStatus('beta', 'active');
    }
  });

  it('routes a custom domain from the domains table to its shop, with any case and port', async () => {
    const control = await t.control();
    const [row] = (await control.execute({ sql: 'SELECT id FROM tenants WHERE slug = ?', args: ['alpha'] })).rows;
    await control.execute({ sql: 'INSERT INTO domains (hostname, tenant_id, created_at) VALUES (?, ?, ?)', args: ['shop.alpha-tea.cn', String(row!.id), t.clock.now()] });
    for (const host of ['shop.alpha-tea.cn', 'SHOP.Alpha-Tea.CN:8443']) {
      const res = await t.request(host, '/api/shop');
      expect(res.status, host).toBe(200);
      expect(res.body.shop.slug).toBe('alpha');
    }
    const unknown = await t.request('shop.unknown-brand.cn', '/api/shop');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('SHOP_NOT_FOUND');
  });

  it('lets a staff member log in on the custom domain and keeps that session to the shop', async () => {
    const login = await t.request('shop.alpha-tea.cn', '/api/admin/auth/login', { body: { email: alpha.email, password: alpha.password } });
    expect(login.status).toBe(200);
    expect((await t.request('shop.alpha-tea.cn', '/api/admin/me')).body.shop.slug).toBe('alpha');
  });
});

describe('a shop whose schema is behind', () => {
  it('is migrated on its first requests exactly once, however many arrive together', async () => {
    const shop = await t.signupShop('lagging');
    const control = await t.control();
    const [row] = (await control.execute({ sql: 'SELECT id, db_name FROM tenants WHERE slug = ?', args: ['lagging'] })).rows;
    // Replace its database with an empty one (version 0) and say so in the control plane.
    await t.platform.databases.drop({ name: String(row!.db_name) });
    await t.platform.databases.provision(String(row!.db_name));
    await control.execute({ sql: 'UPDATE tenants SET schema_version = 0 WHERE id = ?', args: [String(row!.id)] });
    const db = await t.shopDb('lagging');
    const batch = vi.spyOn(db, 'batch');
    const results = await Promise.all(Array.from({ length: 20 }, () => t.request('lagging.localhost', '/api/shop')));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results[0]!.body.shop).toMatchObject({ slug: 'lagging', name: shop.shop.name });
    const migrationBatches = batch.mock.calls.filter(([stmts]) => stmts.some((s) => /INSERT INTO __migrations/i.test(JSON.stringify(s))));
    const latest = t.app.services.tenants.LATEST_SHOP_SCHEMA;
    expect(migrationBatches).toHaveLength(latest);
    expect(await t.count(db, '__migrations')).toBe(latest);
    expect(Number((await control.execute({ sql: 'SELECT schema_version FROM tenants WHERE id = ?', args: [String(row!.id)] })).rows[0]!.schema_version)).toBe(latest);
  });
});

describe('a session belongs to its shop, whatever the Host says', () => {
  it('does not authenticate shop A’s cookie when the Host names shop B', async () => {
    expect((await t.request('alpha.localhost', '/api/admin/me', { cookies: alpha.ownerCookie })).status).toBe(200);
    const res = await t.request('beta.localhost', '/api/admin/me', { cookies: alpha.ownerCookie });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('does not authenticate shop A’s cookie on shop B’s path, even on shop A’s host', async () => {
    for (const [host, path] of [['localhost', '/s/beta/api/admin/me'], ['alpha.localhost', '/s/beta/api/admin/me']]) {
      const res = await t.request(host!, path!, { cookies: alpha.ownerCookie });
      expect(res.status, `${host}${path}`).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('does not let shop A’s owner change shop B', async () => {
    const shopB = await t.shopDb('beta');
    const before = { roles: await t.count(shopB, 'roles'), audit: await t.count(shopB, 'audit_log') };
    const res = await t.request('beta.localhost', '/api/admin/roles', { body: { name: 'intruder', permissions: [] }, cookies: alpha.ownerCookie });
    expect(res.status).toBe(401);
    expect({ roles: await t.count(shopB, 'roles'), audit: await t.count(shopB, 'audit_log') }).toEqual(before);
    // Only signup's own row is in shop B's history; nothing by shop A's owner.
    expect(await t.count(shopB, 'audit_log', "entity != 'shop' OR action != 'create'")).toBe(0);
    expect(await t.count(shopB, 'roles', 'name = ?', ['intruder'])).toBe(0);
  });
});

describe('open shop databases are bounded', () => {
  let small: TestApp;
  beforeAll(async () => { small = await createTestApp({}, { maxOpenShops: 2 }); });
  afterAll(async () => { await small.close(); });

  it('keeps at most maxOpenShops databases open and reopens an evicted shop on its next request', async () => {
    const slugs = ['lru-one', 'lru-two', 'lru-three', 'lru-four'];
    for (const slug of slugs) await small.signupShop(slug);
    for (let round = 0; round < 2; round++) {
      for (const slug of slugs) {
        const res = await small.request(`${slug}.localhost`, '/api/shop');
        expect(res.status).toBe(200);
        expect(res.body.shop.slug).toBe(slug);
        expect(small.platform.databases.openCount()).toBeLessThanOrEqual(2);
      }
    }
  });

});

describe('a shop database in use by a request is never closed under it', () => {
  let one: TestApp;
  let shopA: Awaited<ReturnType<TestApp['signupShop']>>;
  let shopB: Awaited<ReturnType<TestApp['signupShop']>>;
  beforeAll(async () => {
    one = await createTestApp({ loginRateLimit: { max: 10_000, windowMs: 60_000 } }, { maxOpenShops: 1 });
    shopA = await one.signupShop('lease-a');
    shopB = await one.signupShop('lease-b');
  });
  afterAll(async () => { await one.close(); });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const login = (slug: string, email: string, password: string) =>
    one.request(`${slug}.localhost`, '/api/admin/auth/login', { body: { email, password }, cookies: '' });

  it('lets a staff login to shop A (which awaits the password hash between queries) finish while requests open shop B', async () => {
    for (let round = 0; round < 3; round++) {
      const loginA = login('lease-a', shopA.email, shopA.password);
      const others = [0, 5, 10, 20, 40, 60].map(async (ms) => { await sleep(ms); return one.request('lease-b.localhost', '/api/shop'); });
      const [a, ...b] = await Promise.all([loginA, ...others]);
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(b.map((r) => r.status), JSON.stringify(b.map((r) => r.body))).toEqual(b.map(() => 200));
      expect(b.every((r) => r.body.shop.slug === 'lease-b')).toBe(true);
      const me = await one.request('lease-a.localhost', '/api/admin/me', { cookies: cookieHeader(a.setCookies) });
      expect(me.status).toBe(200);
      expect(me.body.shop.slug).toBe('lease-a');
    }
  });

  it('lets simultaneous logins to two shops, plus reads of both, all succeed with one open database allowed', async () => {
    const jobs = [
      login('lease-a', shopA.email, shopA.password),
      login('lease-b', shopB.email, shopB.password),
      ...Array.from({ length: 10 }, async (_, i) => { await sleep(i * 7); return one.request(i % 2 ? 'lease-a.localhost' : 'lease-b.localhost', '/api/shop'); }),
      (async () => { await sleep(15); return login('lease-b', shopB.email, shopB.password); })(),
      (async () => { await sleep(25); return login('lease-a', shopA.email, shopA.password); })(),
    ];
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.status), JSON.stringify(results.filter((r) => r.status !== 200).map((r) => r.body))).toEqual(results.map(() => 200));
  });

  it('releases every lease when the request ends, failed ones included, so the bound holds again afterwards', async () => {
    const results = await Promise.all([
      login('lease-a', shopA.email, 'wrong-pass-1'),
      one.request('lease-b.localhost', '/api/admin/me', { cookies: '' }),
      one.request('lease-a.localhost', '/api/admin/roles', { body: '{not json', cookies: '' }),
      one.request('lease-b.localhost', '/api/shop'),
    ]);
    expect(results.map((r) => r.status)).toEqual([401, 401, expect.any(Number), 200]);
    expect(results[2]!.status).toBeGreaterThanOrEqual(400);
    expect(results[2]!.status).toBeLessThan(500);
    await one.signupShop('lease-c');
    expect((await one.request('lease-c.localhost', '/api/shop')).status).toBe(200);
    expect(one.platform.databases.openCount()).toBe(1);
  });
});

