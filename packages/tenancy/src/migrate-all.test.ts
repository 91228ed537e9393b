import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { newId } from '@tuike/core';
import { tenants } from '@tuike/db-control';
import { shopDatabaseName } from '@tuike/db-runtime';
import { createNodePlatform } from '../../../apps/api/src/platform-node';
import { openControlPlane } from './control-plane';
import { migrateAllShops } from './migrate-all';
import { LATEST_SHOP_SCHEMA } from './tenant-directory';

const root = join(import.meta.dirname, '../../..');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A data folder with `n` shops whose databases exist but have no schema yet (version 0). */
async function shopsBehind(n: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tuike-migrate-'));
  dirs.push(dataDir);
  const platform = createNodePlatform({ dataDir, timers: false });
  const control = await openControlPlane(platform);
  await control.client.execute({ sql: `INSERT INTO accounts (id, email, password_hash, roles, created_at) VALUES ('a', 'a@example.com', 'x', '[]', 0)`, args: [] });
  const rows = Array.from({ length: n }, (_, i) => {
    const id = newId();
    return { id, slug: `shop${i}`, name: `Shop ${i}`, status: 'active' as const, planId: 'free', ownerAccountId: 'a', dbName: shopDatabaseName(id), schemaVersion: 0, createdAt: 0, updatedAt: 0 };
  });
  await control.orm.insert(tenants).values(rows);
  for (const r of rows) await platform.databases.provision(r.dbName);
  return { dataDir, platform, control, rows };
}

describe('migrating every shop', () => {
  it('reports the shop that failed, records the others, and resumes with only the failed one', async () => {
    const { dataDir, platform, control, rows } = await shopsBehind(6);
    const broken = rows[2]!;
    const brokenFile = join(dataDir, 'shops', `${broken.dbName}.db`);
    writeFileSync(brokenFile, 'this is not a database, it is a crash artefact'.repeat(100));

    const progress: number[] = [];
    const first = await migrateAllShops(platform, control, { concurrency: 3, onProgress: (done) => progress.push(done) });
    expect(first).toMatchObject({ total: 6, migrated: 5 });
    expect(first.failed.map((f) => f.slug)).toEqual([broken.slug]);
    expect(progress.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const versions = await control.orm.select({ slug: tenants.slug, v: tenants.schemaVersion }).from(tenants);
    expect(versions.filter((r) => r.v === LATEST_SHOP_SCHEMA)).toHaveLength(5);

    rmSync(brokenFile);
    await platform.databases.provision(broken.dbName);
    const second = await migrateAllShops(platform, control, { concurrency: 3 });
    expect(second).toMatchObject({ total: 1, migrated: 1, failed: [] });
    const [fixed] = await control.orm.select().from(tenants).where(eq(tenants.id, broken.id));
    expect(fixed!.schemaVersion).toBe(LATEST_SHOP_SCHEMA);
    await platform.databases.close();
  });

  it('`npm run db:migrate` exits non-zero while a shop fails and zero once all are current', async () => {
    const { dataDir, platform, rows } = await shopsBehind(3);
    await platform.databases.close();
    const brokenFile = join(dataDir, 'shops', `${rows[0]!.dbName}.db`);
    writeFileSync(brokenFile, 'garbage'.repeat(1000));
    const run = () => spawnSync(join(root, 'node_modules/.bin/tsx'), ['scripts/db-migrate.ts', '--concurrency=2'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, TUIKE_DATA_DIR: dataDir },
    });
    const failing = run();
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/2 migrated, 1 failed, 3 behind/);
    expect(failing.stderr).toContain('shop0');

    rmSync(brokenFile);
    const again = createNodePlatform({ dataDir, timers: false });
    await again.databases.provision(rows[0]!.dbName);
    await again.databases.close();
    const passing = run();
    expect(passing.status, passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/1 migrated, 0 failed, 1 behind/);
  });
});
