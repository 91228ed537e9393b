import { createMiddleware } from 'hono/factory';
import { AppError, createSessionStore } from '@tuike/core';
import { findMember } from '@tuike/members';
import type { AppEnv } from '../context';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie';

export const memberSessions = createSessionStore('sessions', 'member');

/** The signed-in buyer of this shop, or 401. */
export const requireMember = createMiddleware<AppEnv>(async (c, next) => {
  const token = readSessionCookie(c, 'tk_member');
  const { db, orm } = c.get('shop');
  const session = token ? await memberSessions.validate(db, token, c.get('services').platform.clock.now()) : null;
  if (!session || !token) {
    if (token) clearSessionCookie(c, 'tk_member');
    throw new AppError('UNAUTHENTICATED');
  }
  if (session.renewed) setSessionCookie(c, 'tk_member', token, session.expiresAt);
  const member = await findMember(orm, session.subjectId);
  if (!member) throw new AppError('UNAUTHENTICATED');
  c.set('member', member);
  await next();
});
