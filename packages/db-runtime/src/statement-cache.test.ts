import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'libsql';
import { createClient, type Client } from '@libsql/client';
import { cachedStatements, installStatementCache } from './statement-cache';

let dir: string;
let client: Client;
beforeEach(() => {
  installStatementCache();
  dir = mkdtempSync(join(tmpdir(), 'tuike-stmt-'));
  client = createClient({ url: `file:${join(dir, 'shop.db')}` });
});
afterEach(() => {
  client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the prepared-statement cache', () => {
  it('prepares a statement once per connection and reuses it', () => {
    const db = new Database(join(dir, 'raw.db'));
    const a = db.prepare('SELECT 1 AS one');
    expect(db.prepare('SELECT 1 AS one')).toBe(a);
    expect(db.prepare('SELECT 2 AS two')).not.toBe(a);
    expect(cachedStatements(db)).toBe(2);
    db.close();
    expect(cachedStatements(db)).toBe(0);
  });

  it('answers through the client exactly as before: rows, writes, constraint errors, schema changes', async () => {
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE, CONSTRAINT t_id CHECK (id > 0))');
    const insert = (id: number, v: string) => client.execute({ sql: 'INSERT INTO t (id, v) VALUES (?, ?)', args: [id, v] });
    expect((await insert(1, 'a')).rowsAffected).toBe(1);
    await expect(insert(2, 'a')).rejects.toThrow(/UNIQUE/);
    await expect(insert(-1, 'z')).rejects.toThrow(/CHECK constraint failed: t_id/);
    expect((await insert(3, 'c')).rowsAffected).toBe(1);
    const all = () => client.execute('SELECT * FROM t ORDER BY id');
    expect((await all()).rows.map((r) => [r.id, r.v])).toEqual([[1, 'a'], [3, 'c']]);
    await client.execute("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'x'");
    const after = await all();
    expect(after.columns).toEqual(['id', 'v', 'w']);
    expect(after.rows.map((r) => r.w)).toEqual(['x', 'x']);
    const batch = await client.batch([{ sql: 'INSERT INTO t (id, v) VALUES (?, ?)', args: [4, 'd'] }, 'SELECT count(*) AS n FROM t'], 'write');
    expect(Number(batch[1]!.rows[0]!.n)).toBe(3);
  });
});
