import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError, createSessionStore } from '@tuike/core';
import { loadStaffPrincipal, type AuditActor, type Permission } from '@tuike/staff';
import type { AppEnv } from '../context';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie';

export const staffSessions = createSessionStore('sessions', 'staff');

/** What an admin route requires: a catalog permission, any signed-in staff ('self'), or nobody ('public'). */
export type Requirement = Permission | 'self' | 'public';

/** Marks the middleware so a test can list every admin route with what it requires. */
export const REQUIREMENT = Symbol.for('tuike.requirement');
export type PermitMiddleware = MiddlewareHandler<AppEnv> & { [REQUIREMENT]: Requirement };

async function authenticate(c: Context<AppEnv>) {
  const token = readSessionCookie(c, 'tk_staff');
  if (!token) throw new AppError('UNAUTHENTICATED');
  const { db, orm } = c.get('shop');
  const { platform } = c.get('services');
  const session = await staffSessions.validate(db, token, platform.clock.now());
  if (!session) {
    clearSessionCookie(c, 'tk_staff');
    throw new AppError('UNAUTHENTICATED');
  }
  if (session.renewed) setSessionCookie(c, 'tk_staff', token, session.expiresAt);
  const principal = await loadStaffPrincipal(orm, session.subjectId);
  if (!principal) throw new AppError('UNAUTHENTICATED');
  c.set('staff', principal);
}

/** Every admin route is declared with exactly one of these. */
export function permit(requirement: Requirement): PermitMiddleware {
  const mw = createMiddleware<AppEnv>(async (c, next) => {
    if (requirement !== 'public') {
      await authenticate(c);
      if (requirement !== 'self' && !c.get('staff').permissions.includes(requirement)) throw new AppError('FORBIDDEN', { permission: requirement });
    }
    await next();
  });
  return Object.assign(mw, { [REQUIREMENT]: requirement });
}

export function actorOf(c: Context<AppEnv>): AuditActor {
  const staff = c.get('staff');
  return { staffId: staff.id, staffName: staff.name, ip: clientIp(c) };
}

export function clientIp(c: Context<AppEnv>): string | null {
  return c.get('services').config.clientIp(c.req.raw, c.env ?? {});
}
