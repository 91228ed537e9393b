import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { manualClock } from '@tuike/core';
import { createVmSandbox } from '@tuike/plugin-runtime/node';
import { createApp, type AppConfig } from '../index';
import { createNodePlatform } from '../platform-node';

/** The IP every harness request comes from unless the test names another. */
export const TEST_CLIENT_IP = '203.0.113.7';

export interface TestRequestInit {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send exactly these cookies (and leave the jar alone) instead of the host's jar. */
  cookies?: string;
  /** The client IP the entry point reports; defaults to TEST_CLIENT_IP. */
  clientIp?: string;
}

/** `name=value; name2=value2` from Set-Cookie headers, for replaying a session by hand. */
export function cookieHeader(setCookies: string[]): string {
  return setCookies.map((sc) => sc.split(';')[0]!).filter((pair) => !pair.endsWith('=')).join('; ');
}

/** JSON for objects; strings and bytes (image uploads) as they are. */
function encodeBody(body: unknown): BodyInit | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body as BodyInit;
  return JSON.stringify(body);
}

export interface TestPlatformOptions {
  /** Bound of the open shop database LRU (the platform default when omitted). */
  maxOpenShops?: number;
}

/** A real app on real libSQL files in a temp folder, with a clock the test can move. */
export async function createTestApp(overrides: Partial<AppConfig> = {}, platformOptions: TestPlatformOptions = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tuike-test-'));
  const clock = manualClock(Date.UTC(2026, 10, 1));
  const platform = createNodePlatform({ dataDir, clock, timers: false, maxOpenShops: platformOptions.maxOpenShops });
  const app = await createApp(platform, { tenantCacheTtlMs: 0, signupRateLimit: { max: 1000, windowMs: 3_600_000 }, hookSandbox: () => createVmSandbox(), hookBudgets: { syncMs: 250, stateMs: 5_000 }, ...overrides });
  const jar = new Map<string, string>();

  /** Sends a request as a browser on `host` would: Origin set, cookies kept per host. */
  async function request(host: string, path: string, init: TestRequestInit = {}) {
    const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
    const headers: Record<string, string> = { host, origin: `http://${host}`, ...init.headers };
    if (init.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const cookie = init.cookies ?? jar.get(host);
    if (cookie) headers.cookie = cookie;
    const res = await app.request(`http://${host}${path}`, { method, headers, body: encodeBody(init.body) }, { clientIp: init.clientIp ?? TEST_CLIENT_IP });
    const setCookies = res.headers.getSetCookie();
    if (setCookies.length && init.cookies === undefined) {
      const current = new Map((jar.get(host) ?? '').split('; ').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
      for (const sc of setCookies) {
        const [pair] = sc.split(';');
        const [k, v] = pair!.split('=') as [string, string];
        if (/Max-Age=0|Expires=Thu, 01 Jan 1970/.test(sc) || v === '') current.delete(k); else current.set(k, v);
      }
      jar.set(host, [...current].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const text = await res.text();
    let body: any = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = text; }
    return { status: res.status, body, headers: res.headers, setCookies };
  }

  async function signupShop(slug: string, email = `${slug}@example.com`, password = 'correct-horse-9') {
    const res = await request('localhost', '/api/platform/signup', { body: { email, password, shopName: `Shop ${slug}`, slug } });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { ...res.body, email, password };
  }

  /** The control-plane database client (the same one the app uses). */
  const control = () => platform.databases.control();

  /** A shop's database client, found by slug through the control plane. */
  async function shopDb(slug: string): Promise<Client> {
    const rs = await (await control()).execute({ sql: 'SELECT db_name FROM tenants WHERE slug = ?', args: [slug] });
    const name = rs.rows[0]?.db_name;
    if (typeof name !== 'string') throw new Error(`no shop ${slug}`);
    return platform.databases.shop({ name });
  }

  /** Row count of a table (optionally filtered by a WHERE clause). */
  async function count(db: Client, table: string, where = '1 = 1', args: (string | number)[] = []): Promise<number> {
    const rs = await db.execute({ sql: `SELECT count(*) AS n FROM ${table} WHERE ${where}`, args });
    return Number(rs.rows[0]?.n);
  }

  /** Files in the shops folder: provisioned shop databases (WAL side files excluded). */
  const shopFiles = () => readdirSync(join(dataDir, 'shops')).filter((f) => f.endsWith('.db'));

  /** Signs up a shop and signs its owner in on its host with the signup ticket; the jar keeps the cookie. */
  async function signupAndLogin(slug: string) {
    const shop = await signupShop(slug);
    const ticket = new URL(shop.adminUrl).searchParams.get('ticket');
    const res = await request(`${slug}.localhost`, '/api/admin/auth/ticket', { body: { ticket } });
    if (res.status !== 200) throw new Error(`ticket login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { ...shop, ticket, ownerCookie: cookieHeader(res.setCookies) };
  }

  /** Staff password login on `host` that returns the session cookie and leaves the jar alone. */
  async function staffLogin(host: string, email: string, password: string, path = '') {
    const res = await request(host, `${path}/api/admin/auth/login`, { body: { email, password }, cookies: '' });
    if (res.status !== 200) throw new Error(`staff login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return cookieHeader(res.setCookies);
  }

  /** Waits for the plugin event deliveries started after responses. */
  const eventsDelivered = () => app.services.pluginEvents.idle();

  async function close() {
    platform.scheduler.stop();
    await eventsDelivered();
    await platform.databases.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  return { app, platform, clock, dataDir, eventsDelivered, request, signupShop, jar, close, control, shopDb, count, shopFiles, signupAndLogin, staffLogin };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
