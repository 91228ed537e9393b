import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, type Client } from '@libsql/client';
import { createMigrationGate, currentVersion, latestVersion, migrate, type Migration } from './migrator';
import { withWriteQueue } from './write-queue';

const v1: Migration = { version: 1, name: '0000_first', statements: ['CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL)', 'CREATE INDEX a_name ON a (name)'] };
const v2: Migration = { version: 2, name: '0001_second', statements: ['CREATE TABLE b (id INTEGER PRIMARY KEY)', 'ALTER TABLE a ADD COLUMN note TEXT'] };
const v3: Migration = { version: 3, name: '0002_third', statements: ['CREATE TABLE c (id INTEGER PRIMARY KEY)', "INSERT INTO c (id) VALUES (1)"] };

let dir: string;
let path: string;
const clients: Client[] = [];
const open = () => {
  const c = withWriteQueue(createClient({ url: `file:${path}` }));
  clients.push(c);
  return c;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tuike-migrate-'));
  path = join(dir, 'db.sqlite');
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  rmSync(dir, { recursive: true, force: true });
});

const tables = async (db: Client) => (await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).rows.map((r) => r.name);
const ledger = async (db: Client) => (await db.execute('SELECT version, name, applied_at FROM __migrations ORDER BY version')).rows.map((r) => ({ ...r }));

describe('migrate', () => {
  it('applies every pending migration in order and records each version with its name and time', async () => {
    const db = open();
    expect(await currentVersion(db)).toBe(0);
    expect(await migrate(db, [v1, v2], () => 1234)).toEqual({ from: 0, to: 2 });
    expect(await tables(db)).toEqual(['__migrations', 'a', 'b']);
    expect(await ledger(db)).toEqual([{ version: 1, name: '0000_first', applied_at: 1234 }, { version: 2, name: '0001_second', applied_at: 1234 }]);
    expect(await currentVersion(db)).toBe(2);
  });

  it('applies each migration only once: a second run changes nothing', async () => {
    const db = open();
    await migrate(db, [v1, v2, v3]);
    const batch = vi.spyOn(db, 'batch');
    expect(await migrate(db, [v1, v2, v3])).toEqual({ from: 3, to: 3 });
    expect(batch).not.toHaveBeenCalled();
    expect((await db.execute('SELECT count(*) AS n FROM c')).rows[0]!.n).toBe(1);
  });

  it('applies only the migrations added since the last run', async () => {
    const db = open();
    await migrate(db, [v1]);
    await db.execute("INSERT INTO a (name) VALUES ('kept')");
    expect(await migrate(db, [v1, v2, v3])).toEqual({ from: 1, to: 3 });
    expect((await db.execute('SELECT name, note FROM a')).rows.map((r) => ({ ...r }))).toEqual([{ name: 'kept', note: null }]);
  });

  it('does nothing with an empty list', async () => {
    const db = open();
    expect(await migrate(db, [])).toEqual({ from: 0, to: 0 });
    expect(await tables(db)).toEqual([]);
  });

  it('leaves the previous version intact when a migration fails, and resumes once it is fixed', async () => {
    const db = open();
    const broken: Migration = { version: 2, name: '0001_broken', statements: ['CREATE TABLE b (id INTEGER PRIMARY KEY)', 'ALTER TABLE a ADD COLUMN note TEXT', 'THIS IS NOT SQL'] };
    await expect(migrate(db, [v1, broken, v3])).rejects.toThrow();
    expect(await currentVersion(db)).toBe(1);
    expect(await tables(db)).toEqual(['__migrations', 'a']);
    expect((await db.execute('PRAGMA table_info(a)')).rows.map((r) => r.name)).toEqual(['id', 'name']);
    expect(await ledger(db)).toHaveLength(1);
    expect(await migrate(db, [v1, v2, v3])).toEqual({ from: 1, to: 3 });
  });

  it('brings two clients of one file that migrate at the same moment to the same version without error', async () => {
    let collisions = 0;
    for (let round = 0; round < 10; round++) {
      rmSync(path, { force: true });
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
      const a = open();
      const b = open();
      await a.execute('PRAGMA journal_mode=WAL');
      for (const c of [a, b]) {
        const batch = c.batch.bind(c);
        vi.spyOn(c, 'batch').mockImplementation((stmts, mode) => batch(stmts, mode).catch((e: unknown) => { collisions++; throw e; }));
      }
      const results = await Promise.all([migrate(a, [v1, v2, v3]), migrate(b, [v1, v2, v3])]);
      expect(results.map((r) => r.to)).toEqual([3, 3]);
      expect((await ledger(a)).map((r) => r.version)).toEqual([1, 2, 3]);
      expect((await a.execute('SELECT count(*) AS n FROM c')).rows[0]!.n).toBe(1);
      for (const c of clients.splice(0)) c.close();
    }
    // The race really happened: the loser's batch failed and migrate recovered from it.
    expect(collisions).toBeGreaterThan(0);
  });

  it('reports the latest version of a list', () => {
    expect(latestVersion([v1, v2, v3])).toBe(3);
    expect(latestVersion([])).toBe(0);
  });
});

describe('createMigrationGate', () => {
  it('shares one run among concurrent callers of one key', async () => {
    const once = createMigrationGate();
    let runs = 0;
    let finish!: (v: number) => void;
    const run = () => { runs++; return new Promise<number>((r) => { finish = r; }); };
    const callers = Array.from({ length: 20 }, () => once('shop-1', run));
    finish(7);
    expect(await Promise.all(callers)).toEqual(Array(20).fill(7));
    expect(runs).toBe(1);
  });

  it('runs different keys independently', async () => {
    const once = createMigrationGate();
    const seen: string[] = [];
    await Promise.all(['a', 'b', 'a', 'b'].map((k) => once(k, async () => { seen.push(k); return 1; })));
    expect(seen.sort()).toEqual(['a', 'b']);
  });

  it('runs again for a caller that comes after the shared run finished', async () => {
    const once = createMigrationGate();
    let runs = 0;
    await once('k', async () => ++runs);
    expect(await once('k', async () => ++runs)).toBe(2);
  });

  it('shares a failure with the waiting callers and lets the next caller retry', async () => {
    const once = createMigrationGate();
    let fail = true;
    const run = async () => { await new Promise((r) => setTimeout(r, 5)); if (fail) throw new Error('boom'); return 3; };
    const results = await Promise.allSettled([once('k', run), once('k', run)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await once('k', run)).toBe(3);
  });
});
