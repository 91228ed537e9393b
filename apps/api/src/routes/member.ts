import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '@tuike/core';
import { settings } from '@tuike/db-tenant';
import { authenticateMember, authorizeUrl, identify, memberForWechat, publicMember, registerMember, type WechatAccount } from '@tuike/members';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { AppEnv } from '../context';
import { bindRemembered } from '../http/referral';
import { shopBasePath, shopUrl } from '../http/shop-url';
import { json, query } from '../http/json-body';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../http/session-cookie';
import { throttle } from '../http/rate-limit';
import { clientIp } from '../http/staff-auth';

import { memberSessions, requireMember } from '../http/member-auth';

const Username = v.pipe(v.string(), v.trim(), v.regex(/^[\p{L}\p{N}_.-]{3,32}$/u, 'username: 3–32 letters, digits, _ . -'));
const Credentials = v.strictObject({ username: Username, password: v.pipe(v.string(), v.maxLength(128)) });
/** `ref`: the invite code of the distributor whose link brought the new member (D3, bind on registration). */
const Registration = v.strictObject({
  ...Credentials.entries,
  channel: v.optional(v.picklist(['h5', 'app']), 'h5'),
  ref: v.optional(v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z0-9]{4,12}$/))),
});

const STATE_COOKIE = 'tk_wx_state';
const NextPath = v.pipe(v.string(), v.maxLength(300), v.regex(/^\/(?!\/)/));
const WechatStart = v.object({ scope: v.optional(v.picklist(['snsapi_base', 'snsapi_userinfo']), 'snsapi_base'), next: v.optional(NextPath, '/') });
const WechatCallback = v.object({ code: v.pipe(v.string(), v.minLength(1), v.maxLength(200)), state: v.pipe(v.string(), v.maxLength(64)) });

/** Only a path inside this shop: never an open redirect to another site. */
const safeNext = (next: string) => (/^\/(?!\/)[^\\]*$/.test(next) ? next : '/');

async function wechatAccount(c: Context<AppEnv>): Promise<WechatAccount> {
  const [row] = await c.get('shop').orm.select().from(settings).where(eq(settings.key, 'wechat'));
  const value = row?.value as Partial<WechatAccount> | undefined;
  if (!value?.appId || !value.appSecret) throw new AppError('WECHAT_NOT_CONFIGURED');
  return { appId: value.appId, appSecret: value.appSecret };
}

async function startSession(c: Context<AppEnv>, memberId: string) {
  const session = await memberSessions.create(c.get('shop').db, memberId, c.get('services').platform.clock.now());
  setSessionCookie(c, 'tk_member', session.token, session.expiresAt);
}

/** Buyers of a shop (C1, A6): WAP/H5 username + password; WeChat sign-in arrives with the commerce work. */
export const memberRoutes = new Hono<AppEnv>()
  .post('/register', json(Registration), async (c) => {
    const { platform, hasher, config } = c.get('services');
    const { db, orm } = c.get('shop');
    const input = c.req.valid('json');
    await throttle(db, [`member-register-ip:${clientIp(c) ?? 'unknown'}`], config.signupRateLimit, platform.clock.now());
    const { ref, ...registration } = input;
    const member = await registerMember(orm, hasher, registration, platform.clock.now());
    await startSession(c, member.id);
    await bindRemembered(c, member.id, 'register', ref);
    // member.registered, delivered after the response (with the binding just made).
    c.set('eventsWritten', true);
    return c.json({ member: publicMember(member) }, 201);
  })
  .post('/login', json(Credentials), async (c) => {
    const { platform, hasher, config } = c.get('services');
    const { db, orm } = c.get('shop');
    const { username, password } = c.req.valid('json');
    await throttle(db, [`member-login:${username.toLowerCase()}`, `member-login-ip:${clientIp(c) ?? 'unknown'}`], config.loginRateLimit, platform.clock.now());
    const member = await authenticateMember(orm, hasher, username, password);
    await startSession(c, member.id);
    await bindRemembered(c, member.id, 'link');
    return c.json({ member: publicMember(member) });
  })
  .post('/logout', async (c) => {
    const token = readSessionCookie(c, 'tk_member');
    if (token) await memberSessions.invalidate(c.get('shop').db, token);
    clearSessionCookie(c, 'tk_member');
    return c.json({ ok: true });
  })
  .get('/me', requireMember, (c) => c.json({ member: publicMember(c.get('member')) }))
  .get('/wechat/authorize', query(WechatStart), async (c) => {
    const account = await wechatAccount(c);
    const { scope, next } = c.req.valid('query');
    const state = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(16)));
    // The state lives in an HttpOnly cookie of this shop: a callback from another browser fails.
    setCookie(c, STATE_COOKIE, `${state}|${scope}|${encodeURIComponent(next)}`, { httpOnly: true, secure: true, sameSite: 'Lax', path: shopBasePath(c) || '/', maxAge: 600 });
    const callback = shopUrl(c, '/api/member/wechat/callback');
    return c.redirect(authorizeUrl(c.get('services').config.wechat, account.appId, callback, scope, state), 302);
  })
  .get('/wechat/callback', query(WechatCallback), async (c) => {
    const account = await wechatAccount(c);
    const { code, state } = c.req.valid('query');
    const [expected, scope, next] = (getCookie(c, STATE_COOKIE) ?? '').split('|');
    deleteCookie(c, STATE_COOKIE, { path: shopBasePath(c) || '/', secure: true });
    if (!expected || expected !== state || (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo')) throw new AppError('WECHAT_STATE_INVALID');
    const who = await identify(c.get('services').config.wechat, account, code, scope);
    const back = safeNext(decodeURIComponent(next ?? '/'));
    // A snapshot-mode virtual account is a guest: browse on, no member is created.
    if (who.snapshot) return c.redirect(`${shopBasePath(c)}${back}${back.includes('?') ? '&' : '?'}wechat=snapshot`, 302);
    const member = await memberForWechat(c.get('shop').orm, account.appId, who, c.get('services').platform.clock.now());
    await startSession(c, member.id);
    await bindRemembered(c, member.id, 'link');
    c.set('eventsWritten', true);
    return c.redirect(`${shopBasePath(c)}${back}`, 302);
  });
