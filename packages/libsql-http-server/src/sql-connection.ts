import Database from 'libsql';
import { pathToFileURL } from 'node:url';
import { StatementError, toStatementError } from './errors';
import type { LockWaiters } from './lock-waiters';
import type { Col, DescribeResult, HranaValue, StmtResult } from './hrana-protocol';
import { isEmptyStatement, isReadonlyBegin, parameterNames, statementKind, tokenize, type Token } from './sql-text';
import { encodeValue, type SqlValue } from './value-codec';

/** What a statement is run with; the SQL text itself is resolved by the caller. */
export interface StatementArgs {
  args: SqlValue[];
  namedArgs: { name: string; value: SqlValue }[];
  wantRows: boolean;
}

const NO_ARGS: StatementArgs = { args: [], namedArgs: [], wantRows: false };

/**
 * The busy timeout is applied here, asynchronously (`retryWhileBusy`), rather than by SQLite:
 * SQLite's busy handler sleeps on the thread, which would stall every other stream of this
 * server, including the one holding the lock, so a waiting writer would wait for a commit that
 * cannot arrive. SQLite's own timeout is therefore 0 on these connections.
 */
const SQLITE_BUSY_TIMEOUT_MS = 0;
// Longest pause between retries when no stream of this server signals a release (the holder
// may be another process, such as the embedded Node server).
const MAX_RETRY_POLL_MS = 25;
const SQLITE_BUSY = 5;
// A deferred transaction whose snapshot is stale can never get the write lock: retrying is useless.
const SQLITE_BUSY_SNAPSHOT = 517;

const isRetryableBusy = (err: unknown): boolean =>
  err instanceof StatementError && err.sqliteCode !== undefined &&
  (err.sqliteCode & 0xff) === SQLITE_BUSY && err.sqliteCode !== SQLITE_BUSY_SNAPSHOT;

/**
 * One SQLite connection: the state behind one Hrana stream.
 *
 * Two traits of the `libsql` binding shape this class. `close()` only takes effect once every
 * Statement object of the connection has been garbage-collected, so an open transaction is rolled
 * back explicitly before closing. And a statement that failed with SQLITE_BUSY stays active inside
 * SQLite until it is run again (an active write statement keeps autocommit from committing), so a
 * busy statement is retried on the same Statement object, and if it never gets through, the
 * connection is replaced as soon as no transaction depends on it.
 */
export class SqlConnection {
  private db: Database.Database;
  private changesStmt: Database.Statement | undefined;
  private inReadonlyTransaction = false;
  private hasStalledStatement = false;

  /**
   * Opens an existing database file (mode=rw: a query must never create a database; namespaces
   * are created explicitly). Throws if the file does not exist.
   */
  constructor(
    private readonly file: string,
    private readonly busyTimeoutMs: number,
    private readonly lockWaiters: LockWaiters,
  ) {
    this.db = this.open();
  }

  get isAutocommit(): boolean {
    return !this.db.inTransaction;
  }

  close(): void {
    const released = this.db.inTransaction;
    this.rollbackIfOpen();
    this.db.close();
    if (released) this.lockWaiters.notify();
  }

  /** Runs exactly one statement; SQL with several statements is rejected, as sqld does. */
  execute(sql: string, args: StatementArgs): Promise<StmtResult> {
    return this.run(sql, this.singleStatementTokens(sql), args);
  }

  /** Runs the statements of `sql` one by one, ignoring rows, stopping at the first error. */
  async executeSequence(sql: string): Promise<void> {
    const tokens = tokenize(sql);
    let from = 0;
    while (from < tokens.length) {
      const first = tokens[from];
      if (!first || first.kind === 'semicolon') { from++; continue; }
      // Found lazily, after the earlier statements ran: finding the end may prepare a prefix,
      // which must see tables those statements created.
      const end = this.statementEnd(sql, tokens, from);
      const last = tokens[end - 1] ?? first;
      await this.run(sql.slice(first.start, last.end), tokens.slice(from, end), NO_ARGS);
      from = end;
    }
  }

  describe(sql: string): DescribeResult {
    const tokens = this.singleStatementTokens(sql);
    const prepared = this.prepare(sql);
    const isExplain = statementKind(tokens) === 'explain';
    return {
      params: parameterNames(tokens).map((name) => ({ name })),
      cols: prepared.columns().map((c) => ({ name: c.name, decltype: c.type })),
      is_explain: isExplain,
      is_readonly: isExplain || this.compilesReadonly(sql),
    };
  }

  private prepare(sql: string): Database.Statement {
    try {
      return this.db.prepare(sql);
    } catch (err) {
      throw toStatementError(err, 'prepare');
    }
  }

  private open(): Database.Database {
    const db = new Database(`${pathToFileURL(this.file).href}?mode=rw`, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    try {
      // WAL lets the embedded Node server (file: URLs) read and write the same file alongside us.
      db.exec('PRAGMA journal_mode = WAL');
    } catch {
      // Another process holds a lock right now; the file keeps the mode it has, which still works.
    }
    return db;
  }

  private rollbackIfOpen(): void {
    if (!this.db.inTransaction) return;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      // Nothing more to do: closing drops the transaction anyway, just later.
    }
  }

  private async run(sql: string, tokens: readonly Token[], args: StatementArgs): Promise<StmtResult> {
    try {
      const prepared = await this.retryWhileBusy(() => this.prepare(sql));
      const kind = statementKind(tokens);
      const values = bindValues(parameterNames(tokens), args, kind === 'explain');
      const cols: Col[] = prepared.columns().map((c) => ({ name: c.name, decltype: c.type }));
      if (prepared.reader) prepared.raw(true).safeIntegers(true);
      const rows = await this.retryWhileBusy(() => this.step(prepared, values, args.wantRows, kind === 'explain'));
      if (isReadonlyBegin(tokens) && this.db.inTransaction) {
        this.db.exec('PRAGMA query_only = 1');
        this.inReadonlyTransaction = true;
      }
      // Like sqld: sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE, so other
      // statements report 0; the rowid is only meaningful after an INSERT.
      const writes = kind === 'insert' || kind === 'update' || kind === 'delete';
      const [changes, rowid] = writes ? this.changesAndRowid() : [0n, 0n];
      return { cols, rows, affected_row_count: Number(changes), last_insert_rowid: kind === 'insert' ? rowid.toString() : null };
    } finally {
      this.afterStatement();
    }
  }

  private step(prepared: Database.Statement, values: SqlValue[], wantRows: boolean, isExplain: boolean): HranaValue[][] {
    try {
      if (!prepared.reader) {
        prepared.run(values);
        return [];
      }
      const rows = prepared.all(values);
      if (isExplain) resetExplain(prepared, values);
      return wantRows ? rows.map(encodeRow) : [];
    } catch (err) {
      throw toStatementError(err, 'execute');
    }
  }

  /** Retries `run` while it fails with SQLITE_BUSY, for up to `busyTimeoutMs`, without blocking. */
  private async retryWhileBusy<T>(run: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, MAX_RETRY_POLL_MS)) {
      try {
        return run();
      } catch (err) {
        if (!isRetryableBusy(err)) throw err;
        if (Date.now() + delay > deadline) {
          this.hasStalledStatement = true;
          throw err;
        }
      }
      await this.lockWaiters.wait(delay);
    }
  }

  private afterStatement(): void {
    if (this.db.inTransaction) return;
    // Out of any transaction, this connection holds no lock: a waiting writer may go ahead.
    this.lockWaiters.notify();
    // A read-only transaction ends with COMMIT/ROLLBACK or with an error that rolled it back.
    if (this.inReadonlyTransaction) {
      this.db.exec('PRAGMA query_only = 0');
      this.inReadonlyTransaction = false;
    }
    if (this.hasStalledStatement) {
      // Connection-level settings (PRAGMAs, temp tables) are lost; acceptable after a lock timeout.
      this.db.close();
      this.db = this.open();
      this.changesStmt = undefined;
      this.hasStalledStatement = false;
    }
  }

  private changesAndRowid(): [bigint, bigint] {
    this.changesStmt ??= this.db.prepare('SELECT changes(), last_insert_rowid()').raw(true).safeIntegers(true);
    const row: unknown = this.changesStmt.all([])[0];
    if (!Array.isArray(row) || typeof row[0] !== 'bigint' || typeof row[1] !== 'bigint') throw new Error('unexpected changes() row');
    return [row[0], row[1]];
  }

  private singleStatementTokens(sql: string): Token[] {
    const tokens = tokenize(sql);
    if (isEmptyStatement(tokens)) throw new StatementError('SQL string does not contain any statement', 'SQL_NO_STATEMENT');
    const start = tokens.findIndex((t) => t.kind !== 'semicolon');
    const end = this.statementEnd(sql, tokens, start);
    if (!isEmptyStatement(tokens.slice(end))) throw new StatementError('SQL string contains more than one statement', 'SQL_MANY_STATEMENTS');
    return tokens;
  }

  /**
   * Index just past the `;` that ends the statement starting at `tokens[from]`. A `;` inside a
   * CREATE TRIGGER body does not end the statement; rather than parse SQL, we ask SQLite, which
   * reports "incomplete input" when a prefix stops inside a trigger body.
   */
  private statementEnd(sql: string, tokens: readonly Token[], from: number): number {
    const lastContent = tokens.findLastIndex((t) => t.kind !== 'semicolon');
    const first = tokens[from];
    for (let i = from; i < tokens.length && first; i++) {
      const token = tokens[i];
      if (token?.kind !== 'semicolon') continue;
      if (i > lastContent) return tokens.length;
      if (!this.isIncomplete(sql.slice(first.start, token.end))) return i + 1;
    }
    return tokens.length;
  }

  private isIncomplete(sql: string): boolean {
    try {
      this.db.prepare(sql);
      return false;
    } catch (err) {
      return err instanceof Error && err.message === 'incomplete input';
    }
  }

  /**
   * sqlite3_stmt_readonly() is not exposed by the binding, so read the compiled program instead:
   * SQLite marks a statement as writing when it opens a write transaction or runs VACUUM or a
   * journal-mode change, and treats transaction control (BEGIN, COMMIT, SAVEPOINT) as read-only.
   */
  private compilesReadonly(sql: string): boolean {
    let writes = false;
    let controlsTransaction = false;
    const explain = this.prepare(`EXPLAIN ${sql}`).raw(true);
    const program = explain.all([]);
    resetExplain(explain, []);
    for (const op of program) {
      if (!Array.isArray(op)) continue;
      const [, opcode, , p2] = op;
      if ((opcode === 'Transaction' && p2 !== 0) || opcode === 'Vacuum' || opcode === 'JournalMode') writes = true;
      if (opcode === 'AutoCommit' || opcode === 'Savepoint') controlsTransaction = true;
    }
    return controlsTransaction || !writes;
  }
}

/**
 * SQLite leaves an EXPLAIN statement active after its last row (it is only released by a reset),
 * and an active EXPLAIN of a write counts as a writer: COMMIT then fails with "SQL statements in
 * progress". The binding has no reset(), but get() resets the statement after reading a row.
 */
function resetExplain(explain: Database.Statement, values: SqlValue[]): void {
  explain.get(values);
}

function encodeRow(row: unknown): HranaValue[] {
  if (!Array.isArray(row)) throw new Error('expected a raw row');
  return row.map(encodeValue);
}

const argsError = (detail: string) => new StatementError(`Arguments do not match SQL parameters: ${detail}`, 'ARGS_INVALID');

/**
 * Values for parameters 1..n, resolved the way sqld resolves them: positional and named arguments
 * cannot be mixed, `?NNN` reads positional argument NNN, a name matches with or without its
 * prefix (`:id` or `id`), and every parameter needs a value.
 */
function bindValues(names: (string | null)[], { args, namedArgs }: StatementArgs, isExplain: boolean): SqlValue[] {
  if (args.length > 0 && namedArgs.length > 0) {
    throw new StatementError('Specifying both positional and named arguments is not supported', 'ARGS_BOTH_POSITIONAL_AND_NAMED');
  }
  const byName = new Map(namedArgs.map((a) => [a.name, a.value]));
  const given = Math.max(args.length, byName.size);
  if (given > names.length) throw argsError(`too many parameters, expected ${names.length} found ${given}`);
  const values: SqlValue[] = [];
  for (const [i, name] of names.entries()) {
    let value: SqlValue | undefined;
    if (name === null) value = args[i];
    else if (name.startsWith('?')) value = args[Number(name.slice(1)) - 1];
    else value = byName.has(name) ? byName.get(name) : byName.get(name.slice(1));
    if (value === undefined) {
      // EXPLAIN only compiles the statement, so missing values are fine there (as in sqld).
      if (isExplain) break;
      throw argsError(`value for parameter ${name ?? i + 1} not found`);
    }
    values.push(value);
  }
  return values;
}
