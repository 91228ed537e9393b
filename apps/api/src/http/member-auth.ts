import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError, createSessionStore } from '@tuike/core';
import { findMember } from '@tuike/members';
import type { AppEnv } from '../context';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie';

export const memberSessions = createSessionStore('sessions', 'member');

/** The signed-in buyer of this shop, or null (a stale cookie is cleared, a live one renewed). */
export async function signedInMember(c: Context<AppEnv>) {
  const token = readSessionCookie(c, 'tk_member');
  if (!token) return null;
  const { db, orm } = c.get('shop');
  const session = await memberSessions.validate(db, token, c.get('services').platform.clock.now());
  const member = session ? await findMember(orm, session.subjectId) : null;
  if (!session || !member) {
    clearSessionCookie(c, 'tk_member');
    return null;
  }
  if (session.renewed) setSessionCookie(c, 'tk_member', token, session.expiresAt);
  return member;
}

/** The signed-in buyer of this shop, or 401. */
export const requireMember = createMiddleware<AppEnv>(async (c, next) => {
  const member = await signedInMember(c);
  if (!member) throw new AppError('UNAUTHENTICATED');
  c.set('member', member);
  await next();
});
