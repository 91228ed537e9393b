/**
 * End-to-end tests: the real @libsql/client (the `http:` client production uses for Turso and
 * sqld) against the server on a random port, plus raw Hrana requests for the parts of the
 * protocol the client does not exercise (v3 endpoints, describe, cursors, baton errors).
 */
import { createClient, LibsqlBatchError, LibsqlError, type Client, type Config } from '@libsql/client';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRespBody } from './hrana-protocol';
import { namespaceUrl, startLibsqlHttpServer, type LibsqlHttpServer, type LibsqlHttpServerOptions } from './index';

const TOKEN = 'test-token';

let dataDir: string;
let server: LibsqlHttpServer;
const cleanups: (() => unknown)[] = [];
let nsCounter = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'libsql-http-server-'));
  server = await startLibsqlHttpServer({ dataDir, port: 0, authToken: TOKEN });
});

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh namespace per test keeps tests independent. */
async function newNamespace(srv = server, token: string | null = TOKEN): Promise<string> {
  const name = `ns-${++nsCounter}`;
  const res = await admin('POST', `/v1/namespaces/${name}/create`, srv, token);
  expect(res.status).toBe(200);
  return name;
}

function client(namespace: string, config: Partial<Config> = {}, srv = server): Client {
  const c = createClient({ url: namespaceUrl(srv.url, namespace), authToken: TOKEN, ...config });
  cleanups.push(() => c.close());
  return c;
}

async function startExtraServer(opts: Partial<LibsqlHttpServerOptions>): Promise<LibsqlHttpServer> {
  const dir = mkdtempSync(join(tmpdir(), 'libsql-http-server-'));
  const srv = await startLibsqlHttpServer({ dataDir: dir, ...opts });
  cleanups.push(async () => { await srv.close(); rmSync(dir, { recursive: true, force: true }); });
  return srv;
}

async function admin(method: string, path: string, srv = server, token: string | null = TOKEN) {
  const res = await fetch(`${srv.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() as unknown };
}

/** A raw Hrana JSON request, for protocol features @libsql/client does not use. */
async function hrana(path: string, body: unknown, token: string | null = TOKEN) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text, json: (): unknown => JSON.parse(text) };
}

async function pipeline(namespace: string, body: unknown, version: 'v2' | 'v3' = 'v3') {
  const res = await hrana(`/ns/${namespace}/${version}/pipeline`, body);
  return { ...res, body: res.status === 200 ? (res.json() as PipelineRespBody) : undefined };
}

const stmt = (sql: string, extra: Record<string, unknown> = {}) => ({ sql, ...extra });

async function rejection(promise: Promise<unknown>): Promise<LibsqlError> {
  const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(LibsqlError);
  return err as LibsqlError;
}

describe('statements', () => {
  it('binds positional and named parameters', async () => {
    const c = client(await newNamespace());
    await c.execute('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age INTEGER)');
    await c.execute({ sql: 'INSERT INTO people (name, age) VALUES (?, ?)', args: ['Ada', 36] });
    await c.execute({ sql: 'INSERT INTO people (name, age) VALUES (?2, ?1)', args: [41, 'Alan'] });
    await c.execute({ sql: 'INSERT INTO people (name, age) VALUES (:name, :age)', args: { name: 'Grace', age: 85 } });
    await c.execute({ sql: 'INSERT INTO people (name, age) VALUES (@name, $age)', args: { '@name': 'Edsger', $age: 72 } });

    const rows = await c.execute({ sql: 'SELECT name, age FROM people WHERE age > :min ORDER BY id', args: { min: 40 } });
    expect(rows.rows.map((r) => [r.name, r.age])).toEqual([['Alan', 41], ['Grace', 85], ['Edsger', 72]]);
    expect(rows.columns).toEqual(['name', 'age']);
    expect(rows.columnTypes).toEqual(['TEXT', 'INTEGER']);

    // A repeated name binds once; a named argument is found with or without its prefix.
    const same = await c.execute({ sql: 'SELECT :x + :x AS twice, $y AS y', args: { x: 2, $y: 'y' } });
    expect(same.rows[0]).toMatchObject({ twice: 4, y: 'y' });
  });

  it('rejects arguments that do not match the parameters, as sqld does', async () => {
    const c = client(await newNamespace());
    expect((await rejection(c.execute({ sql: 'SELECT ?, ?', args: [1] }))).code).toBe('ARGS_INVALID');
    expect((await rejection(c.execute({ sql: 'SELECT ?', args: [1, 2] }))).code).toBe('ARGS_INVALID');
    expect((await rejection(c.execute({ sql: 'SELECT :a', args: { b: 1 } }))).code).toBe('ARGS_INVALID');
    expect((await rejection(c.execute('SELECT ?'))).message).toMatch(/value for parameter 1 not found/);
  });

  it('round-trips every value type', async () => {
    const c = client(await newNamespace(), { intMode: 'bigint' });
    // No declared type: no affinity, so each value keeps its storage class.
    await c.execute('CREATE TABLE v (i INTEGER PRIMARY KEY, x)');
    const values = [
      null, 0n, 42n, -9223372036854775808n, 9223372036854775807n, 1.5, -0.25, 3, 1e300,
      '', 'héllo, 世界 🎉', "quote ' and \" and \\", new Uint8Array([0, 255, 1, 128]), new Uint8Array([]), true,
    ];
    for (const x of values) await c.execute({ sql: 'INSERT INTO v (x) VALUES (?)', args: [x] });

    const rs = await c.execute('SELECT x, typeof(x) AS t FROM v ORDER BY i');
    const got = rs.rows.map((r) => [r.x instanceof ArrayBuffer ? new Uint8Array(r.x) : r.x, r.t]);
    expect(got).toEqual([
      [null, 'null'], [0n, 'integer'], [42n, 'integer'], [-9223372036854775808n, 'integer'], [9223372036854775807n, 'integer'],
      // JS numbers travel as Hrana floats, so 3 is stored as REAL 3.0, exactly as with sqld.
      [1.5, 'real'], [-0.25, 'real'], [3, 'real'], [1e300, 'real'],
      ['', 'text'], ['héllo, 世界 🎉', 'text'], ["quote ' and \" and \\", 'text'],
      [new Uint8Array([0, 255, 1, 128]), 'blob'], [new Uint8Array([]), 'blob'],
      [1n, 'integer'],
    ]);

    // The default intMode gives numbers for integers that fit.
    const small = await client(await newNamespace()).execute('SELECT 7 AS seven, 7.0 AS real_seven');
    expect(small.rows[0]).toMatchObject({ seven: 7, real_seven: 7 });
  });

  it('reports affected rows and last insert rowid like sqld', async () => {
    const c = client(await newNamespace());
    const ddl = await c.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)');
    expect(ddl.rowsAffected).toBe(0);
    const insert = await c.execute('INSERT INTO t (n) VALUES (1), (2), (3)');
    expect(insert.rowsAffected).toBe(3);
    expect(insert.lastInsertRowid).toBe(3n);
    const update = await c.execute('UPDATE t SET n = n * 10 WHERE n > 1');
    expect(update.rowsAffected).toBe(2);
    expect(update.lastInsertRowid).toBeUndefined();
    const select = await c.execute('SELECT * FROM t');
    expect(select.rowsAffected).toBe(0);
    expect(select.rows).toHaveLength(3);
    const returning = await c.execute('DELETE FROM t WHERE n = 1 RETURNING id');
    expect(returning.rowsAffected).toBe(1);
    expect(returning.rows.map((r) => r.id)).toEqual([1]);
  });

  it('runs several statements with executeMultiple, including trigger bodies', async () => {
    const c = client(await newNamespace());
    await c.executeMultiple(`
      CREATE TABLE a (x);
      CREATE TABLE log (msg TEXT); -- a comment; with a semicolon
      CREATE TRIGGER a_log AFTER INSERT ON a BEGIN
        INSERT INTO log VALUES ('inserted ' || NEW.x);
        INSERT INTO log VALUES (CASE WHEN NEW.x > 1 THEN 'big' ELSE 'small' END);
      END;
      INSERT INTO a VALUES (2);
    `);
    expect((await c.execute('SELECT msg FROM log ORDER BY rowid')).rows.map((r) => r.msg)).toEqual(['inserted 2', 'big']);
    // A failing statement stops the sequence; earlier statements stay done.
    expect((await rejection(c.executeMultiple('INSERT INTO a VALUES (3); INSERT INTO nope VALUES (1); INSERT INTO a VALUES (4);'))).code)
      .toBe('SQL_INPUT_ERROR');
    expect((await c.execute('SELECT x FROM a ORDER BY x')).rows.map((r) => r.x)).toEqual([2, 3]);
  });
});

describe('errors', () => {
  it('surfaces SQL errors with codes', async () => {
    const c = client(await newNamespace());
    await c.execute('CREATE TABLE u (email TEXT UNIQUE NOT NULL, age INTEGER CHECK (age >= 0))');
    await c.execute("INSERT INTO u VALUES ('a@x', 1)");

    const unique = await rejection(c.execute("INSERT INTO u VALUES ('a@x', 2)"));
    expect(unique.code).toBe('SQLITE_CONSTRAINT');
    expect(unique.message).toBe('SQLITE_CONSTRAINT: SQLite error: UNIQUE constraint failed: u.email');
    expect((await rejection(c.execute('INSERT INTO u VALUES (NULL, 1)'))).code).toBe('SQLITE_CONSTRAINT');
    expect((await rejection(c.execute("INSERT INTO u VALUES ('b@x', -1)"))).code).toBe('SQLITE_CONSTRAINT');

    const missing = await rejection(c.execute('SELECT * FROM nope'));
    expect(missing.code).toBe('SQL_INPUT_ERROR');
    expect(missing.message).toMatch(/no such table: nope/);
    expect((await rejection(c.execute('SELEKT 1'))).code).toBe('SQL_INPUT_ERROR');
    // A generic runtime error: sqld (through rusqlite) reports SQLITE_ERROR as SQLITE_UNKNOWN.
    const overflow = await rejection(c.execute('SELECT abs(-9223372036854775808)'));
    expect(overflow.code).toBe('SQLITE_UNKNOWN');
    expect(overflow.message).toMatch(/integer overflow/);
    expect((await rejection(c.execute('SELECT 1; SELECT 2'))).code).toBe('SQL_MANY_STATEMENTS');
    expect((await rejection(c.execute('  -- nothing\n'))).code).toBe('SQL_NO_STATEMENT');
    // The connection is still fine afterwards.
    expect((await c.execute('SELECT count(*) AS n FROM u')).rows[0]?.n).toBe(1);
  });

  it('answers protocol errors with a Hrana error body', async () => {
    const ns = await newNamespace();
    const bad = await hrana(`/ns/${ns}/v2/pipeline`, { requests: [{ type: 'nonsense' }] });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toBe('application/json');
    expect(bad.json()).toEqual({ message: 'StreamRequest type not recognized', code: 'PROTOCOL_ERROR' });

    const notJson = await fetch(`${server.url}/ns/${ns}/v2/pipeline`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{' });
    expect(notJson.status).toBe(400);
  });
});

describe('batches', () => {
  it('commits a batch as one transaction', async () => {
    const c = client(await newNamespace());
    await c.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)');
    const results = await c.batch([
      { sql: 'INSERT INTO t (v) VALUES (?)', args: ['a'] },
      { sql: 'INSERT INTO t (v) VALUES (?)', args: ['b'] },
      'SELECT count(*) AS n FROM t',
    ], 'write');
    expect(results.map((r) => r.rowsAffected)).toEqual([1, 1, 0]);
    expect(results[2]?.rows[0]?.n).toBe(2);
  });

  it('rolls back the whole batch when a statement fails', async () => {
    const c = client(await newNamespace());
    await c.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)');
    await c.execute("INSERT INTO t (v) VALUES ('taken')");
    const err = await rejection(c.batch([
      "INSERT INTO t (v) VALUES ('new-1')",
      "INSERT INTO t (v) VALUES ('taken')",
      "INSERT INTO t (v) VALUES ('new-2')",
    ], 'write'));
    expect(err).toBeInstanceOf(LibsqlBatchError);
    expect(err.code).toBe('SQLITE_CONSTRAINT');
    expect((err as LibsqlBatchError).statementIndex).toBe(1);
    expect((await c.execute('SELECT v FROM t ORDER BY id')).rows.map((r) => r.v)).toEqual(['taken']);
    // Nothing was left open: the next write goes through at once.
    await c.execute("INSERT INTO t (v) VALUES ('after')");
  });

  it('evaluates step conditions (raw v3 batch)', async () => {
    const ns = await newNamespace();
    const steps = [
      { stmt: stmt('SELECT 1') },
      { stmt: stmt('SELECT * FROM nope') },
      { condition: { type: 'ok', step: 0 }, stmt: stmt("SELECT 'ran: ok 0'") },
      { condition: { type: 'ok', step: 1 }, stmt: stmt("SELECT 'skipped: ok 1'") },
      { condition: { type: 'error', step: 1 }, stmt: stmt("SELECT 'ran: error 1'") },
      { condition: { type: 'not', cond: { type: 'ok', step: 0 } }, stmt: stmt("SELECT 'skipped: not ok 0'") },
      { condition: { type: 'and', conds: [{ type: 'ok', step: 0 }, { type: 'error', step: 1 }] }, stmt: stmt("SELECT 'ran: and'") },
      { condition: { type: 'or', conds: [{ type: 'ok', step: 1 }, { type: 'ok', step: 3 }] }, stmt: stmt("SELECT 'skipped: or'") },
      // A skipped step is neither ok nor error.
      { condition: { type: 'error', step: 3 }, stmt: stmt("SELECT 'skipped: error of skipped'") },
      { condition: { type: 'is_autocommit' }, stmt: stmt("SELECT 'ran: autocommit'") },
      { stmt: stmt('BEGIN') },
      { condition: { type: 'is_autocommit' }, stmt: stmt("SELECT 'skipped: in transaction'") },
      { stmt: stmt('ROLLBACK') },
    ];
    const res = await pipeline(ns, { baton: null, requests: [{ type: 'batch', batch: { steps } }, { type: 'close' }] });
    expect(res.status).toBe(200);
    const first = res.body?.results[0];
    if (first?.type !== 'ok' || first.response.type !== 'batch') throw new Error(`unexpected ${JSON.stringify(first)}`);
    const { step_results: results, step_errors: errors } = first.response.result;
    const ran = results.map((r) => (r ? r.rows[0]?.[0] ?? 'no rows' : null));
    expect(ran).toEqual([
      { type: 'integer', value: '1' }, null, { type: 'text', value: 'ran: ok 0' }, null, { type: 'text', value: 'ran: error 1' }, null,
      { type: 'text', value: 'ran: and' }, null, null, { type: 'text', value: 'ran: autocommit' }, 'no rows', null, 'no rows',
    ]);
    expect(errors.map((e) => e?.code ?? null)).toEqual([null, 'SQL_INPUT_ERROR', null, null, null, null, null, null, null, null, null, null, null]);
    expect(res.body?.baton).toBeNull();

    const badRef = await pipeline(ns, { requests: [{ type: 'batch', batch: { steps: [{ condition: { type: 'ok', step: 0 }, stmt: stmt('SELECT 1') }] } }] });
    expect(badRef.status).toBe(400);
    // is_autocommit is Hrana 3; sqld refuses it on v2.
    const v2 = await pipeline(ns, { requests: [{ type: 'batch', batch: { steps: [{ condition: { type: 'is_autocommit' }, stmt: stmt('SELECT 1') }] } }] }, 'v2');
    expect(v2.status).toBe(400);
  });
});

describe('interactive transactions', () => {
  it('keeps a transaction open across requests and commits it', async () => {
    const ns = await newNamespace();
    const c = client(ns);
    const other = client(ns);
    await c.execute('CREATE TABLE t (v INTEGER)');

    const tx = await c.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');
    await tx.execute({ sql: 'INSERT INTO t VALUES (?)', args: [2] });
    expect((await tx.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(2);
    // Not visible outside the transaction until the commit.
    expect((await other.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(0);
    await tx.commit();
    expect(tx.closed).toBe(true);
    expect((await other.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(2);
  });

  it('rolls a transaction back', async () => {
    const ns = await newNamespace();
    const c = client(ns);
    await c.execute('CREATE TABLE t (v INTEGER)');
    const tx = await c.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');
    await tx.batch(['INSERT INTO t VALUES (2)', 'INSERT INTO t VALUES (3)']);
    expect((await tx.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(3);
    await tx.rollback();
    expect((await c.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(0);
  });

  it('makes a second writer wait for the open transaction instead of deadlocking', async () => {
    const ns = await newNamespace();
    const a = client(ns);
    const b = client(ns);
    await a.execute('CREATE TABLE t (v TEXT)');
    const tx = await a.transaction('write');
    await tx.execute("INSERT INTO t VALUES ('a')");

    let bDone = false;
    const bWrite = b.execute("INSERT INTO t VALUES ('b')").then((r) => { bDone = true; return r; });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bDone).toBe(false);
    // The server keeps serving the lock holder while b waits.
    await tx.execute("INSERT INTO t VALUES ('a2')");
    await tx.commit();
    await bWrite;
    expect((await b.execute('SELECT v FROM t ORDER BY rowid')).rows.map((r) => r.v)).toEqual(['a', 'a2', 'b']);
  });

  it('gives up on a lock after busyTimeoutMs and leaves the stream usable', async () => {
    const srv = await startExtraServer({ busyTimeoutMs: 100 });
    const ns = await newNamespace(srv, null);
    const a = client(ns, {}, srv);
    await a.execute('CREATE TABLE t (v TEXT)');
    const tx = await a.transaction('write');
    await tx.execute("INSERT INTO t VALUES ('a')");

    const post = async (body: unknown) => (await fetch(`${namespaceUrl(srv.url, ns)}v2/pipeline`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<PipelineRespBody>;
    const insertB = (v: string) => ({ type: 'execute', stmt: stmt('INSERT INTO t VALUES (?)', { args: [{ type: 'text', value: v }] }) });
    const first = await post({ baton: null, requests: [insertB('b1')] });
    expect(first.results[0]).toMatchObject({ type: 'error', error: { code: 'SQLITE_BUSY' } });
    await tx.commit();
    // The same stream (same connection) writes and commits once the lock is free.
    const second = await post({ baton: first.baton, requests: [insertB('b2'), { type: 'close' }] });
    expect(second.results[0]).toMatchObject({ type: 'ok' });
    expect((await a.execute('SELECT v FROM t ORDER BY rowid')).rows.map((r) => r.v)).toEqual(['a', 'b2']);
  });

  it('commits after EXPLAIN and describe of writes inside the transaction', async () => {
    const ns = await newNamespace();
    await client(ns).execute('CREATE TABLE t (v INTEGER)');
    const res = await pipeline(ns, {
      baton: null,
      requests: [
        { type: 'execute', stmt: stmt('BEGIN') },
        { type: 'execute', stmt: stmt('INSERT INTO t VALUES (1)') },
        { type: 'execute', stmt: stmt('EXPLAIN INSERT INTO t VALUES (2)') },
        { type: 'describe', sql: 'INSERT INTO t VALUES (3)' },
        { type: 'execute', stmt: stmt('COMMIT') },
        { type: 'close' },
      ],
    });
    expect(res.body?.results.map((r) => r.type)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect((await client(ns).execute('SELECT v FROM t')).rows.map((r) => r.v)).toEqual([1]);
  });

  it('refuses writes in a read transaction, as sqld does', async () => {
    const c = client(await newNamespace());
    await c.execute('CREATE TABLE t (v INTEGER)');
    const tx = await c.transaction('read');
    expect((await tx.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(0);
    expect((await rejection(tx.execute('INSERT INTO t VALUES (1)'))).code).toBe('SQLITE_READONLY');
    await tx.rollback();
    // The stream's next user (a new stream) can write again.
    await c.execute('INSERT INTO t VALUES (1)');
  });

  it('expires an idle stream and rolls its transaction back', async () => {
    const srv = await startExtraServer({ streamIdleTimeoutMs: 150 });
    const ns = await newNamespace(srv, null);
    const c = client(ns, {}, srv);
    await c.execute('CREATE TABLE t (v INTEGER)');
    const tx = await c.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await rejection(tx.execute('INSERT INTO t VALUES (2)'))).code).toBe('STREAM_EXPIRED');
    // Rolled back, and the write lock is free again.
    const other = client(ns, {}, srv);
    await other.execute('INSERT INTO t VALUES (3)');
    expect((await other.execute('SELECT v FROM t')).rows.map((r) => r.v)).toEqual([3]);
  });

  it('refuses unknown and reused batons', async () => {
    const ns = await newNamespace();
    const unknown = await pipeline(ns, { baton: 'nope.nope', requests: [] });
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'BATON_INVALID' });

    const opened = await pipeline(ns, { baton: null, requests: [{ type: 'execute', stmt: stmt('BEGIN') }] });
    const baton = opened.body?.baton;
    expect(typeof baton).toBe('string');
    const next = await pipeline(ns, { baton, requests: [{ type: 'get_autocommit' }] });
    expect(next.body?.results).toEqual([{ type: 'ok', response: { type: 'get_autocommit', is_autocommit: false } }]);
    expect(next.body?.baton).not.toBe(baton);
    const reused = await pipeline(ns, { baton, requests: [] });
    expect(reused.status).toBe(400);
    expect(reused.json()).toMatchObject({ code: 'BATON_REUSED' });
    // A baton is bound to its namespace.
    const elsewhere = await pipeline(await newNamespace(), { baton: next.body?.baton, requests: [] });
    expect(elsewhere.json()).toMatchObject({ code: 'BATON_INVALID' });
  });
});

describe('namespaces', () => {
  it('keeps namespaces apart', async () => {
    const one = client(await newNamespace());
    const two = client(await newNamespace());
    for (const c of [one, two]) await c.execute('CREATE TABLE t (v TEXT)');
    await one.execute("INSERT INTO t VALUES ('one')");
    await two.execute("INSERT INTO t VALUES ('two')");
    expect((await one.execute('SELECT v FROM t')).rows.map((r) => r.v)).toEqual(['one']);
    expect((await two.execute('SELECT v FROM t')).rows.map((r) => r.v)).toEqual(['two']);
  });

  it('reports an unknown namespace without creating it', async () => {
    const err = await rejection(client('no-such-shop').execute('SELECT 1'));
    expect(err.code).toBe('NAMESPACE_NOT_FOUND');
    expect(err.message).toMatch(/no-such-shop/);
    expect(existsSync(join(dataDir, 'no-such-shop.db'))).toBe(false);
  });

  it('creates and deletes namespaces through the admin API', async () => {
    const ns = await newNamespace();
    expect(existsSync(join(dataDir, `${ns}.db`))).toBe(true);
    expect(await admin('POST', `/v1/namespaces/${ns}/create`)).toEqual({
      status: 409, body: { message: `Namespace \`${ns}\` already exists`, code: 'NAMESPACE_ALREADY_EXISTS' },
    });
    for (const bad of ['Upper', 'dot.dot', 'x'.repeat(65), 'a%20b']) {
      expect((await admin('POST', `/v1/namespaces/${bad}/create`)).status).toBe(400);
    }
    expect((await admin('POST', `/v1/namespaces/${ns}/create`, server, null)).status).toBe(401);

    // Deleting closes open streams (rolling back their transactions) and removes the files.
    const c = client(ns);
    await c.execute('CREATE TABLE t (v)');
    const tx = await c.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');
    expect((await admin('DELETE', `/v1/namespaces/${ns}`)).status).toBe(200);
    expect(existsSync(join(dataDir, `${ns}.db`))).toBe(false);
    expect(existsSync(join(dataDir, `${ns}.db-wal`))).toBe(false);
    expect((await rejection(tx.execute('SELECT 1'))).code).toBe('BATON_INVALID');
    expect((await rejection(c.execute('SELECT 1'))).code).toBe('NAMESPACE_NOT_FOUND');
    expect((await admin('DELETE', `/v1/namespaces/${ns}`)).status).toBe(404);
  });

  it('explains a namespace URL without its trailing slash', async () => {
    const ns = await newNamespace();
    const c = createClient({ url: `${server.url}/ns/${ns}`, authToken: TOKEN });
    cleanups.push(() => c.close());
    expect((await rejection(c.execute('SELECT 1'))).message).toMatch(/must end with a slash/);
  });

  it("serves sqld's default namespace at the root URL", async () => {
    const root = createClient({ url: server.url, authToken: TOKEN });
    cleanups.push(() => root.close());
    expect((await rejection(root.execute('SELECT 1'))).code).toBe('NAMESPACE_NOT_FOUND');
    expect((await admin('POST', '/v1/namespaces/default/create')).status).toBe(200);
    cleanups.push(() => admin('DELETE', '/v1/namespaces/default'));
    expect((await root.execute('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });
});

describe('auth', () => {
  it('requires the bearer token when one is configured', async () => {
    const ns = await newNamespace();
    expect((await rejection(client(ns, { authToken: undefined }).execute('SELECT 1'))).code).toBe('UNAUTHORIZED');
    expect((await rejection(client(ns, { authToken: 'wrong' }).execute('SELECT 1'))).code).toBe('UNAUTHORIZED');
    expect((await client(ns).execute('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    // Version probes carry no token (@libsql/client sends none) and must still answer.
    expect((await fetch(`${namespaceUrl(server.url, ns)}v3`)).status).toBe(200);
  });
});

describe('concurrency and file sharing', () => {
  it('keeps data consistent under concurrent writes from several clients', async () => {
    const ns = await newNamespace();
    const setup = client(ns);
    await setup.executeMultiple('CREATE TABLE events (client INTEGER, seq INTEGER, UNIQUE (client, seq)); CREATE TABLE counter (n INTEGER); INSERT INTO counter VALUES (0);');
    const CLIENTS = 6;
    const ROUNDS = 8;
    await Promise.all(Array.from({ length: CLIENTS }, async (_, id) => {
      const c = client(ns);
      await Promise.all(Array.from({ length: ROUNDS }, async (_, seq) => {
        await c.execute({ sql: 'INSERT INTO events VALUES (?, ?)', args: [id, seq * 3] });
        await c.batch([{ sql: 'INSERT INTO events VALUES (?, ?)', args: [id, seq * 3 + 1] }], 'write');
        // Read-modify-write: only correct if write transactions are serialized.
        const tx = await c.transaction('write');
        try {
          const n = Number((await tx.execute('SELECT n FROM counter')).rows[0]?.n);
          await tx.execute({ sql: 'UPDATE counter SET n = ?', args: [n + 1] });
          await tx.execute({ sql: 'INSERT INTO events VALUES (?, ?)', args: [id, seq * 3 + 2] });
          await tx.commit();
        } finally {
          tx.close();
        }
      }));
    }));
    const check = client(ns);
    expect((await check.execute('SELECT count(*) AS n FROM events')).rows[0]?.n).toBe(CLIENTS * ROUNDS * 3);
    expect((await check.execute('SELECT n FROM counter')).rows[0]?.n).toBe(CLIENTS * ROUNDS);
    expect((await check.execute('PRAGMA integrity_check')).rows[0]?.integrity_check).toBe('ok');
  }, 30_000);

  it('shares the database file with a file: client', async () => {
    const ns = await newNamespace();
    const http = client(ns);
    await http.execute('CREATE TABLE t (v TEXT)');
    await http.execute("INSERT INTO t VALUES ('over http')");

    const file = createClient({ url: `file:${join(dataDir, `${ns}.db`)}` });
    cleanups.push(() => file.close());
    expect((await file.execute('SELECT v FROM t')).rows.map((r) => r.v)).toEqual(['over http']);
    expect((await file.execute('PRAGMA journal_mode')).rows[0]?.journal_mode).toBe('wal');
    await file.execute("INSERT INTO t VALUES ('from file')");
    expect((await http.execute('SELECT v FROM t ORDER BY rowid')).rows.map((r) => r.v)).toEqual(['over http', 'from file']);

    // While the file: client holds the write lock, an HTTP write waits (polling) instead of failing.
    const tx = await file.transaction('write');
    await tx.execute("INSERT INTO t VALUES ('file tx')");
    const httpWrite = http.execute("INSERT INTO t VALUES ('http after')");
    await new Promise((resolve) => setTimeout(resolve, 100));
    await tx.commit();
    await httpWrite;
    expect((await file.execute('SELECT v FROM t ORDER BY rowid')).rows.map((r) => r.v))
      .toEqual(['over http', 'from file', 'file tx', 'http after']);
  });
});

describe('raw Hrana requests', () => {
  it('describes statements and reports autocommit', async () => {
    const ns = await newNamespace();
    await client(ns).execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    const res = await pipeline(ns, {
      baton: null,
      requests: [
        { type: 'describe', sql: 'SELECT id, name AS n FROM t WHERE id = ? OR name = :name OR ?5' },
        { type: 'describe', sql: 'INSERT INTO t (name) VALUES (?)' },
        { type: 'describe', sql: 'EXPLAIN SELECT 1' },
        { type: 'describe', sql: 'BEGIN IMMEDIATE' },
        { type: 'get_autocommit' },
        { type: 'store_sql', sql_id: 7, sql: 'INSERT INTO t (name) VALUES (?)' },
        { type: 'sequence', sql: 'BEGIN; INSERT INTO t (name) VALUES (1)' },
        { type: 'get_autocommit' },
        { type: 'execute', stmt: { sql_id: 7, args: [{ type: 'text', value: 'stored' }] } },
        { type: 'close_sql', sql_id: 7 },
        { type: 'execute', stmt: { sql: 'COMMIT', want_rows: false } },
        { type: 'execute', stmt: { sql: 'SELECT name FROM t ORDER BY id', want_rows: false } },
        { type: 'execute', stmt: { sql: 'SELECT name FROM t ORDER BY id' } },
        { type: 'close' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body?.results).toEqual([
      { type: 'ok', response: { type: 'describe', result: {
        params: [{ name: null }, { name: ':name' }, { name: null }, { name: null }, { name: '?5' }],
        cols: [{ name: 'id', decltype: 'INTEGER' }, { name: 'n', decltype: 'TEXT' }],
        is_explain: false, is_readonly: true,
      } } },
      { type: 'ok', response: { type: 'describe', result: { params: [{ name: null }], cols: [], is_explain: false, is_readonly: false } } },
      { type: 'ok', response: { type: 'describe', result: expect.objectContaining({ is_explain: true, is_readonly: true }) } },
      { type: 'ok', response: { type: 'describe', result: expect.objectContaining({ is_readonly: true }) } },
      { type: 'ok', response: { type: 'get_autocommit', is_autocommit: true } },
      { type: 'ok', response: { type: 'store_sql' } },
      { type: 'ok', response: { type: 'sequence' } },
      { type: 'ok', response: { type: 'get_autocommit', is_autocommit: false } },
      { type: 'ok', response: { type: 'execute', result: { cols: [], rows: [], affected_row_count: 1, last_insert_rowid: '2' } } },
      { type: 'ok', response: { type: 'close_sql' } },
      { type: 'ok', response: { type: 'execute', result: { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null } } },
      { type: 'ok', response: { type: 'execute', result: { cols: [{ name: 'name', decltype: 'TEXT' }], rows: [], affected_row_count: 0, last_insert_rowid: null } } },
      { type: 'ok', response: { type: 'execute', result: {
        cols: [{ name: 'name', decltype: 'TEXT' }],
        rows: [[{ type: 'text', value: '1' }], [{ type: 'text', value: 'stored' }]],
        affected_row_count: 0, last_insert_rowid: null,
      } } },
      { type: 'ok', response: { type: 'close' } },
    ]);
    expect(res.body?.baton).toBeNull();
  });

  it('streams a batch through the v3 cursor endpoint', async () => {
    const ns = await newNamespace();
    const res = await hrana(`/ns/${ns}/v3/cursor`, {
      baton: null,
      batch: { steps: [{ stmt: stmt('SELECT 1 AS a UNION ALL SELECT 2') }, { stmt: stmt('SELECT * FROM nope') }] },
    });
    expect(res.status).toBe(200);
    const lines = res.text.trim().split('\n').map((l): unknown => JSON.parse(l));
    expect(lines[0]).toMatchObject({ baton: expect.any(String) });
    expect(lines.slice(1)).toEqual([
      { type: 'step_begin', step: 0, cols: [{ name: 'a', decltype: null }] },
      { type: 'row', row: [{ type: 'integer', value: '1' }] },
      { type: 'row', row: [{ type: 'integer', value: '2' }] },
      { type: 'step_end', affected_row_count: 0, last_insert_rowid: null },
      { type: 'step_error', step: 1, error: expect.objectContaining({ code: 'SQL_INPUT_ERROR' }) },
    ]);
  });

  it('answers version probes the way @libsql/client expects', async () => {
    const ns = await newNamespace();
    const base = namespaceUrl(server.url, ns);
    expect((await fetch(`${base}v2`)).status).toBe(200);
    expect((await fetch(`${base}v3`)).status).toBe(200);
    // Protobuf is not spoken; a 404 here makes a probing client fall back to JSON.
    expect((await fetch(`${base}v3-protobuf`)).status).toBe(404);
    // get_autocommit is Hrana 3 only.
    expect((await pipeline(ns, { requests: [{ type: 'get_autocommit' }] }, 'v2')).status).toBe(400);
  });
});
