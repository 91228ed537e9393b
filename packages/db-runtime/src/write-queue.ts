import type { Client, InArgs, InStatement, ResultSet, Transaction, TransactionMode } from '@libsql/client';

/**
 * Serializes the write work of one shop database. The file client keeps a pool of connections;
 * two write transactions overlapping on different connections of one file fail with SQLITE_BUSY,
 * so every write (batch, interactive transaction, write statement) waits its turn here. Reads pass
 * straight through: in WAL mode they never block and are never blocked.
 */
export interface QueuedClient extends Client {
  /** Operations running or waiting, plus leases held; an LRU must not close a client that is busy. */
  readonly pending: number;
  /** A request holds the client from its first to its last query, not just while one runs. */
  retain(): void;
  release(): void;
}

/** Leading comments are skipped; only a plain SELECT or EXPLAIN counts as a read, all else queues. */
const LEADING_COMMENTS = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/;
const READ_SQL = /^(select|explain)\b/i;

function isWrite(stmt: InStatement | string): boolean {
  const sql = typeof stmt === 'string' ? stmt : stmt.sql;
  return !READ_SQL.test(sql.replace(LEADING_COMMENTS, ''));
}

export function withWriteQueue(inner: Client): QueuedClient {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;

  /** Runs fn after every earlier write; holds the queue until `release` is called. */
  function acquire(): Promise<() => void> {
    pending++;
    let release!: () => void;
    const turn = new Promise<void>((resolve) => { release = () => { pending--; resolve(); }; });
    const ready = tail.then(() => release);
    tail = turn;
    return ready;
  }

  async function queued<T>(fn: () => Promise<T>): Promise<T> {
    const release = await acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  async function tracked<T>(fn: () => Promise<T>): Promise<T> {
    pending++;
    try { return await fn(); } finally { pending--; }
  }

  async function transaction(mode: TransactionMode = 'write'): Promise<Transaction> {
    if (mode === 'read') return tracked(() => inner.transaction(mode));
    const release = await acquire();
    let tx: Transaction;
    try {
      tx = await inner.transaction(mode);
    } catch (e) {
      release();
      throw e;
    }
    let released = false;
    const settle = () => { if (!released) { released = true; release(); } };
    return {
      execute: (stmt: InStatement) => tx.execute(stmt),
      batch: (stmts: InStatement[]) => tx.batch(stmts),
      executeMultiple: (sql: string) => tx.executeMultiple(sql),
      async commit() { try { await tx.commit(); } finally { settle(); } },
      async rollback() { try { await tx.rollback(); } finally { settle(); } },
      close() { try { tx.close(); } finally { settle(); } },
      get closed() { return tx.closed; },
    };
  }

  const client: QueuedClient = {
    get pending() { return pending; },
    retain() { pending++; },
    release() { pending--; },
    get closed() { return inner.closed; },
    get protocol() { return inner.protocol; },
    execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
      const run = () => (typeof stmtOrSql === 'string' ? inner.execute(stmtOrSql, args) : inner.execute(stmtOrSql));
      return isWrite(stmtOrSql) ? queued(run) : tracked(run);
    },
    batch(stmts, mode) {
      return mode === 'read' ? tracked(() => inner.batch(stmts, mode)) : queued(() => inner.batch(stmts, mode));
    },
    migrate: (stmts) => queued(() => inner.migrate(stmts)),
    transaction,
    executeMultiple: (sql) => queued(() => inner.executeMultiple(sql)),
    sync: () => inner.sync(),
    close: () => inner.close(),
    reconnect: () => inner.reconnect(),
  } as QueuedClient;
  return client;
}
