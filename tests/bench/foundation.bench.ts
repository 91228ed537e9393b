import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, systemClock } from '@tuike/core';
import { tenants } from '@tuike/db-control';
import { shopDatabaseName } from '@tuike/db-runtime';
import { openControlPlane, migrateAllShops } from '@tuike/tenancy';
import { createApp } from '@tuike/api';
import { createNodePlatform } from '@tuike/api/node';
import { median, report } from './stats';

const freshDir = () => mkdtempSync(join(tmpdir(), 'tuike-bench-'));
const headers = (host: string) => ({ host, origin: `http://${host}`, 'content-type': 'application/json' });

/** Signup → ticket login → admin home answers: the time until a merchant has a usable shop. */
export async function signupToUsableShop() {
  const dataDir = freshDir();
  const platform = createNodePlatform({ dataDir, timers: false });
  const app = await createApp(platform, { signupRateLimit: { max: 1e6, windowMs: 1 } });
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const slug = `bench-${i}-${Date.now().toString(36)}`;
    const t0 = performance.now();
    const res = await app.request('http://localhost/api/platform/signup', {
      method: 'POST', headers: headers('localhost'),
      body: JSON.stringify({ email: `${slug}@example.com`, password: 'bench-password-1', shopName: slug, slug }),
    });
    const { adminUrl } = await res.json() as { adminUrl: string };
    const host = `${slug}.localhost`;
    const login = await app.request(`http://${host}/api/admin/auth/ticket`, {
      method: 'POST', headers: headers(host), body: JSON.stringify({ ticket: new URL(adminUrl).searchParams.get('ticket') }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const me = await app.request(`http://${host}/api/admin/me`, { headers: { ...headers(host), cookie } });
    if (me.status !== 200) throw new Error(`admin home failed: ${me.status}`);
    times.push(performance.now() - t0);
  }
  report('signup-to-usable-shop-median', median(times), 'ms');
  await platform.databases.close();
  rmSync(dataDir, { recursive: true, force: true });
}

/** The same small request on a warm shop vs the static health route. */
export async function tenantResolutionOverhead() {
  const dataDir = freshDir();
  const platform = createNodePlatform({ dataDir, timers: false });
  const app = await createApp(platform);
  await app.request('http://localhost/api/platform/signup', {
    method: 'POST', headers: headers('localhost'),
    body: JSON.stringify({ email: 'warm@example.com', password: 'bench-password-1', shopName: 'Warm', slug: 'warm' }),
  });
  const time = async (url: string, host: string, n: number) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await app.request(url, { headers: { host } });
      await r.arrayBuffer();
      samples.push(performance.now() - t0);
    }
    return samples;
  };
  await time('http://warm.localhost/api/catalog', 'warm.localhost', 500);
  await time('http://localhost/api/health', 'localhost', 500);
  const shop = median(await time('http://warm.localhost/api/catalog', 'warm.localhost', 5000));
  const health = median(await time('http://localhost/api/health', 'localhost', 5000));
  report('warm-shop-request-median', shop * 1000, 'µs');
  report('health-request-median', health * 1000, 'µs');
  report('tenant-resolution-overhead-ratio', shop / health, 'x');
  await platform.databases.close();
  rmSync(dataDir, { recursive: true, force: true });
}

/** 1,000 shops: db:migrate time per shop, then RSS after hitting each once with a bounded LRU. */
export async function thousandShops() {
  const dataDir = freshDir();
  const maxOpen = 100;
  const rssStart = process.memoryUsage().rss;
  const platform = createNodePlatform({ dataDir, timers: false, maxOpenShops: maxOpen, clock: systemClock });
  const control = await openControlPlane(platform);
  const now = Date.now();
  const rows = [];
  for (let i = 0; i < 1000; i++) {
    const id = newId();
    rows.push({ id, slug: `shop${i}`, name: `Shop ${i}`, status: 'active' as const, planId: 'free', ownerAccountId: 'bench', dbName: shopDatabaseName(id), schemaVersion: 0, createdAt: now, updatedAt: now });
  }
  await control.client.execute({ sql: `INSERT INTO accounts (id, email, password_hash, roles, created_at) VALUES ('bench', 'bench@example.com', 'x', '[]', ?)`, args: [now] });
  for (let i = 0; i < rows.length; i += 100) await control.orm.insert(tenants).values(rows.slice(i, i + 100));
  for (const r of rows) await platform.databases.provision(r.dbName);

  const t0 = performance.now();
  const result = await migrateAllShops(platform, control, { concurrency: 8 });
  const elapsed = performance.now() - t0;
  if (result.failed.length || result.migrated !== 1000) throw new Error(`migrate failed: ${JSON.stringify(result.failed.slice(0, 3))}`);
  report('db-migrate-per-shop', elapsed / 1000, 'ms');

  const app = await createApp(platform);
  const rssBefore = process.memoryUsage().rss;
  for (const r of rows) {
    const res = await app.request(`http://${r.slug}.localhost/api/shop`, { headers: { host: `${r.slug}.localhost` } });
    if (res.status !== 200) throw new Error(`shop ${r.slug}: ${res.status}`);
  }
  global.gc?.();
  const mib = (bytes: number) => bytes / 2 ** 20;
  report('rss-before-shops', mib(rssStart), 'MiB');
  report('rss-after-migrating-1000-shops', mib(rssBefore), 'MiB');
  report('rss-after-1000-shops', mib(process.memoryUsage().rss), 'MiB');
  report('rss-growth-hitting-1000-shops', mib(process.memoryUsage().rss - rssBefore), 'MiB');
  report('open-shop-databases-after-1000', platform.databases.openCount(), `handles (LRU bound ${maxOpen})`);
  await platform.databases.close();
  rmSync(dataDir, { recursive: true, force: true });
}

/** The Worker's upload size as wrangler computes it for deploy (`--dry-run`), against the 1 MiB gzip budget. */
export async function workerBundle() {
  if (!existsSync(join(process.cwd(), 'apps/web/.output/edge/server/index.mjs'))) throw new Error('build the Worker first: npm run build');
  const run = spawnSync(join(process.cwd(), 'node_modules/.bin/wrangler'), ['deploy', '--dry-run'], {
    encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const sizes = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(run.stdout + run.stderr);
  if (run.status !== 0 || !sizes) throw new Error(`wrangler deploy --dry-run failed: ${run.stderr}`);
  report('worker-bundle-raw', Number(sizes[1]), 'KiB');
  report('worker-bundle-gzip', Number(sizes[2]), 'KiB (budget 1024)');
}
