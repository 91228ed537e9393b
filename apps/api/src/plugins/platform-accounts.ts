import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { eq } from 'drizzle-orm';
import { AppError, createSessionStore } from '@tuike/core';
import { accounts, type PlatformRole } from '@tuike/db-control';
import type { AppConfig, AppEnv } from '../context';
import { readSessionCookie, setSessionCookie } from '../http/session-cookie';
import type { PlatformActor } from './marketplace';

/** The routes of platform accounts, with the signed-in account on the context. */
export type PlatformEnv = { Bindings: AppEnv['Bindings']; Variables: AppEnv['Variables'] & { account: PlatformActor } };

const accountSessions = createSessionStore('account_sessions');

/** PlatformEnv only adds a variable, so its context is an AppEnv context (for the cookie helpers). */
const asAppContext = (c: Context<PlatformEnv>) => c as unknown as Context<AppEnv>;

/**
 * An account's roles: those stored on it, plus `reviewer` when the deployment names its email in
 * PLATFORM_REVIEWERS (config `platformReviewers`). Reviewers are platform operators, so the API
 * never grants the role itself; dropping an email from the list takes the role away again.
 */
export function effectiveRoles(account: { email: string; roles: readonly string[] }, config: Pick<AppConfig, 'platformReviewers'>): PlatformRole[] {
  const roles = new Set(account.roles as PlatformRole[]);
  if (config.platformReviewers.some((e) => e.trim().toLowerCase() === account.email.toLowerCase())) roles.add('reviewer');
  return [...roles];
}

/** Signs the platform account in from its cookie (401 without one) and, if given, requires a role (403). */
export function platformAccount(role?: Exclude<PlatformRole, 'merchant'>) {
  return createMiddleware<PlatformEnv>(async (c, next) => {
    const { control, platform, config } = c.get('services');
    const token = readSessionCookie(asAppContext(c), 'tk_platform');
    const session = token ? await accountSessions.validate(control.client, token, platform.clock.now()) : null;
    if (!session || !token) throw new AppError('UNAUTHENTICATED');
    if (session.renewed) setSessionCookie(asAppContext(c), 'tk_platform', token, session.expiresAt);
    const [row] = await control.orm.select({ id: accounts.id, email: accounts.email, roles: accounts.roles }).from(accounts).where(eq(accounts.id, session.subjectId));
    if (!row) throw new AppError('UNAUTHENTICATED');
    const actor: PlatformActor = { id: row.id, email: row.email, roles: effectiveRoles(row, config) };
    if (role && !actor.roles.includes(role)) throw new AppError('FORBIDDEN', { role });
    c.set('account', actor);
    await next();
  });
}
