import { Hono } from 'hono';
import * as v from 'valibot';
import { and, eq, gt } from 'drizzle-orm';
import { AppError, UNUSABLE_PASSWORD_HASH, hashToken } from '@tuike/core';
import { loginTickets } from '@tuike/db-tenant';
import { findActiveStaffByEmail, loadStaffPrincipal } from '@tuike/staff';
import type { AppEnv } from '../context';
import { json } from '../http/json-body';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../http/session-cookie';
import { throttle } from '../http/rate-limit';
import { clientIp, permit, staffSessions } from '../http/staff-auth';
import { Email, Password } from './admin-fields';

const LoginInput = v.strictObject({
  email: Email,
  password: Password,
});
const TicketInput = v.strictObject({ ticket: v.pipe(v.string(), v.regex(/^[a-z2-7]{32}$/)) });

/** Staff sign-in to a shop's admin: password, or the one-time ticket from signup. */
export const adminAuthRoutes = new Hono<AppEnv>()
  .post('/login', permit('public'), json(LoginInput), async (c) => {
    const { platform, config, hasher } = c.get('services');
    const { db, orm } = c.get('shop');
    const { email, password } = c.req.valid('json');
    const now = platform.clock.now();
    await throttle(db, [`staff-login:${email}`, `staff-login-ip:${clientIp(c) ?? 'unknown'}`], config.loginRateLimit, now);
    const staff = await findActiveStaffByEmail(orm, email);
    const ok = await hasher.verify(password, staff?.passwordHash ?? UNUSABLE_PASSWORD_HASH);
    if (!staff || !ok) throw new AppError('INVALID_CREDENTIALS');
    const session = await staffSessions.create(db, staff.id, now);
    setSessionCookie(c, 'tk_staff', session.token, session.expiresAt);
    return c.json({ staff: await loadStaffPrincipal(orm, staff.id) });
  })
  .post('/ticket', permit('public'), json(TicketInput), async (c) => {
    const { platform } = c.get('services');
    const { db, orm } = c.get('shop');
    const now = platform.clock.now();
    // DELETE … RETURNING makes the ticket single-use even if two tabs race with it.
    const [used] = await orm.delete(loginTickets)
      .where(and(eq(loginTickets.id, hashToken(c.req.valid('json').ticket)), gt(loginTickets.expiresAt, now)))
      .returning();
    if (!used) throw new AppError('INVALID_TICKET');
    const session = await staffSessions.create(db, used.staffId, now);
    setSessionCookie(c, 'tk_staff', session.token, session.expiresAt);
    return c.json({ staff: await loadStaffPrincipal(orm, used.staffId) });
  })
  .post('/logout', permit('public'), async (c) => {
    const token = readSessionCookie(c, 'tk_staff');
    if (token) await staffSessions.invalidate(c.get('shop').db, token);
    clearSessionCookie(c, 'tk_staff');
    return c.json({ ok: true });
  });
