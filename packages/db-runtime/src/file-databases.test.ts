import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatabasesPort, ShopClient } from '@tuike/core';
import { createFileDatabases } from './file-databases';
import { HandleLru } from './lru';

let dir: string;
let dbs: DatabasesPort;
const SHOPS = ['shop-a', 'shop-b', 'shop-c', 'shop-d', 'shop-e'];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tuike-fdb-'));
  dbs = createFileDatabases({ dir, maxOpen: 1 });
  for (const name of SHOPS) await dbs.provision(name);
});
afterEach(async () => {
  await dbs.close();
  rmSync(dir, { recursive: true, force: true });
});

const pendingOf = (c: ShopClient) => (c as ShopClient & { pending: number }).pending;

describe('file databases: lease()', () => {
  it('keeps a leased shop database open while other shops are opened past the bound', async () => {
    const a = await dbs.lease({ name: 'shop-a' });
    expect(pendingOf(a)).toBe(1);
    const b = await dbs.shop({ name: 'shop-b' });
    const c = await dbs.shop({ name: 'shop-c' });
    expect(a.closed).toBe(false);
    expect(Number((await a.execute('SELECT 1 AS one')).rows[0]!.one)).toBe(1);
    // The unleased handles are the ones that gave way; the leased one is still the cached one.
    expect(b.closed).toBe(true);
    expect(c.closed).toBe(false);
    expect(await dbs.shop({ name: 'shop-a' })).toBe(a);
    a.release();
    expect(pendingOf(a)).toBe(0);
    await dbs.shop({ name: 'shop-d' });
    expect(a.closed).toBe(true);
    expect(dbs.openCount()).toBe(1);
  });

  it('takes the lease before a freshly opened handle enters the LRU: simultaneous first leases of many shops all stay open', async () => {
    const clients = await Promise.all(SHOPS.map((name) => dbs.lease({ name })));
    expect(clients.map((c) => c.closed)).toEqual(SHOPS.map(() => false));
    expect(clients.map(pendingOf)).toEqual(SHOPS.map(() => 1));
    const counts = await Promise.all(clients.map(async (c) => Number((await c.execute('SELECT 1 AS one')).rows[0]!.one)));
    expect(counts).toEqual(SHOPS.map(() => 1));
    expect(dbs.openCount()).toBe(SHOPS.length);
    for (const c of clients) c.release();
    await dbs.provision('shop-f');
    await dbs.shop({ name: 'shop-f' });
    expect(dbs.openCount()).toBe(1);
    expect(clients.map((c) => c.closed)).toEqual(SHOPS.map(() => true));
  });

  it('retains a freshly opened handle before it enters the LRU, never after', async () => {
    const originalSet = HandleLru.prototype.set;
    const entered: [string, number][] = [];
    const spy = vi.spyOn(HandleLru.prototype, 'set').mockImplementation(function (this: HandleLru<ShopClient>, key: string, value: ShopClient) {
      entered.push([key, pendingOf(value)]);
      return originalSet.call(this, key, value);
    });
    try {
      const [a1, a2, b] = await Promise.all([dbs.lease({ name: 'shop-a' }), dbs.lease({ name: 'shop-a' }), dbs.shop({ name: 'shop-b' })]);
      expect(entered).toHaveLength(2);
      expect(Object.fromEntries(entered)).toEqual({ 'shop-a': 2, 'shop-b': 0 });
      a1.release();
      a2.release();
      expect(pendingOf(b)).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('counts every lease taken while one open is in flight, and shares that one client', async () => {
    const [x, y, plain] = await Promise.all([dbs.lease({ name: 'shop-a' }), dbs.lease({ name: 'shop-a' }), dbs.shop({ name: 'shop-a' })]);
    expect(y).toBe(x);
    expect(plain).toBe(x);
    expect(pendingOf(x)).toBe(2);
    await dbs.shop({ name: 'shop-b' });
    expect(x.closed).toBe(false);
    x.release();
    await dbs.shop({ name: 'shop-c' });
    expect(x.closed).toBe(false);
    y.release();
    expect(pendingOf(x)).toBe(0);
    await dbs.shop({ name: 'shop-d' });
    expect(x.closed).toBe(true);
  });

  it('retains a handle that is already cached', async () => {
    const first = await dbs.shop({ name: 'shop-a' });
    expect(pendingOf(first)).toBe(0);
    const leased = await dbs.lease({ name: 'shop-a' });
    expect(leased).toBe(first);
    expect(pendingOf(leased)).toBe(1);
    await dbs.shop({ name: 'shop-b' });
    expect(leased.closed).toBe(false);
    leased.release();
  });

  it('refuses a shop database that does not exist, for shop() and lease() alike', async () => {
    await expect(dbs.lease({ name: 'shop-missing' })).rejects.toThrow(/does not exist/);
    await expect(dbs.shop({ name: 'shop-missing' })).rejects.toThrow(/does not exist/);
  });
});

describe('file databases: one connection per shop', () => {
  /** Descriptors this process holds on `path` (Linux /proc): one per open connection. */
  const handlesOn = (path: string) => readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;

  it('serves reads started together and group-committed writes through a single connection', async () => {
    const db = await dbs.shop({ name: 'shop-a' });
    await db.execute('CREATE TABLE t (n INTEGER NOT NULL)');
    // Reads issued in one go (as parallel plugin loads are), writes queued meanwhile: the client's
    // pool would open a connection per query borrowed at the same time.
    const reads = Array.from({ length: 8 }, () => db.execute('SELECT count(*) AS n FROM t'));
    const writes = Array.from({ length: 8 }, (_, i) => db.batch([{ sql: 'INSERT INTO t (n) VALUES (?)', args: [i] }], 'write'));
    await Promise.all([...reads, ...writes, ...Array.from({ length: 8 }, () => db.execute('SELECT n FROM t'))]);
    expect(Number((await db.execute('SELECT count(*) AS n FROM t')).rows[0]!.n)).toBe(8);
    expect(handlesOn(join(dir, 'shops', 'shop-a.db'))).toBe(1);
  });
});
