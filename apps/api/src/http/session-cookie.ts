import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context';

/** tk_ref remembers the invite code an anonymous visitor arrived with, until they sign in (D3). */
export type CookieName = 'tk_platform' | 'tk_staff' | 'tk_member' | 'tk_ref';

/**
 * Session cookies: HttpOnly, Secure, SameSite=Lax, host-only (no Domain attribute, so a cookie set
 * on one shop's host is never sent to another's) and, under path routing, limited to the shop's
 * `/s/{slug}` path. Browsers treat localhost as secure, so Secure works in local use too.
 */
function cookiePath(c: Context<AppEnv>): string {
  const address = c.get('address');
  return address && address.kind !== 'platform' && address.basePath ? address.basePath : '/';
}

export function setSessionCookie(c: Context<AppEnv>, name: CookieName, token: string, expiresAt: number) {
  setCookie(c, name, token, { httpOnly: true, secure: true, sameSite: 'Lax', path: cookiePath(c), expires: new Date(expiresAt) });
}

export function clearSessionCookie(c: Context<AppEnv>, name: CookieName) {
  deleteCookie(c, name, { httpOnly: true, secure: true, sameSite: 'Lax', path: cookiePath(c) });
}

export const readSessionCookie = (c: Context<AppEnv>, name: CookieName) => getCookie(c, name);
