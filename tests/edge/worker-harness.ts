import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { namespaceUrl, startLibsqlHttpServer } from '@tuike/libsql-http-server';

const root = join(import.meta.dirname, '..', '..');
const serverDir = join(root, 'apps/web/.output/edge/server');

function workerModules() {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.m?js$/.test(name)) files.push(path);
    }
  };
  walk(serverDir);
  const entry = join(serverDir, 'index.mjs');
  return [entry, ...files.filter((f) => f !== entry)].map((path) => ({ type: 'ESModule' as const, path }));
}

/**
 * The built Worker (what `wrangler deploy` ships) running in workerd through Miniflare, with its
 * databases on a local libSQL HTTP server — the same protocol it speaks to Turso or sqld.
 */
export async function startWorker() {
  if (!existsSync(join(serverDir, 'index.mjs'))) throw new Error('build the Worker first: npm run build');
  const dataDir = mkdtempSync(join(tmpdir(), 'tuike-edge-'));
  const token = 'edge-lane-token';
  const libsql = await startLibsqlHttpServer({ dataDir, port: 0, authToken: token });
  const admin = await fetch(new URL('/v1/namespaces/control/create', libsql.url), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (!admin.ok && admin.status !== 409) throw new Error(`could not create the control namespace: ${admin.status}`);
  const mf = new Miniflare({
    // Every module of the build, entry first: the build imports its chunks dynamically, which
    // Miniflare cannot discover (wrangler.toml's find_additional_modules does the same for deploy).
    modules: workerModules(),
    modulesRoot: serverDir,
    compatibilityDate: '2026-04-26',
    compatibilityFlags: ['nodejs_compat'],
    assets: { directory: join(root, 'apps/web/.output/edge/public'), binding: 'ASSETS', routerConfig: { has_user_worker: true } },
    r2Buckets: ['BLOBS'],
    bindings: {
      PLATFORM_DOMAIN: 'tuike.test',
      PASSWORD_PEPPER: 'edge-lane-pepper',
      LIBSQL_CONTROL_URL: namespaceUrl(libsql.url, 'control'),
      LIBSQL_SHOP_URL_TEMPLATE: `${libsql.url.replace(/\/$/, '')}/ns/{name}/`,
      LIBSQL_ADMIN_URL: libsql.url,
      LIBSQL_AUTH_TOKEN: token,
    },
  });
  await mf.ready;
  return {
    dataDir,
    fetch: (url: string, init?: RequestInit) => mf.dispatchFetch(url, init as never) as unknown as Promise<Response>,
    async stop() {
      await mf.dispose();
      await libsql.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
