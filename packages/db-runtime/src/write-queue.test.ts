import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, LibsqlBatchError, LibsqlError, type Client, type InStatement, type ResultSet } from '@libsql/client';
import { withWriteQueue, type QueuedClient } from './write-queue';

let dir: string;
let raw: Client;
let db: QueuedClient;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tuike-wq-'));
  raw = createClient({ url: `file:${join(dir, 'shop.db')}` });
  await raw.execute('PRAGMA journal_mode=WAL');
  await raw.execute('CREATE TABLE t (n INTEGER NOT NULL, CHECK (n >= 0))');
  db = withWriteQueue(raw);
});
afterEach(() => {
  raw.close();
  rmSync(dir, { recursive: true, force: true });
});

const rowCount = async () => Number((await raw.execute('SELECT count(*) AS n FROM t')).rows[0]!.n);
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the failure mode the queue exists for', () => {
  it('overlapping write transactions on one unqueued file client fail with SQLITE_BUSY', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, async (_, i) => {
      const tx = await raw.transaction('write');
      await tx.execute({ sql: 'INSERT INTO t VALUES (?)', args: [i] });
      await tick();
      await tx.commit();
    }));
    const busy = results.filter((r) => r.status === 'rejected' && (r.reason as LibsqlError).code === 'SQLITE_BUSY');
    expect(busy.length).toBeGreaterThan(0);
  });
});

describe('withWriteQueue', () => {
  it('runs 50 concurrent write batches, transactions and statements on one file client without SQLITE_BUSY', async () => {
    const jobs = Array.from({ length: 50 }, async (_, i) => {
      if (i % 3 === 0) {
        await db.batch([{ sql: 'INSERT INTO t VALUES (?)', args: [i] }, { sql: 'INSERT INTO t VALUES (?)', args: [i] }], 'write');
      } else if (i % 3 === 1) {
        const tx = await db.transaction('write');
        await tx.execute({ sql: 'INSERT INTO t VALUES (?)', args: [i] });
        await tick();
        await tx.execute({ sql: 'INSERT INTO t VALUES (?)', args: [i] });
        await tx.commit();
      } else {
        await db.execute({ sql: 'INSERT INTO t VALUES (?)', args: [i] });
        await db.execute({ sql: 'insert into t values (?)', args: [i] });
      }
    });
    const results = await Promise.allSettled(jobs);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    expect(await rowCount()).toBe(100);
    expect(db.pending).toBe(0);
  });

  it('holds a write batch until the open write transaction commits', async () => {
    const tx = await db.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');
    let done = false;
    const batch = db.batch(['INSERT INTO t VALUES (2)'], 'write').then(() => { done = true; });
    await tick();
    expect(done).toBe(false);
    expect(db.pending).toBe(2);
    await tx.commit();
    await batch;
    expect(done).toBe(true);
    expect(await rowCount()).toBe(2);
    expect(db.pending).toBe(0);
  });

  it('lets reads through while a write transaction holds the queue', async () => {
    await db.execute('INSERT INTO t VALUES (7)');
    const tx = await db.transaction('write');
    await tx.execute('INSERT INTO t VALUES (8)');
    const read = await Promise.race([db.execute('SELECT count(*) AS n FROM t'), new Promise((r) => setTimeout(() => r('blocked'), 500))]);
    expect(read).not.toBe('blocked');
    expect(Number((read as { rows: { n: number }[] }).rows[0]!.n)).toBe(1);
    const readBatch = await db.batch(['SELECT 1'], 'read');
    expect(readBatch).toHaveLength(1);
    await tx.commit();
  });

  it('releases the queue when a batch fails, so later writes still run', async () => {
    await expect(db.batch(['INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (-1)'], 'write')).rejects.toThrow(/CHECK constraint/);
    expect(await rowCount()).toBe(0);
    await db.execute('INSERT INTO t VALUES (3)');
    expect(await rowCount()).toBe(1);
    expect(db.pending).toBe(0);
  });

  it('releases the queue on rollback and on close of a transaction', async () => {
    const tx = await db.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');
    await tx.rollback();
    const tx2 = await db.transaction('write');
    await tx2.execute('INSERT INTO t VALUES (2)');
    tx2.close();
    await Promise.race([db.execute('INSERT INTO t VALUES (3)'), new Promise((_, reject) => setTimeout(() => reject(new Error('queue stuck')), 1000))]);
    expect(await rowCount()).toBe(1);
    expect(db.pending).toBe(0);
  });

  it('releases the queue when a statement inside a transaction fails and the caller rolls back', async () => {
    const tx = await db.transaction('write');
    await expect(tx.execute('INSERT INTO t VALUES (-5)')).rejects.toThrow();
    await tx.rollback();
    await db.execute('INSERT INTO t VALUES (4)');
    expect(await rowCount()).toBe(1);
  });

  it('serializes executeMultiple and migrate with other writes', async () => {
    const results = await Promise.allSettled([
      db.executeMultiple('INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);'),
      (async () => { const tx = await db.transaction('write'); await tx.execute('INSERT INTO t VALUES (3)'); await tick(); await tx.commit(); })(),
      db.migrate(['INSERT INTO t VALUES (4)']),
      db.batch(['INSERT INTO t VALUES (5)'], 'write'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(await rowCount()).toBe(5);
  });

  it('counts waiting and running work in pending, so an LRU does not close a busy client', async () => {
    expect(db.pending).toBe(0);
    const tx = await db.transaction('write');
    expect(db.pending).toBe(1);
    const waiting = db.execute('DELETE FROM t');
    expect(db.pending).toBe(2);
    await tx.commit();
    await waiting;
    expect(db.pending).toBe(0);
  });

  it.each([
    ['a CTE (WITH … INSERT)', 'WITH x AS (SELECT 5 AS n) INSERT INTO t SELECT n FROM x', 2],
    ['a lowercase CTE', 'with x(n) as (values (5)) insert into t select n from x', 2],
    ['a -- comment', '-- add one\nINSERT INTO t VALUES (5)', 2],
    ['a /* */ comment', '/* add one */ INSERT INTO t VALUES (5)', 2],
    ['several comments and blank lines', '\n  /* a\n b */ -- c\n\n  -- d\n  insert into t values (5)', 2],
    ['a comment and a CTE', '-- cte\nWITH x AS (SELECT 5 AS n) INSERT INTO t SELECT n FROM x', 2],
    ['PRAGMA', 'PRAGMA user_version = 7', 1],
  ])('queues a write that starts with %s behind an open write transaction', async (_, sql, rowsAfter) => {
    const tx = await db.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');
    let settled = 'no';
    const write = db.execute(sql).then(
      () => { settled = 'fulfilled'; },
      (e) => { settled = `rejected: ${String(e)}`; },
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe('no');
    expect(db.pending).toBe(2);
    await tx.commit();
    await write;
    expect(settled).toBe('fulfilled');
    expect(await rowCount()).toBe(rowsAfter);
    expect(db.pending).toBe(0);
  });

  it('applies the PRAGMA it queued', async () => {
    await db.execute('/* set */ PRAGMA user_version = 7');
    expect(Number((await raw.execute('PRAGMA user_version')).rows[0]!.user_version)).toBe(7);
  });

  it.each([
    ['a plain SELECT', 'SELECT count(*) AS n FROM t'],
    ['a SELECT after a -- comment', '-- count\nSELECT count(*) AS n FROM t'],
    ['a SELECT after a /* */ comment', '/* count */ select count(*) AS n FROM t'],
    ['EXPLAIN', 'EXPLAIN SELECT count(*) FROM t'],
  ])('lets %s through while a write transaction holds the queue', async (_, sql) => {
    const tx = await db.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');
    const read = await Promise.race([db.execute(sql).then(() => 'done'), new Promise((r) => setTimeout(() => r('blocked'), 500))]);
    expect(read).toBe('done');
    await tx.commit();
    expect(db.pending).toBe(0);
  });
});

describe('group commit', () => {
  let grouped: QueuedClient;
  let batchCalls: number;
  let transactions: number;
  beforeEach(() => {
    batchCalls = 0;
    transactions = 0;
    const counting = new Proxy(raw, {
      get(target, key) {
        if (key === 'batch') return (stmts: InStatement[], mode: 'write') => { batchCalls++; return target.batch(stmts, mode); };
        if (key === 'transaction') return (mode: 'write') => { transactions++; return target.transaction(mode); };
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    grouped = withWriteQueue(counting, { groupCommit: true });
  });

  it('commits the batches that waited together in one batch, each answered with its own results', async () => {
    const batches = Array.from({ length: 20 }, (_, i) => grouped.batch([{ sql: 'INSERT INTO t VALUES (?)', args: [i] }, { sql: 'SELECT count(*) AS n FROM t WHERE n = ?', args: [i] }], 'write'));
    const results = await Promise.all(batches);
    expect(await rowCount()).toBe(20);
    expect(results.map((r) => Number(r[1]!.rows[0]!.n))).toEqual(Array(20).fill(1));
    expect(results.every((r) => r[0]!.rowsAffected === 1)).toBe(true);
    // All 20 arrived before the queue's first turn: one batch, one commit, and no interactive
    // transaction holding a connection across awaits (reads would open a second one).
    expect(batchCalls).toBe(1);
    expect(transactions).toBe(0);
    expect(grouped.pending).toBe(0);
  });

  it('refuses a failing batch alone, leaving nothing of it, while the rest of its group commits', async () => {
    const ok = (n: number) => grouped.batch([{ sql: 'INSERT INTO t VALUES (?)', args: [n] }, { sql: 'INSERT INTO t VALUES (?)', args: [n] }], 'write');
    const failing = grouped.batch([{ sql: 'INSERT INTO t VALUES (?)', args: [100] }, { sql: 'INSERT INTO t VALUES (?)', args: [-1] }], 'write');
    const results = await Promise.allSettled([ok(1), ok(2), failing, ok(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const reason = (results[2] as PromiseRejectedResult).reason;
    expect(String(reason)).toMatch(/CHECK constraint failed/);
    // The index it would have had alone: its own second statement.
    expect(reason).toBeInstanceOf(LibsqlBatchError);
    expect((reason as LibsqlBatchError).statementIndex).toBe(1);
    expect((await raw.execute('SELECT n FROM t ORDER BY n')).rows.map((r) => Number(r.n))).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('refuses every failing batch of a group alone, each with its own error, and commits all the others', async () => {
    const ok = (n: number) => grouped.batch([{ sql: 'INSERT INTO t VALUES (?)', args: [n] }], 'write');
    const bad = (n: number) => grouped.batch([{ sql: 'INSERT INTO t VALUES (?)', args: [n] }, { sql: 'INSERT INTO t VALUES (?)', args: [-n] }], 'write');
    const results = await Promise.allSettled([ok(1), bad(2), ok(3), bad(4), bad(5), ok(6), ok(7), bad(8)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) expect((r.reason as LibsqlBatchError).statementIndex).toBe(1);
    expect((await raw.execute('SELECT n FROM t ORDER BY n')).rows.map((r) => Number(r.n))).toEqual([1, 3, 6, 7]);
    expect(results.filter((r) => r.status === 'fulfilled').every((r) => (r as PromiseFulfilledResult<ResultSet[]>).value[0]!.rowsAffected === 1)).toBe(true);
  });

  it('keeps each batch\'s changes() and guards its own, as when it runs alone', async () => {
    await raw.execute('CREATE TABLE guard (holds INTEGER NOT NULL, CONSTRAINT guard_holds CHECK (holds = 1))');
    await raw.execute('INSERT INTO t VALUES (5)');
    const take = () => grouped.batch([
      { sql: 'UPDATE t SET n = n - 5 WHERE n = 5', args: [] },
      { sql: 'INSERT INTO guard (holds) SELECT changes() = 1', args: [] },
      { sql: 'DELETE FROM guard', args: [] },
    ], 'write');
    const results = await Promise.allSettled([take(), take(), take()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => /guard_holds/.test(String((r as PromiseRejectedResult).reason)))).toBe(true);
    expect((await raw.execute('SELECT n FROM t')).rows.map((r) => Number(r.n))).toEqual([0]);
  });
});
