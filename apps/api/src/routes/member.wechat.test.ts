import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatStandin } from '../../../../packages/members/src/testing/wechat-standin';
import { createTestApp, cookieHeader, type TestApp } from '../testing/test-app';

const HOST = 'wxshop.localhost';
const APP = { appId: 'wx0123456789abcdef', appSecret: '0123456789abcdef0123456789abcdef' };
let t: TestApp;
let standin: Awaited<ReturnType<typeof startWechatStandin>>;

beforeAll(async () => {
  standin = await startWechatStandin(APP);
  t = await createTestApp({ wechat: { authorizeBase: 'https://open.weixin.qq.com', apiBase: standin.url } });
  const { ownerCookie } = await t.signupAndLogin('wxshop');
  const saved = await t.request(HOST, '/api/admin/settings/wechat', { method: 'PUT', body: APP, cookies: ownerCookie });
  expect(saved.body.wechat).toEqual({ appId: APP.appId, appSecret: '••••••' });
  expect(JSON.stringify((await t.request(HOST, '/api/admin/settings', { cookies: ownerCookie })).body)).not.toContain(APP.appSecret);
});
afterAll(async () => {
  await t.close();
  await standin.close();
});

/** The browser's trip: authorize → WeChat (the stand-in mints a code) → callback. */
async function signIn(user: Parameters<typeof standin.issueCode>[0], opts: { tamperState?: boolean; next?: string } = {}) {
  const start = await t.request(HOST, `/api/member/wechat/authorize?scope=${user.scope}&next=${encodeURIComponent(opts.next ?? '/orders')}`, { cookies: '' });
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get('location')!);
  expect(location.origin + location.pathname).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
  expect(location.hash).toBe('#wechat_redirect');
  expect(Object.fromEntries(location.searchParams)).toMatchObject({ appid: APP.appId, response_type: 'code', scope: user.scope, redirect_uri: `http://${HOST}/api/member/wechat/callback` });
  const state = opts.tamperState ? 'forged' : location.searchParams.get('state')!;
  const stateCookie = cookieHeader(start.setCookies);
  const code = standin.issueCode(user);
  return t.request(HOST, `/api/member/wechat/callback?code=${code}&state=${state}`, { cookies: stateCookie });
}

describe('WeChat web authorization (C1)', () => {
  it('signs in a new buyer silently with snsapi_base, on the wechat channel, and back to where they were', async () => {
    const res = await signIn({ openid: 'o-base-1', scope: 'snsapi_base' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/orders');
    const me = await t.request(HOST, '/api/member/me', { cookies: cookieHeader(res.setCookies) });
    expect(me.body.member).toMatchObject({ channel: 'wechat', nickname: '微信用户', username: null });
    expect(standin.requests.some((r) => r.startsWith('/sns/userinfo'))).toBe(false);
  });

  it('takes nickname and avatar with snsapi_userinfo and finds the same member again by openid', async () => {
    const user = { openid: 'o-info-1', unionid: 'u-1', nickname: '小红', headimgurl: 'https://thirdwx.example/a.png', scope: 'snsapi_userinfo' as const };
    const first = await signIn(user);
    const me = await t.request(HOST, '/api/member/me', { cookies: cookieHeader(first.setCookies) });
    expect(me.body.member).toMatchObject({ nickname: '小红', avatarUrl: 'https://thirdwx.example/a.png', channel: 'wechat' });
    const again = await signIn(user);
    const me2 = await t.request(HOST, '/api/member/me', { cookies: cookieHeader(again.setCookies) });
    expect(me2.body.member.id).toBe(me.body.member.id);
    const db = await t.shopDb('wxshop');
    expect(await t.count(db, 'member_identities', "subject = 'o-info-1' AND union_id = 'u-1'")).toBe(1);
  });

  it('refuses a forged state and creates nobody', async () => {
    const db = await t.shopDb('wxshop');
    const before = await t.count(db, 'members');
    const res = await signIn({ openid: 'o-forged', scope: 'snsapi_base' }, { tamperState: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WECHAT_STATE_INVALID');
    expect(await t.count(db, 'members')).toBe(before);
  });

  it('treats a snapshot-mode virtual account as a guest', async () => {
    const db = await t.shopDb('wxshop');
    const before = await t.count(db, 'members');
    const res = await signIn({ openid: 'o-snap', scope: 'snsapi_userinfo', snapshot: true });
    expect(res.headers.get('location')).toBe('/orders?wechat=snapshot');
    expect(res.setCookies.some((c) => c.startsWith('tk_member='))).toBe(false);
    expect(await t.count(db, 'members')).toBe(before);
  });

  it('answers an invalid or replayed code with WECHAT_AUTH_FAILED, and never redirects off the shop', async () => {
    const start = await t.request(HOST, '/api/member/wechat/authorize?scope=snsapi_base&next=/', { cookies: '' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state');
    const bad = await t.request(HOST, `/api/member/wechat/callback?code=nope&state=${state}`, { cookies: cookieHeader(start.setCookies) });
    expect(bad.body.error.code).toBe('WECHAT_AUTH_FAILED');
    expect((await t.request(HOST, '/api/member/wechat/authorize?next=//evil.example', { cookies: '' })).status).toBe(400);
    expect((await t.request(HOST, '/api/member/wechat/authorize?next=https://evil.example', { cookies: '' })).status).toBe(400);
  });
});
