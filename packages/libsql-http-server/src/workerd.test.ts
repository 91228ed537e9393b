/**
 * The reason this server exists: a Worker (workerd, via Miniflare) reaching a per-shop database
 * over HTTP with @libsql/client's web build, as the Cloudflare build does against Turso.
 */
import { createClient } from '@libsql/client';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { namespaceUrl, startLibsqlHttpServer, type LibsqlHttpServer } from './index';

const TOKEN = 'worker-token';

// The Worker gets the database URL per request and reports results (or the error code) as JSON.
const WORKER_SOURCE = `
import { createClient } from '@libsql/client';
export default {
  async fetch(request) {
    const params = new URL(request.url).searchParams;
    const db = createClient({ url: params.get('db'), authToken: params.get('token') });
    try {
      await db.execute('CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY, who TEXT, at INTEGER)');
      await db.execute({ sql: 'INSERT INTO visits (who, at) VALUES (:who, :at)', args: { who: params.get('who'), at: 1700000000 } });
      await db.batch([{ sql: 'INSERT INTO visits (who, at) VALUES (?, ?)', args: ['batch', 1] }], 'write');
      const tx = await db.transaction('write');
      await tx.execute("INSERT INTO visits (who, at) VALUES ('tx', 2)");
      const inside = await tx.execute('SELECT count(*) AS n FROM visits');
      await tx.commit();
      const all = await db.execute('SELECT who, at FROM visits ORDER BY id');
      return Response.json({ inside: inside.rows[0].n, rows: all.rows.map((r) => [r.who, r.at]) });
    } catch (e) {
      return Response.json({ error: e.code ?? String(e), message: e.message });
    } finally {
      db.close();
    }
  },
};
`;

let dataDir: string;
let server: LibsqlHttpServer;
let mf: Miniflare;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'libsql-http-server-workerd-'));
  server = await startLibsqlHttpServer({ dataDir, authToken: TOKEN });
  const bundle = await build({
    stdin: { contents: WORKER_SOURCE, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // The export conditions the Cloudflare build resolves @libsql/client with.
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    write: false,
  });
  const script = bundle.outputFiles[0]?.text;
  if (!script) throw new Error('esbuild produced no output');
  mf = new Miniflare({ modules: true, script, compatibilityDate: '2025-01-01' });
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function runWorker(db: string, who: string): Promise<unknown> {
  const query = new URLSearchParams({ db, token: TOKEN, who });
  const res = await mf.dispatchFetch(`http://worker.test/?${query}`);
  return res.json();
}

it('serves a Worker running @libsql/client in workerd', async () => {
  const created = await fetch(`${server.url}/v1/namespaces/shop-a/create`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(created.status).toBe(200);

  expect(await runWorker(namespaceUrl(server.url, 'shop-a'), 'first')).toEqual({
    inside: 3,
    rows: [['first', 1700000000], ['batch', 1], ['tx', 2]],
  });
  // A second request sees the first one's data: it was committed to the file.
  expect(await runWorker(namespaceUrl(server.url, 'shop-a'), 'second')).toMatchObject({ inside: 6 });

  const node = createClient({ url: `file:${join(dataDir, 'shop-a.db')}` });
  expect((await node.execute('SELECT count(*) AS n FROM visits')).rows[0]?.n).toBe(6);
  node.close();

  expect(await runWorker(namespaceUrl(server.url, 'shop-missing'), 'x')).toMatchObject({ error: 'NAMESPACE_NOT_FOUND' });
}, 30_000);
