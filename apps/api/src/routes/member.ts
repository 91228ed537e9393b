import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { authenticateMember, publicMember, registerMember } from '@tuike/members';
import type { AppEnv } from '../context';
import { json } from '../http/json-body';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../http/session-cookie';
import { throttle } from '../http/rate-limit';
import { clientIp } from '../http/staff-auth';

import { memberSessions, requireMember } from '../http/member-auth';

const Username = v.pipe(v.string(), v.trim(), v.regex(/^[\p{L}\p{N}_.-]{3,32}$/u, 'username: 3–32 letters, digits, _ . -'));
const Credentials = v.strictObject({ username: Username, password: v.pipe(v.string(), v.maxLength(128)) });
const Registration = v.strictObject({ ...Credentials.entries, channel: v.optional(v.picklist(['h5', 'app']), 'h5') });

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
    const member = await registerMember(orm, hasher, input, platform.clock.now());
    await startSession(c, member.id);
    return c.json({ member: publicMember(member) }, 201);
  })
  .post('/login', json(Credentials), async (c) => {
    const { platform, hasher, config } = c.get('services');
    const { db, orm } = c.get('shop');
    const { username, password } = c.req.valid('json');
    await throttle(db, [`member-login:${username.toLowerCase()}`, `member-login-ip:${clientIp(c) ?? 'unknown'}`], config.loginRateLimit, platform.clock.now());
    const member = await authenticateMember(orm, hasher, username, password);
    await startSession(c, member.id);
    return c.json({ member: publicMember(member) });
  })
  .post('/logout', async (c) => {
    const token = readSessionCookie(c, 'tk_member');
    if (token) await memberSessions.invalidate(c.get('shop').db, token);
    clearSessionCookie(c, 'tk_member');
    return c.json({ ok: true });
  })
  .get('/me', requireMember, (c) => c.json({ member: publicMember(c.get('member')) }));
