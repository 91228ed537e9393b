import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startWorker } from './worker-harness';

let worker: Awaited<ReturnType<typeof startWorker>>;
let cookie = '';
beforeAll(async () => { worker = await startWorker(); });
afterAll(async () => { await worker?.stop(); });

const json = (host: string, body: unknown, cookie?: string) => ({
  method: 'POST',
  headers: { host, origin: `https://${host}`, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
  body: JSON.stringify(body),
});

describe('the built Worker in workerd', () => {
  it('serves signup → shop created → staff login → admin home → storefront home on the new shop host', async () => {
    const signup = await worker.fetch('https://tuike.test/api/platform/signup',
      json('tuike.test', { email: 'edge@example.com', password: 'edge-pass-42', shopName: '边缘小店', slug: 'edgeshop' }));
    expect(signup.status).toBe(201);
    const created = await signup.json() as { shop: { slug: string; status: string } };
    expect(created.shop).toMatchObject({ slug: 'edgeshop', status: 'active' });
    // The shop's database is its own namespace (file) on the libSQL server.
    const files = (await import('node:fs')).readdirSync(worker.dataDir);
    expect(files.filter((f) => f.startsWith('shop-') && f.endsWith('.db'))).toHaveLength(1);

    const login = await worker.fetch('https://edgeshop.tuike.test/api/admin/auth/login',
      json('edgeshop.tuike.test', { email: 'edge@example.com', password: 'edge-pass-42' }));
    expect(login.status).toBe(200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    const me = await worker.fetch('https://edgeshop.tuike.test/api/admin/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    const home = await me.json() as { shop: { name: string }; staff: { permissions: string[] } };
    expect(home.shop.name).toBe('边缘小店');
    expect(home.staff.permissions).toContain('audit.view');

    const audit = await worker.fetch('https://edgeshop.tuike.test/api/admin/audit', { headers: { cookie } });
    expect(audit.status).toBe(200);

    const storefront = await worker.fetch('https://edgeshop.tuike.test/api/shop');
    expect(await storefront.json()).toMatchObject({ shop: { slug: 'edgeshop', name: '边缘小店' } });
    const page = await worker.fetch('https://edgeshop.tuike.test/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('runs the catalog over libSQL HTTP: a product batch with its search triggers, found by a Chinese substring', async () => {
    const host = 'edgeshop.tuike.test';
    const category = await worker.fetch(`https://${host}/api/admin/categories`, json(host, { name: '茶叶' }, cookie));
    expect(category.status).toBe(201);
    const categoryId = ((await category.json()) as { category: { id: string } }).category.id;
    const product = await worker.fetch(`https://${host}/api/admin/products`, json(host, {
      title: '明前西湖龙井', categoryId, status: 'on', skus: [{ price: 12800, stock: 20 }],
    }, cookie));
    expect(product.status).toBe(201);
    const found = await worker.fetch(`https://${host}/api/catalog/products?q=${encodeURIComponent('西湖龙')}`);
    expect(((await found.json()) as { items: { title: string }[] }).items.map((i) => i.title)).toEqual(['明前西湖龙井']);
  });

  it('keeps shops apart and answers unknown shops with 404', async () => {
    const unknown = await worker.fetch('https://nope.tuike.test/api/shop');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'SHOP_NOT_FOUND' } });
    const bad = await worker.fetch('https://tuike.test/api/platform/signup', { method: 'POST', headers: { host: 'tuike.test', origin: 'https://tuike.test', 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
  });

  it('is the module wrangler.toml deploys: `wrangler deploy --dry-run` succeeds', () => {
    const root = join(import.meta.dirname, '../..');
    expect(existsSync(join(root, 'apps/web/.output/edge/server/index.mjs'))).toBe(true);
    const run = spawnSync(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }, timeout: 120_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/--dry-run: exiting now/);
  });
});
