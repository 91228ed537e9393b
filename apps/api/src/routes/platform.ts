import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import { AppError, createSessionStore, UNUSABLE_PASSWORD_HASH, generateSessionToken, hashToken } from '@tuike/core';
import { accounts, tenants } from '@tuike/db-control';
import { loginTickets } from '@tuike/db-tenant';
import { signup, type TenantRecord } from '@tuike/tenancy';
import { OWNER_STAFF_ID } from '@tuike/staff';
import type { AppEnv } from '../context';
import { json } from '../http/json-body';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../http/session-cookie';
import { throttle } from '../http/rate-limit';
import { clientIp } from '../http/staff-auth';
import { Email, Password } from './admin-fields';

const accountSessions = createSessionStore('account_sessions');

const SignupInput = v.strictObject({
  email: Email,
  password: Password,
  shopName: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40)),
  slug: v.pipe(v.string(), v.maxLength(63)),
});
const LoginInput = v.strictObject({ email: Email, password: Password });

export const TICKET_TTL_MS = 5 * 60_000;

/** The platform console API (A1): signup, platform login, the merchant's shops. */
export const platformRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (c.get('address').kind !== 'platform') throw new AppError('NOT_FOUND');
    await next();
  })
  .post('/signup', json(SignupInput), async (c) => {
    const services = c.get('services');
    const { platform, control, config } = services;
    const now = platform.clock.now();
    await throttle(control.client, [`signup:${clientIp(c) ?? 'unknown'}`], config.signupRateLimit, now);
    const input = c.req.valid('json');
    const result = await signup(platform, control, input, { hasher: services.hasher, ip: clientIp(c) });
    const session = await accountSessions.create(control.client, result.account.id, now);
    setSessionCookie(c, 'tk_platform', session.token, session.expiresAt);
    services.tenants.forget(result.tenant.slug);
    const ticket = await issueLoginTicket(c, result.tenant);
    return c.json({ account: result.account, shop: shopSummary(result.tenant), ...shopUrls(c, result.tenant.slug, ticket) }, 201);
  })
  .post('/login', json(LoginInput), async (c) => {
    const { platform, control, config, hasher } = c.get('services');
    const now = platform.clock.now();
    const { email, password } = c.req.valid('json');
    await throttle(control.client, [`login:${email}`, `login-ip:${clientIp(c) ?? 'unknown'}`], config.loginRateLimit, now);
    const [account] = await control.orm.select().from(accounts).where(eq(accounts.email, email));
    const ok = await hasher.verify(password, account?.passwordHash ?? UNUSABLE_PASSWORD_HASH);
    if (!account || !ok) throw new AppError('INVALID_CREDENTIALS');
    const session = await accountSessions.create(control.client, account.id, now);
    setSessionCookie(c, 'tk_platform', session.token, session.expiresAt);
    return c.json({ account: { id: account.id, email: account.email } });
  })
  .post('/logout', async (c) => {
    const token = readSessionCookie(c, 'tk_platform');
    if (token) await accountSessions.invalidate(c.get('services').control.client, token);
    clearSessionCookie(c, 'tk_platform');
    return c.json({ ok: true });
  })
  .get('/me', async (c) => {
    const { control, platform } = c.get('services');
    const token = readSessionCookie(c, 'tk_platform');
    const session = token ? await accountSessions.validate(control.client, token, platform.clock.now()) : null;
    if (!session || !token) throw new AppError('UNAUTHENTICATED');
    if (session.renewed) setSessionCookie(c, 'tk_platform', token, session.expiresAt);
    const [account] = await control.orm.select({ id: accounts.id, email: accounts.email, roles: accounts.roles }).from(accounts).where(eq(accounts.id, session.subjectId));
    if (!account) throw new AppError('UNAUTHENTICATED');
    const shops = await control.orm.select().from(tenants).where(eq(tenants.ownerAccountId, account.id));
    return c.json({ account, shops: shops.map((t) => ({ ...shopSummary(t), ...shopUrls(c, t.slug) })) });
  });

function shopSummary(t: { slug: string; name: string; planId: string; status: string; createdAt: number }) {
  return { slug: t.slug, name: t.name, plan: t.planId, status: t.status, createdAt: t.createdAt };
}

/** A one-time ticket carries the new owner from the platform host to the shop's own host. */
async function issueLoginTicket(c: Context<AppEnv>, tenant: TenantRecord): Promise<string> {
  const { platform, tenants: directory } = c.get('services');
  const handle = await directory.open(tenant);
  try {
    const ticket = generateSessionToken();
    await handle.orm.insert(loginTickets).values({ id: hashToken(ticket), staffId: OWNER_STAFF_ID, expiresAt: platform.clock.now() + TICKET_TTL_MS });
    return ticket;
  } finally {
    handle.release();
  }
}

/** Shop addresses on this deployment: `{slug}.{host}` and the path form `/s/{slug}`. */
function shopUrls(c: Context<AppEnv>, slug: string, ticket?: string) {
  const url = new URL(c.req.url);
  const host = c.req.header('host') ?? url.host;
  const hostBase = `${url.protocol}//${slug}.${host}`;
  const pathBase = `${url.protocol}//${host}/s/${slug}`;
  const adminLogin = (base: string) => `${base}/admin/login${ticket ? `?ticket=${ticket}` : ''}`;
  return {
    storefrontUrl: `${hostBase}/`,
    adminUrl: adminLogin(hostBase),
    storefrontPathUrl: `${pathBase}/`,
    adminPathUrl: adminLogin(pathBase),
  };
}
