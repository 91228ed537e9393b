import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_CLIENT_IP, type TestApp } from '../testing/test-app';
import { MAX_JSON_BYTES } from './json-body';

let t: TestApp;
let ownerCookie: string;
const SHOP = 'sweep';
const HOST = `${SHOP}.localhost`;

beforeAll(async () => {
  t = await createTestApp({ loginRateLimit: { max: 10_000, windowMs: 60_000 } });
  ({ ownerCookie } = await t.signupAndLogin(SHOP));
});
afterAll(async () => { await t.close(); });

const signupBody = { email: 'bad-input@example.com', password: 'correct-horse-9', shopName: 'Bad Input', slug: 'badinput' };

/** Control-plane and shop state a refused request must leave exactly as it was. */
async function state() {
  const control = await t.control();
  const shop = await t.shopDb(SHOP);
  return {
    accounts: await t.count(control, 'accounts'),
    tenants: await t.count(control, 'tenants'),
    audit: await t.count(shop, 'audit_log'),
    roles: await t.count(shop, 'roles'),
    staff: await t.count(shop, 'staff'),
    members: await t.count(shop, 'members'),
    settings: JSON.stringify((await shop.execute('SELECT key, value FROM settings ORDER BY key')).rows),
  };
}

/** A request without any Origin header (the harness always sets one). */
async function withoutOrigin(host: string, path: string, body: string, cookie?: string) {
  const headers: Record<string, string> = { host, 'content-type': 'application/json' };
  if (cookie) headers.cookie = cookie;
  const res = await t.app.request(`http://${host}${path}`, { method: 'POST', headers, body }, { clientIp: TEST_CLIENT_IP });
  return { status: res.status, body: await res.json() as { error: { code: string } } };
}

describe('request bodies', () => {
  it.each([
    ['a truncated object', '{"email":'],
    ['a trailing comma', '{"email":"a@b.c",}'],
    ['single quotes', "{'email':'a@b.c'}"],
    ['a bare word', 'signup'],
    ['two documents', '{}{}'],
  ])('refuses %s with 400 MALFORMED_JSON and changes nothing', async (_, body) => {
    const before = await state();
    const res = await t.request('localhost', '/api/platform/signup', { body, cookies: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
    const staff = await t.request(HOST, '/api/admin/roles', { body, cookies: ownerCookie });
    expect(staff.status).toBe(400);
    expect(staff.body.error.code).toBe('MALFORMED_JSON');
    expect(await state()).toEqual(before);
  });

  it.each([
    ['text/plain', JSON.stringify(signupBody)],
    ['application/x-www-form-urlencoded', new URLSearchParams(signupBody).toString()],
    ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="slug"\r\n\r\nbadinput\r\n--x--`],
    ['application/jsonp', JSON.stringify(signupBody)],
    ['text/json', JSON.stringify(signupBody)],
  ])('refuses a body sent as %s with 415 UNSUPPORTED_MEDIA_TYPE and changes nothing', async (type, body) => {
    const before = await state();
    const res = await t.request('localhost', '/api/platform/signup', { body, headers: { 'content-type': type }, cookies: '' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const role = await t.request(HOST, '/api/admin/roles', { body: JSON.stringify({ name: 'x', permissions: [] }), headers: { 'content-type': type }, cookies: ownerCookie });
    expect(role.status).toBe(415);
    expect(await state()).toEqual(before);
  });

  it('refuses an array where an object is wanted with 400 VALIDATION_FAILED, even an empty one (which an object schema alone takes for {})', async () => {
    const stored = await t.request(HOST, '/api/admin/plugin-stacking', { method: 'PUT', body: { pairs: [{ classes: ['coupon', 'campaign'], rule: 'never' }] }, cookies: ownerCookie });
    expect(stored.status).toBe(200);
    const before = await state();
    for (const body of ['[]', '[{}]']) {
      const res = await t.request(HOST, '/api/admin/plugin-stacking', { method: 'PUT', body, cookies: ownerCookie });
      expect([res.status, res.body.error.code], body).toEqual([400, 'VALIDATION_FAILED']);
      const role = await t.request(HOST, '/api/admin/roles', { body, cookies: ownerCookie });
      expect([role.status, role.body.error.code], body).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(await state()).toEqual(before);
    expect((await t.request(HOST, '/api/admin/plugin-stacking', { cookies: ownerCookie })).body.overrides).toEqual({ pairs: [{ classes: ['coupon', 'campaign'], rule: 'never' }] });
  });

  it('accepts application/json with a charset parameter', async () => {
    const res = await t.request('localhost', '/api/platform/signup', {
      body: JSON.stringify({ ...signupBody, slug: 'charset-ok', email: 'charset@example.com' }),
      headers: { 'content-type': 'application/json; charset=utf-8' }, cookies: '',
    });
    expect(res.status).toBe(201);
  });

  it('refuses a body over 64 KiB with 413 PAYLOAD_TOO_LARGE and changes nothing', async () => {
    const before = await state();
    const big = JSON.stringify({ ...signupBody, shopName: 'x'.repeat(MAX_JSON_BYTES) });
    const res = await t.request('localhost', '/api/platform/signup', { body: big, cookies: '' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const declared = await t.request('localhost', '/api/platform/signup', { body: big, headers: { 'content-length': String(big.length) }, cookies: '' });
    expect(declared.status).toBe(413);
    const role = await t.request(HOST, '/api/admin/roles', { body: { name: 'big', permissions: Array(5000).fill('x'.repeat(20)) }, cookies: ownerCookie });
    expect(role.status).toBe(413);
    expect(await state()).toEqual(before);
  });

  it('measures the limit in bytes, not characters (multi-byte text)', async () => {
    const chars = Math.ceil(MAX_JSON_BYTES / 3) + 10; // each 店 is 3 bytes in UTF-8
    const res = await t.request('localhost', '/api/platform/signup', { body: { ...signupBody, shopName: '店'.repeat(chars) }, cookies: '' });
    expect(res.status).toBe(413);
  });

  it('refuses a too-large body even when it is not JSON', async () => {
    const res = await t.request('localhost', '/api/platform/signup', { body: 'x'.repeat(MAX_JSON_BYTES + 1), headers: { 'content-type': 'text/plain' }, cookies: '' });
    expect(res.status).toBe(413);
  });

  it('lets a body of exactly 64 KiB through to validation', async () => {
    const base = JSON.stringify({ ...signupBody, pad: '' });
    const exact = JSON.stringify({ ...signupBody, pad: 'p'.repeat(MAX_JSON_BYTES - base.length) });
    expect(new TextEncoder().encode(exact).byteLength).toBe(MAX_JSON_BYTES);
    const res = await t.request('localhost', '/api/platform/signup', { body: exact, cookies: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('Origin check on state-changing requests', () => {
  it('refuses a POST without Origin with 403 ORIGIN_MISMATCH and creates nothing', async () => {
    const before = await state();
    const res = await withoutOrigin('localhost', '/api/platform/signup', JSON.stringify(signupBody));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ORIGIN_MISMATCH');
    const role = await withoutOrigin(HOST, '/api/admin/roles', JSON.stringify({ name: 'no-origin', permissions: [] }), ownerCookie);
    expect(role.status).toBe(403);
    expect(role.body.error.code).toBe('ORIGIN_MISMATCH');
    expect(await state()).toEqual(before);
  });

  it.each([
    ['a foreign site', 'https://evil.example'],
    ['another shop on the platform', 'http://other.localhost'],
    ['the platform host, for a shop host', 'http://localhost'],
    ['the opaque origin', 'null'],
    ['a malformed value', 'http://'],
    ['the same host on another port', `http://${HOST}:8080`],
  ])('refuses a POST from %s with 403 ORIGIN_MISMATCH and changes nothing', async (_, origin) => {
    const before = await state();
    const res = await t.request(HOST, '/api/admin/settings', { method: 'PATCH', body: { shopName: 'Hijacked' }, headers: { origin }, cookies: ownerCookie });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ORIGIN_MISMATCH');
    const login = await t.request(HOST, '/api/admin/auth/logout', { body: {}, headers: { origin }, cookies: ownerCookie });
    expect(login.status).toBe(403);
    expect(await state()).toEqual(before);
    expect((await t.request(HOST, '/api/admin/me', { cookies: ownerCookie })).status).toBe(200);
  });

  it('refuses a cross-origin signup on the platform host', async () => {
    const before = await state();
    const res = await t.request('localhost', '/api/platform/signup', { body: signupBody, headers: { origin: 'https://evil.example' }, cookies: '' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ORIGIN_MISMATCH');
    expect(await state()).toEqual(before);
  });

  it('does not require Origin on reads', async () => {
    const res = await t.app.request(`http://${HOST}/api/shop`, { headers: { host: HOST } });
    expect(res.status).toBe(200);
  });
});

/** Concrete URL and host for each route pattern of the app. */
function target(path: string, id: string): { host: string; path: string } {
  const concrete = path.replace(':id', id);
  if (concrete.startsWith('/s/:slug')) return { host: 'localhost', path: concrete.replace(':slug', SHOP) };
  if (concrete.startsWith('/api/platform')) return { host: 'localhost', path: concrete };
  return { host: HOST, path: concrete };
}

const garbage: [string, string, string?][] = [
  ['malformed JSON', '{"a":'],
  ['text/plain', 'hello', 'text/plain'],
  ['a form', 'a=1&b=2', 'application/x-www-form-urlencoded'],
  ['an empty body', ''],
  ['an empty body as text/plain', '', 'text/plain'],
  ['JSON null', 'null'],
  ['a JSON array', '[1,2,3]'],
  ['a JSON number', '42'],
  ['a JSON string', '"x"'],
  ['JSON true', 'true'],
  ['an empty object', '{}'],
  ['prototype pollution', '{"__proto__":{"isOwner":true,"permissions":["*"]},"constructor":{"prototype":{"x":1}}}'],
  ['every field with the wrong type', JSON.stringify({ email: 1, password: [], shopName: {}, slug: null, name: 5, permissions: 'x', roleIds: 'x', status: 'gone', username: {}, ticket: 1, locale: 7, timezone: [], channel: 'x' })],
  ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ['huge numbers', '{"name":1e400,"permissions":[1e400],"roleIds":[-0]}'],
  ['NUL bytes', JSON.stringify({ name: 'a\u0000b', email: 'a\u0000@b.c', password: '\u0000'.repeat(10), username: '\u0000abc', slug: 'a\u0000b', shopName: '\u0000' })],
  ['lone surrogates', '{"name":"\\ud800","shopName":"\\udfff","username":"\\ud800\\ud800\\ud800","email":"\\ud800@x.cn"}'],
  ['an unknown time zone', '{"timezone":"Mars/Olympus_Mons"}'],
  ['unknown permissions', '{"name":"g","permissions":["*","../admin",""]}'],
  ['unknown role ids', '{"email":"g@example.com","name":"g","password":"garbage-pass-1","roleIds":["nope","role_super_admin"]}'],
  ['too many role ids', JSON.stringify({ roleIds: Array.from({ length: 500 }, (_, i) => `r${i}`) })],
  ['a SQL-looking payload', JSON.stringify({ name: "x'); DROP TABLE staff;--", email: "a'--@x.cn", username: "'; DELETE FROM members;--", ticket: "' OR 1=1 --" })],
];

describe('no route answers 500 to garbage', () => {
  it('covers every state-changing route of the app', () => {
    const mutating = new Set(t.app.routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).map((r) => `${r.method} ${r.path}`));
    expect(mutating.size).toBeGreaterThanOrEqual(20);
  });

  for (const who of ['anonymous', 'owner'] as const) {
    it(`answers every POST/PUT/PATCH/DELETE route with a JSON error below 500 (${who})`, async () => {
      const routes = [...new Map(t.app.routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).map((r) => [`${r.method} ${r.path}`, r])).values()];
      const failures: string[] = [];
      for (const route of routes) {
        for (const id of ['does-not-exist', 'staff_owner', 'role_super_admin', '%E0%A4%A', 'x'.repeat(300)]) {
          if (!route.path.includes(':id') && id !== 'does-not-exist') continue;
          const { host, path } = target(route.path, id);
          for (const [label, body, type] of garbage) {
            const cookie = who === 'owner' ? ownerCookie : '';
            const res = await t.request(host, path, { method: route.method, body, headers: { 'content-type': type ?? 'application/json' }, cookies: cookie });
            // Provider callbacks answer in the provider's own protocol (WeChat {code,message}, Alipay
            // plain "failure"), so only the status is held to the rule there.
            const providerProtocol = /\/api\/(payments|payouts)\/notify\/(wechat|alipay)$/.test(path);
            if (res.status >= 500 || (res.status >= 400 && !providerProtocol && typeof res.body?.error?.code !== 'string')) {
              failures.push(`${route.method} ${path} with ${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            }
            if (who === 'owner' && route.path.endsWith('/logout')) {
              ownerCookie = await t.staffLogin(HOST, `${SHOP}@example.com`, 'correct-horse-9');
            }
          }
        }
      }
      expect(failures).toEqual([]);
      // The owner is still the only super admin and the shop still works.
      const me = await t.request(HOST, '/api/admin/me', { cookies: ownerCookie });
      expect(me.status).toBe(200);
      expect(me.body.staff.roles.map((r: { builtin: string }) => r.builtin)).toEqual(['super_admin']);
    }, 120_000); // hundreds of routes × 20 kinds of garbage: about 20 s alone on two cores
  }

  it.each([
    '?limit=0', '?limit=101', '?limit=abc', '?limit=-1', '?limit=1e3', '?from=-5', '?from=1e99', '?to=9999999999999999999',
    '?cursor=', '?limit=5&limit=6', '?entity=' + 'e'.repeat(100), '?staffId=' + 'x'.repeat(65), '?from=%00', '?entity%5B%5D=x',
  ])('answers GET /api/admin/audit%s below 500', async (query) => {
    const res = await t.request(HOST, `/api/admin/audit${query}`, { cookies: ownerCookie });
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers an unknown API path with 404 NOT_FOUND as JSON', async () => {
    const res = await t.request(HOST, '/api/nope', { cookies: ownerCookie });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it.each([
    ['GET', '/s/%E0%A4%A/api/shop'],
    ['GET', '/s/%/api/shop'],
    ['GET', '/s/%zz/api/admin/me'],
    ['GET', '/s/sweep%E0/api/member/me'],
    ['POST', '/s/%C3%28/api/admin/auth/login'],
    ['POST', '/s/%E0%A4%A/api/member/register'],
  ])('answers %s %s (malformed percent-encoding in /s/) with 404 SHOP_NOT_FOUND as JSON and changes nothing', async (method, path) => {
    const before = await state();
    const body = method === 'POST' ? { email: 'bad-input@example.com', username: 'someone', password: 'correct-horse-9' } : undefined;
    const res = await t.request('localhost', path, { method, body, cookies: ownerCookie });
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('SHOP_NOT_FOUND');
    expect(await state()).toEqual(before);
  });

  it('answers a malformed escape in /s/ on a shop host the same way, not with the host\'s shop', async () => {
    const res = await t.request(HOST, '/s/%E0%A4%A/api/admin/me', { cookies: ownerCookie });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SHOP_NOT_FOUND');
  });
});
