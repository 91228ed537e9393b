import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Client } from '@libsql/client';
import { createPasswordHasher, manualClock, type Platform } from '@tuike/core';
import { openTestPlatform, type TestPlatform } from './testing/test-platform';
import { createTenantDirectory, LATEST_SHOP_SCHEMA, signup, type ControlPlane } from './index';

const hasher = createPasswordHasher('directory-test-pepper');
let clock: ReturnType<typeof manualClock>;
let platform: Platform;
let control: ControlPlane;

let env: TestPlatform;
beforeEach(async () => {
  env = await openTestPlatform('dir');
  ({ clock, platform, control } = env);
});
afterEach(() => env.close());

/** Whether a batch is a migration: it records a version in the ledger. */
const isMigrationBatch = (stmts: readonly unknown[]) => stmts.some((s) => /INSERT INTO __migrations/i.test(JSON.stringify(s)));

/** A shop whose database is empty (schema version 0) and whose tenant row says so. */
async function shopBehind(slug: string) {
  const { tenant } = await signup(platform, control, { email: `${slug}@example.com`, password: 'behind-pass-1', shopName: slug, slug }, { hasher });
  await platform.databases.drop({ name: tenant.dbName });
  await platform.databases.provision(tenant.dbName);
  await control.client.execute({ sql: 'UPDATE tenants SET schema_version = 0 WHERE id = ?', args: [tenant.id] });
  return tenant;
}

const schemaVersionOf = async (id: string) => Number((await control.client.execute({ sql: 'SELECT schema_version FROM tenants WHERE id = ?', args: [id] })).rows[0]!.schema_version);
const migrationsIn = async (db: Client) => (await db.execute('SELECT version FROM __migrations')).rows.map((r) => Number(r.version));

describe('createTenantDirectory', () => {
  it('migrates a shop whose schema is behind on first open, exactly once under 20 concurrent opens', async () => {
    const tenant = await shopBehind('behind');
    const db = await platform.databases.shop({ name: tenant.dbName });
    const batch = vi.spyOn(db, 'batch');
    const directory = createTenantDirectory(platform, control, { cacheTtlMs: 0 });
    const handles = await Promise.all(Array.from({ length: 20 }, async () => directory.open(await directory.find({ kind: 'slug', slug: 'behind', basePath: '' }))));
    expect(handles.every((h) => h.db === db)).toBe(true);
    expect(batch.mock.calls.filter(([stmts]) => isMigrationBatch(stmts)).length).toBe(LATEST_SHOP_SCHEMA);
    expect(await migrationsIn(db)).toEqual(Array.from({ length: LATEST_SHOP_SCHEMA }, (_, i) => i + 1));
    expect(await schemaVersionOf(tenant.id)).toBe(LATEST_SHOP_SCHEMA);
    expect((await handles[0]!.orm.query.settings.findMany())).toEqual([]);
  });

  it('does not touch the migrator again once the tenant row says the schema is current', async () => {
    const tenant = await shopBehind('current');
    const directory = createTenantDirectory(platform, control, { cacheTtlMs: 0 });
    await directory.open(await directory.find({ kind: 'slug', slug: 'current', basePath: '' }));
    const db = await platform.databases.shop({ name: tenant.dbName });
    const execute = vi.spyOn(db, 'execute');
    const batch = vi.spyOn(db, 'batch');
    await Promise.all(Array.from({ length: 5 }, async () => directory.open(await directory.find({ kind: 'slug', slug: 'current', basePath: '' }))));
    expect(batch).not.toHaveBeenCalled();
    expect(execute.mock.calls.filter(([s]) => /__migrations/.test(JSON.stringify(s)))).toEqual([]);
  });

  it('catches up a tenant row that lags behind a database that is already current, without migrating', async () => {
    const { tenant } = await signup(platform, control, { email: 'lag@example.com', password: 'lag-pass-123', shopName: 'Lag', slug: 'lagging' }, { hasher });
    await control.client.execute({ sql: 'UPDATE tenants SET schema_version = 0 WHERE id = ?', args: [tenant.id] });
    const db = await platform.databases.shop({ name: tenant.dbName });
    const batch = vi.spyOn(db, 'batch');
    const directory = createTenantDirectory(platform, control, { cacheTtlMs: 0 });
    const handle = await directory.open(await directory.find({ kind: 'slug', slug: 'lagging', basePath: '' }));
    expect(batch.mock.calls.filter(([stmts]) => isMigrationBatch(stmts))).toEqual([]);
    expect(await schemaVersionOf(tenant.id)).toBe(LATEST_SHOP_SCHEMA);
    expect((await handle.orm.query.settings.findMany()).length).toBe(4);
  });

  it('keeps answering from its cache within the TTL, then sees a status change', async () => {
    await signup(platform, control, { email: 'ttl@example.com', password: 'ttl-pass-123', shopName: 'TTL', slug: 'ttlshop' }, { hasher });
    const directory = createTenantDirectory(platform, control, { cacheTtlMs: 5_000 });
    const address = { kind: 'slug', slug: 'ttlshop', basePath: '' } as const;
    expect((await directory.find(address))?.status).toBe('active');
    await control.client.execute("UPDATE tenants SET status = 'suspended' WHERE slug = 'ttlshop'");
    expect((await directory.find(address))?.status).toBe('active');
    clock.advance(5_000);
    await expect(directory.open(await directory.find(address))).rejects.toMatchObject({ code: 'SHOP_SUSPENDED' });
  });

  it('refuses unknown, suspended and provisioning shops with their stable codes', async () => {
    const directory = createTenantDirectory(platform, control, { cacheTtlMs: 0 });
    await expect(directory.open(await directory.find({ kind: 'slug', slug: 'ghost', basePath: '' }))).rejects.toMatchObject({ code: 'SHOP_NOT_FOUND' });
    await expect(directory.open(await directory.find({ kind: 'domain', hostname: 'ghost.example', basePath: '' }))).rejects.toMatchObject({ code: 'SHOP_NOT_FOUND' });
    expect(await directory.find({ kind: 'platform' })).toBeNull();
  });
});
