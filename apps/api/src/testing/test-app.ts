import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '@tuike/core';
import { createApp, type AppConfig } from '../index';
import { createNodePlatform } from '../platform-node';

/** A real app on real libSQL files in a temp folder, with a clock the test can move. */
export async function createTestApp(overrides: Partial<AppConfig> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tuike-test-'));
  const clock = manualClock(Date.UTC(2026, 10, 1));
  const platform = createNodePlatform({ dataDir, clock, timers: false });
  const app = await createApp(platform, { tenantCacheTtlMs: 0, signupRateLimit: { max: 1000, windowMs: 3_600_000 }, ...overrides });
  const jar = new Map<string, string>();

  /** Sends a request as a browser on `host` would: Origin set, cookies kept per host. */
  async function request(host: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; cookies?: string } = {}) {
    const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
    const headers: Record<string, string> = { host, origin: `http://${host}`, ...init.headers };
    if (init.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const cookie = init.cookies ?? jar.get(host);
    if (cookie) headers.cookie = cookie;
    const res = await app.request(`http://${host}${path}`, { method, headers, body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }, { clientIp: '203.0.113.7' });
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

  async function close() {
    platform.scheduler.stop();
    await platform.databases.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  return { app, platform, clock, dataDir, request, signupShop, jar, close };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
