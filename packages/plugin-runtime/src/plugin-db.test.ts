import { createClient, type Client } from '@libsql/client';
import { definePlugin } from '@tuike/plugin-sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PluginError } from './errors';
import { createPluginDb, type SqlExecutor } from './plugin-db';

const coupons = definePlugin({
  id: 'coupons',
  name: { zh: '优惠券', en: 'Coupons' },
  version: '1.0.0',
  engine: '^1.0.0',
  capabilities: ['pricing', 'catalog.read'],
  migrations: [`CREATE TABLE plg_coupons_codes (id TEXT PRIMARY KEY, member_id TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount > 0), sku_id TEXT);
    CREATE INDEX plg_coupons_codes_member ON plg_coupons_codes (member_id)`],
});

let dir: string;
let client: Client;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plugin-db-'));
  client = createClient({ url: `file:${join(dir, 'shop.db')}` });
  // A slice of the core schema, then the plugin's migrations as the platform runs them.
  await client.executeMultiple(`CREATE TABLE members (id TEXT PRIMARY KEY, password_hash TEXT);
    CREATE TABLE skus (id TEXT PRIMARY KEY, price INTEGER);
    CREATE TABLE orders (id TEXT PRIMARY KEY, pay_total INTEGER);
    CREATE TABLE plg_coupons_pro_secrets (v TEXT);
    INSERT INTO members VALUES ('m1', 'hash'); INSERT INTO skus VALUES ('s1', 990); INSERT INTO orders VALUES ('o1', 990);`);
  for (const m of coupons.migrations) await client.executeMultiple(m);
});
afterEach(() => {
  client.close();
  rmSync(dir, { recursive: true, force: true });
});

async function deniedCode(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof PluginError) return e.code;
    throw e;
  }
  return 'allowed';
}

describe('the database a plugin gets', () => {
  it('reads and writes the plugin\'s own tables, and reads what catalog.read grants', async () => {
    const db = createPluginDb(client, 'coupons', coupons.capabilities);
    await db.execute('INSERT INTO plg_coupons_codes (id, member_id, amount, sku_id) VALUES (?, ?, ?, ?)', ['c1', 'm1', 500, 's1']);
    const r = await db.execute('SELECT c.id, c.amount, s.price FROM plg_coupons_codes c JOIN skus s ON s.id = c.sku_id WHERE c.member_id = :m', { m: 'm1' });
    expect(r.rows).toEqual([{ id: 'c1', amount: 500, price: 990 }]);
    expect(r.columns).toEqual(['id', 'amount', 'price']);
  });

  it('refuses core tables its capabilities do not grant, before anything runs', async () => {
    const spy = { execute: vi.fn(), batch: vi.fn() } satisfies SqlExecutor;
    const db = createPluginDb(spy, 'coupons', coupons.capabilities);
    expect(await deniedCode(db.execute('SELECT password_hash FROM members'))).toBe('PLUGIN_DB_DENIED');
    expect(await deniedCode(db.execute('SELECT * FROM plg_coupons_codes WHERE member_id IN (SELECT id FROM members)'))).toBe('PLUGIN_DB_DENIED');
    expect(await deniedCode(db.execute('SELECT * FROM orders'))).toBe('PLUGIN_DB_DENIED');
    expect(spy.execute).not.toHaveBeenCalled();
  });

  it('never writes a core table, even one it may read', async () => {
    const db = createPluginDb(client, 'coupons', coupons.capabilities);
    expect(await deniedCode(db.execute('UPDATE skus SET price = 1'))).toBe('PLUGIN_DB_DENIED');
    expect(await deniedCode(db.execute('INSERT INTO plg_coupons_codes SELECT id, id, 1, NULL FROM members'))).toBe('PLUGIN_DB_DENIED');
    expect((await client.execute('SELECT price FROM skus')).rows[0]!.price).toBe(990);
  });

  it('refuses DDL, PRAGMA and several statements in one call at run time', async () => {
    const db = createPluginDb(client, 'coupons', coupons.capabilities);
    for (const sql of ['CREATE TABLE plg_coupons_more (a)', 'DROP TABLE plg_coupons_codes', 'PRAGMA foreign_keys = OFF', 'SELECT 1; DELETE FROM orders', '']) {
      expect(await deniedCode(db.execute(sql)), sql).toBe('PLUGIN_DB_DENIED');
    }
    expect((await client.execute('SELECT count(*) AS n FROM orders')).rows[0]!.n).toBe(1);
  });

  it('refuses a whole batch when one statement is not allowed, and runs an allowed one atomically', async () => {
    const db = createPluginDb(client, 'coupons', coupons.capabilities);
    expect(await deniedCode(db.batch([
      { sql: 'INSERT INTO plg_coupons_codes (id, member_id, amount) VALUES (?, ?, ?)', args: ['c2', 'm1', 100] },
      { sql: 'DELETE FROM orders' },
    ]))).toBe('PLUGIN_DB_DENIED');
    expect((await client.execute('SELECT count(*) AS n FROM plg_coupons_codes')).rows[0]!.n).toBe(0);
    // A constraint failing mid-batch rolls back the statements before it.
    await expect(db.batch([
      { sql: 'INSERT INTO plg_coupons_codes (id, member_id, amount) VALUES (?, ?, ?)', args: ['c3', 'm1', 100] },
      { sql: 'INSERT INTO plg_coupons_codes (id, member_id, amount) VALUES (?, ?, ?)', args: ['c4', 'm1', -1] },
    ])).rejects.toThrow();
    expect((await client.execute('SELECT count(*) AS n FROM plg_coupons_codes')).rows[0]!.n).toBe(0);
  });

  it('keeps a read-only db (for loadState) to SELECT', async () => {
    const db = createPluginDb(client, 'coupons', coupons.capabilities, { access: 'read' });
    expect((await db.execute('SELECT count(*) AS n FROM plg_coupons_codes')).rows).toEqual([{ n: 0 }]);
    expect(await deniedCode(db.execute("INSERT INTO plg_coupons_codes (id, member_id, amount) VALUES ('x', 'm1', 1)"))).toBe('PLUGIN_DB_DENIED');
  });

  it('keeps a longer installed plugin id\'s tables away from the shorter one', async () => {
    const db = createPluginDb(client, 'coupons', coupons.capabilities, { installedPluginIds: ['coupons', 'coupons-pro'] });
    expect(await deniedCode(db.execute('SELECT * FROM plg_coupons_pro_secrets'))).toBe('PLUGIN_DB_DENIED');
  });

  it('says what it refused and why', async () => {
    const db = createPluginDb(client, 'coupons', coupons.capabilities);
    const error = await db.execute('SELECT * FROM members').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLUGIN_DB_DENIED', details: { pluginId: 'coupons', problems: [{ statement: 'SELECT * FROM members', message: expect.stringContaining('"members"') }] } });
  });
});
