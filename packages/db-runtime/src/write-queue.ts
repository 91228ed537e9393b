import { LibsqlBatchError, type Client, type InArgs, type InStatement, type ResultSet, type Transaction, type TransactionMode } from '@libsql/client';

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

/** Kept by SQL text: the same few statements come back on every request. */
const writeBySql = new Map<string, boolean>();

function isWrite(stmt: InStatement | string): boolean {
  const sql = typeof stmt === 'string' ? stmt : stmt.sql;
  let write = writeBySql.get(sql);
  if (write === undefined) {
    write = !READ_SQL.test(sql.replace(LEADING_COMMENTS, ''));
    if (writeBySql.size >= 2000) writeBySql.clear();
    writeBySql.set(sql, write);
  }
  return write;
}

export interface WriteQueueOptions {
  /**
   * Group commit: write batches that arrive while another write holds the queue commit together,
   * as one batch. One durable commit then carries many orders, payments and event deliveries
   * instead of one each. A batch that fails is refused alone, with the error it would have had
   * by itself, and leaves nothing behind; the others commit. Every caller is answered only after
   * the commit that carries its batch.
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

const nextTurn = () => new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Runs one member alone, as its own batch. */
async function runAlone(inner: Client, member: Waiting): Promise<void> {
  try {
    member.resolve(await inner.batch(member.stmts, 'write'));
  } catch (error) {
    member.reject(error);
  }
}

/** The error a member would have had running alone: its statement index counted within its own batch. */
function ownError(error: LibsqlBatchError, offset: number): LibsqlBatchError {
  const own = new LibsqlBatchError(error.message, error.statementIndex - offset, error.code, error.extendedCode, error.rawCode, error.cause instanceof Error ? error.cause : undefined);
  own.stack = error.stack;
  return own;
}

/**
 * Runs `members` as one batch: one transaction, one commit; see WriteQueueOptions.groupCommit.
 * When a statement fails, the batch rolls back whole and the member it belongs to is refused
 * alone with that error; the members before it ran exactly as they will again (same state, same
 * order), so they commit together, and the members after it form the next group.
 *
 * One batch rather than an interactive transaction with savepoints: a batch runs synchronously
 * on one connection, while a transaction holds its connection across awaits, and every read in
 * between then opens a second connection of the client's pool. Two connections of one file take
 * turns, and each turn starts with a page cache the other's commits made stale.
 */
async function commitGroup(inner: Client, members: readonly Waiting[]): Promise<void> {
  let rest = members;
  while (rest.length > 1) {
    try {
      const results = await inner.batch(rest.flatMap((m) => m.stmts), 'write');
      let at = 0;
      for (const m of rest) {
        m.resolve(results.slice(at, at + m.stmts.length));
        at += m.stmts.length;
      }
      return;
    } catch (error) {
      // Not a statement's failure (the BEGIN or the COMMIT): each member runs alone, as it would have.
      if (!(error instanceof LibsqlBatchError)) break;
      let offset = 0;
      const failed = rest.findIndex((m) => {
        if (error.statementIndex < offset + m.stmts.length) return true;
        offset += m.stmts.length;
        return false;
      });
      if (failed < 0) break;
      await commitGroup(inner, rest.slice(0, failed));
      rest[failed]!.reject(ownError(error, offset));
      rest = rest.slice(failed + 1);
    }
  }
  for (const m of rest) await runAlone(inner, m);
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
        // Its turn has come: one more turn of the event loop lets the requests in flight add their
        // batches (the batch itself then runs in one go, too quickly for any to arrive during it).
        await nextTurn();
        if (forming === group) forming = null;
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
