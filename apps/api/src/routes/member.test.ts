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
const login = (host: string, email: string, password: string) => t.request(host, '/api/admin/auth/login', { body: { email, password }, cookies: '' });

describe('members', () => {
  beforeAll(async () => { await t.signupShop('members'); });
  const HOST = 'members.localhost';

  it('register with username and password, get a session and see themselves at /me', async () => {
    const reg = await t.request(HOST, '/api/member/register', { body: { username: 'Alice_01', password: 'alice-pass-1' }, cookies: '' });
    expect(reg.status).toBe(201);
    expect(reg.body.member).toMatchObject({ username: 'alice_01', nickname: 'Alice_01', channel: 'h5' });
    expect(JSON.stringify(reg.body)).not.toMatch(/pbkdf2|passwordHash/);
    const sc = reg.setCookies.find((c) => c.startsWith('tk_member='))!;
    expect(sc).toMatch(/; HttpOnly/);
    expect(sc).toMatch(/; Secure/);
    expect(sc).toMatch(/; SameSite=Lax/);
    expect(sc).not.toMatch(/Domain=/i);
    const cookie = cookieHeader(reg.setCookies);
    const me = await t.request(HOST, '/api/member/me', { cookies: cookie });
    expect(me.status).toBe(200);
    expect(me.body.member.id).toBe(reg.body.member.id);
    const db = await t.shopDb('members');
    const [row] = (await db.execute({ sql: 'SELECT channel, password_hash FROM members WHERE id = ?', args: [reg.body.member.id] })).rows;
    expect(row!.channel).toBe('h5');
    expect(String(row!.password_hash)).toMatch(/^pbkdf2-sha256\$/);
  });

  it('records the app channel when the app sends it', async () => {
    const reg = await t.request(HOST, '/api/member/register', { body: { username: 'appuser', password: 'app-pass-12', channel: 'app' }, cookies: '' });
    expect(reg.status).toBe(201);
    expect(reg.body.member.channel).toBe('app');
    const db = await t.shopDb('members');
    expect(await t.count(db, 'members', 'id = ? AND channel = ?', [reg.body.member.id, 'app'])).toBe(1);
  });

  it.each([
    [{ username: 'wechatter', password: 'wechat-pass-1', channel: 'wechat' }, 'VALIDATION_FAILED'],
    [{ username: 'ab', password: 'short-pass-1' }, 'VALIDATION_FAILED'],
    [{ username: 'has space', password: 'space-pass-1' }, 'VALIDATION_FAILED'],
    [{ username: 'extra', password: 'extra-pass-1', isAdmin: true }, 'VALIDATION_FAILED'],
    [{ username: 'weakling', password: 'password' }, 'WEAK_PASSWORD'],
  ])('refuses registration %j with %s and creates nothing', async (body, code) => {
    const db = await t.shopDb('members');
    const before = await t.count(db, 'members');
    const res = await t.request(HOST, '/api/member/register', { body, cookies: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.setCookies).toEqual([]);
    expect(await t.count(db, 'members')).toBe(before);
  });

  it('log in with the password and out again; the old cookie is then 401', async () => {
    await t.request(HOST, '/api/member/register', { body: { username: 'bob', password: 'bob-pass-123' }, cookies: '' });
    const bad = await t.request(HOST, '/api/member/login', { body: { username: 'bob', password: 'bob-pass-124' }, cookies: '' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('INVALID_CREDENTIALS');
    const ok = await t.request(HOST, '/api/member/login', { body: { username: 'BOB', password: 'bob-pass-123' }, cookies: '' });
    expect(ok.status).toBe(200);
    expect(ok.body.member.username).toBe('bob');
    const cookie = cookieHeader(ok.setCookies);
    const token = tokenOf(ok.setCookies, 'tk_member')!;
    const db = await t.shopDb('members');
    expect(await t.count(db, 'sessions', 'id = ?', [token])).toBe(0);
    expect(await t.count(db, 'sessions', 'id = ? AND kind = ?', [hashToken(token), 'member'])).toBe(1);
    expect((await t.request(HOST, '/api/member/me', { cookies: cookie })).status).toBe(200);
    const out = await t.request(HOST, '/api/member/logout', { body: {}, cookies: cookie });
    expect(out.status).toBe(200);
    expect(await t.count(db, 'sessions', 'id = ?', [hashToken(token)])).toBe(0);
    const me = await t.request(HOST, '/api/member/me', { cookies: cookie });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('are not signed in at /me without a cookie', async () => {
    const me = await t.request(HOST, '/api/member/me', { cookies: '' });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('belong to their shop: a member cookie is 401 on another shop and a staff cookie is not a member session', async () => {
    await t.signupShop('members-two');
    const reg = await t.request(HOST, '/api/member/register', { body: { username: 'carol', password: 'carol-pass-1' }, cookies: '' });
    const cookie = cookieHeader(reg.setCookies);
    expect((await t.request('members-two.localhost', '/api/member/me', { cookies: cookie })).status).toBe(401);
    expect((await t.request('localhost', '/s/members-two/api/member/me', { cookies: cookie })).status).toBe(401);
    const staffCookie = cookieHeader((await login(HOST, 'members@example.com', 'correct-horse-9')).setCookies);
    const asMember = await t.request(HOST, '/api/member/me', { cookies: staffCookie.replace('tk_staff=', 'tk_member=') });
    expect(asMember.status).toBe(401);
  });

  it('register the same username in two different shops independently', async () => {
    const res = await t.request('members-two.localhost', '/api/member/register', { body: { username: 'alice_01', password: 'alice-pass-1' }, cookies: '' });
    expect(res.status).toBe(201);
  });

  it('refuses a username that is taken (any case) with 409 USERNAME_TAKEN and creates nothing', async () => {
    const first = await t.request(HOST, '/api/member/register', { body: { username: 'Dave_Taken', password: 'dave-pass-123' }, cookies: '' });
    expect(first.status).toBe(201);
    const db = await t.shopDb('members');
    const members = await t.count(db, 'members');
    const sessions = await t.count(db, 'sessions');
    for (const username of ['dave_taken', 'DAVE_TAKEN', 'Dave_Taken']) {
      const res = await t.request(HOST, '/api/member/register', { body: { username, password: 'other-pass-456' }, cookies: '' });
      expect(res.status, username).toBe(409);
      expect(res.body.error.code, username).toBe('USERNAME_TAKEN');
      expect(res.setCookies, username).toEqual([]);
    }
    expect(await t.count(db, 'members')).toBe(members);
    expect(await t.count(db, 'members', 'username = ?', ['dave_taken'])).toBe(1);
    expect(await t.count(db, 'sessions')).toBe(sessions);
    // The first member keeps their password; the refused one was never stored.
    expect((await t.request(HOST, '/api/member/login', { body: { username: 'dave_taken', password: 'dave-pass-123' }, cookies: '' })).status).toBe(200);
    expect((await t.request(HOST, '/api/member/login', { body: { username: 'dave_taken', password: 'other-pass-456' }, cookies: '' })).status).toBe(401);
  });

  it('lets exactly one of several simultaneous registrations of one username win; the rest get 409 USERNAME_TAKEN', async () => {
    const db = await t.shopDb('members');
    const before = await t.count(db, 'members');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      t.request(HOST, '/api/member/register', { body: { username: i % 2 ? 'RACER' : 'racer', password: `racer-pass-${i}` }, cookies: '' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(7).fill('USERNAME_TAKEN'));
    expect(await t.count(db, 'members')).toBe(before + 1);
    expect(await t.count(db, 'members', 'username = ?', ['racer'])).toBe(1);
  });
});

describe('member sessions', () => {
  const HOST = 'msess.localhost';
  beforeAll(async () => { await t.signupShop('msess'); });

  it('are limited to Path=/s/{slug} when registered under path routing', async () => {
    const reg = await t.request('localhost', '/s/msess/api/member/register', { body: { username: 'pathuser', password: 'path-pass-12' }, cookies: '' });
    expect(reg.status).toBe(201);
    expect(reg.setCookies.find((c) => c.startsWith('tk_member='))).toMatch(/; Path=\/s\/msess(;|$)/);
    expect((await t.request('localhost', '/s/msess/api/member/me', { cookies: cookieHeader(reg.setCookies) })).status).toBe(200);
  });

  it('expire after 30 days without use', async () => {
    const reg = await t.request(HOST, '/api/member/register', { body: { username: 'expiring', password: 'expire-pass-1' }, cookies: '' });
    const cookie = cookieHeader(reg.setCookies);
    t.clock.advance(31 * DAY);
    expect((await t.request(HOST, '/api/member/me', { cookies: cookie })).status).toBe(401);
    expect(await t.count(await t.shopDb('msess'), 'sessions', 'id = ?', [hashToken(tokenOf(reg.setCookies, 'tk_member')!)])).toBe(0);
  });

  it('slide: used after 20 days they are renewed with a new cookie and outlive the first 30 days', async () => {
    const reg = await t.request(HOST, '/api/member/register', { body: { username: 'sliding', password: 'slide-pass-1' }, cookies: '' });
    const cookie = cookieHeader(reg.setCookies);
    t.clock.advance(20 * DAY);
    const me = await t.request(HOST, '/api/member/me', { cookies: cookie });
    expect(me.status).toBe(200);
    expect(me.setCookies.find((c) => c.startsWith('tk_member='))).toBeDefined();
    t.clock.advance(15 * DAY);
    expect((await t.request(HOST, '/api/member/me', { cookies: cookie })).status).toBe(200);
  });

  it('end when the member is disabled, and a disabled member cannot log in', async () => {
    const reg = await t.request(HOST, '/api/member/register', { body: { username: 'banned', password: 'banned-pass-1' }, cookies: '' });
    const cookie = cookieHeader(reg.setCookies);
    await (await t.shopDb('msess')).execute({ sql: "UPDATE members SET status = 'disabled' WHERE id = ?", args: [reg.body.member.id] });
    expect((await t.request(HOST, '/api/member/me', { cookies: cookie })).status).toBe(401);
    const again = await t.request(HOST, '/api/member/login', { body: { username: 'banned', password: 'banned-pass-1' }, cookies: '' });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('member rate limits', () => {
  let r: TestApp;
  beforeAll(async () => {
    r = await createTestApp({ loginRateLimit: { max: 3, windowMs: 60_000 }, signupRateLimit: { max: 2, windowMs: 60_000 } });
    await r.signupShop('mlimit');
  });
  afterAll(async () => { await r.close(); });

  it('refuses the third registration from one IP within the window with 429 and creates no member', async () => {
    for (const username of ['first', 'second']) {
      expect((await r.request('mlimit.localhost', '/api/member/register', { body: { username, password: 'limit-pass-1' }, cookies: '' })).status).toBe(201);
    }
    const db = await r.shopDb('mlimit');
    const third = await r.request('mlimit.localhost', '/api/member/register', { body: { username: 'third', password: 'limit-pass-1' }, cookies: '' });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('RATE_LIMITED');
    expect(await r.count(db, 'members')).toBe(2);
    expect((await r.request('mlimit.localhost', '/api/member/register', { body: { username: 'third', password: 'limit-pass-1' }, cookies: '', clientIp: '198.51.100.77' })).status).toBe(201);
  });

  it('refuses the fourth login attempt on one username with 429, even with the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await r.request('mlimit.localhost', '/api/member/login', { body: { username: 'first', password: 'wrong-pass-1' }, cookies: '', clientIp: `198.51.100.${100 + i}` });
      expect(res.status).toBe(401);
    }
    const res = await r.request('mlimit.localhost', '/api/member/login', { body: { username: 'FIRST', password: 'limit-pass-1' }, cookies: '', clientIp: '198.51.100.200' });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(res.setCookies).toEqual([]);
  });
});
