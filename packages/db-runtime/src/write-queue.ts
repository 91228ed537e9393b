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

export interface WriteQueueOptions {
  /**
   * Group commit: write batches that arrive while another write holds the queue commit together,
   * in one transaction, each inside its own savepoint. One durable commit then carries many
   * orders, payments and event deliveries instead of one each. A batch that fails rolls back to
   * its savepoint and is refused alone, exactly as if it had run by itself; the others commit.
   * Every caller is answered only after the shared COMMIT (and all are refused if it fails).
   * For local files, where the commit (its fsync) is the cost; over HTTP each statement of a
   * group would be a round trip, so remote clients keep one batch per request.
   */
  groupCommit?: boolean;
  /** Most batches one group commit carries. */
  maxGroup?: number;
}

interface Waiting {
  stmts: InStatement[];
  resolve(results: ResultSet[]): void;
  reject(error: unknown): void;
}

/** Runs `members` in one write transaction, one savepoint each; see WriteQueueOptions.groupCommit. */
async function commitGroup(inner: Client, members: Waiting[]): Promise<void> {
  const tx = await inner.transaction('write');
  const done: { member: Waiting; results: ResultSet[] }[] = [];
  try {
    for (const [i, member] of members.entries()) {
      await tx.execute(`SAVEPOINT g${i}`);
      try {
        const results: ResultSet[] = [];
        for (const stmt of member.stmts) results.push(await tx.execute(stmt));
        await tx.execute(`RELEASE g${i}`);
        done.push({ member, results });
      } catch (error) {
        // Only this member's work is undone; a failure to undo it fails the whole group below.
        await tx.execute(`ROLLBACK TO g${i}`);
        await tx.execute(`RELEASE g${i}`);
        member.reject(error);
      }
    }
    await tx.commit();
  } catch (error) {
    tx.close();
    for (const d of done) d.member.reject(error);
    for (const m of members) if (!done.some((d) => d.member === m)) m.reject(error);
    return;
  }
  for (const d of done) d.member.resolve(d.results);
}

export function withWriteQueue(inner: Client, options: WriteQueueOptions = {}): QueuedClient {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  const maxGroup = options.maxGroup ?? 64;
  /** Batches waiting together for their turn; closed when the turn comes. */
  let forming: Waiting[] | null = null;

  function groupedBatch(stmts: InStatement[]): Promise<ResultSet[]> {
    return new Promise<ResultSet[]>((resolve, reject) => {
      const member: Waiting = { stmts, resolve, reject };
      if (forming && forming.length < maxGroup) {
        forming.push(member);
        return;
      }
      const group: Waiting[] = [member];
      forming = group;
      void queued(async () => {
        if (forming === group) forming = null;
        if (group.length === 1) {
          try {
            member.resolve(await inner.batch(stmts, 'write'));
          } catch (error) {
            member.reject(error);
          }
          return;
        }
        await commitGroup(inner, group);
      });
    });
  }

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
      if (mode === 'read') return tracked(() => inner.batch(stmts, mode));
      if (options.groupCommit && (mode === undefined || mode === 'write')) {
        return groupedBatch(stmts.map((st) => (Array.isArray(st) ? { sql: st[0], args: st[1] ?? [] } : st)));
      }
      return queued(() => inner.batch(stmts, mode));
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
