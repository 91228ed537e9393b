import Database from 'libsql';

/**
 * Keeps each connection's prepared statements, by SQL text, instead of preparing again on every
 * `execute` (what @libsql/client does for local files). Preparing is most of the cost of the
 * statements a shop runs over and over: a plugin's settling statements over a view take ~0.3 ms
 * to prepare and ~0.01 ms to run. A statement is safe to reuse: the client sets its modes
 * (`safeIntegers`, `raw`) before every use — a kept statement remembers them — and consumes it
 * fully (`all` / `run`), and a failed run leaves it reusable. A kept `SELECT *` would keep the
 * columns it was prepared with, so any schema change made in this process (CREATE, ALTER, DROP,
 * or a script through `exec`) empties every connection's cache. Closing a connection drops its statements. Node only (the edge talks HTTP).
 * A schema change from another process (a migration beside a running server) is not seen here:
 * restart the server after one, as deploys do.
 */
type Prepare = (this: object, sql: string) => unknown;
type Close = (this: object) => unknown;
type Exec = (this: object, sql: string) => unknown;

const caches = new WeakMap<object, { generation: number; statements: Map<string, unknown> }>();
/** Bumped by every schema change in this process; a cache from an older generation is emptied. */
let generation = 0;
const schemaChange = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*(create|alter|drop)\b/i;
let installed = false;

interface CachedStatement {
  readonly reader: boolean;
  raw(on?: boolean): CachedStatement;
  safeIntegers(on?: boolean): CachedStatement;
  columns(): unknown;
}

/** What libsql's raw() throws for a statement that returns no data; thrown here without a native call. */
const notReader = new TypeError('The raw() method is only for statements that return data');

/**
 * The client calls safeIntegers(true), raw(true) and columns() (twice) on every execution: each a
 * native call, and raw() on a statement returning no data — every write — throws a fresh native
 * error, which the client catches to learn just that. A kept statement answers these from what
 * it already said: the modes it is in, whether it reads (asked once: exactly when raw() throws),
 * and its columns (fixed until a schema change, which empties the cache).
 */
function withRememberedModes(stmt: CachedStatement): CachedStatement {
  const proto = Object.getPrototypeOf(stmt) as CachedStatement;
  const reader = stmt.reader;
  let rawMode: boolean | undefined;
  let safe: boolean | undefined;
  let columns: unknown;
  return Object.assign(stmt, {
    raw(this: CachedStatement, on = true) {
      if (!reader) throw notReader;
      if (rawMode !== on) {
        proto.raw.call(this, on);
        rawMode = on;
      }
      return this;
    },
    safeIntegers(this: CachedStatement, on = true) {
      if (safe !== on) {
        proto.safeIntegers.call(this, on);
        safe = on;
      }
      return this;
    },
    columns(this: CachedStatement) {
      return (columns ??= proto.columns.call(this));
    },
  });
}

export function installStatementCache(maxPerConnection = 500): void {
  if (installed) return;
  installed = true;
  const proto = (Database as unknown as { prototype: { prepare: Prepare; close: Close; exec: Exec } }).prototype;
  const prepare = proto.prepare;
  const close = proto.close;
  const exec = proto.exec;
  proto.prepare = function cachedPrepare(this: object, sql: string) {
    if (schemaChange.test(sql)) {
      generation++;
      return prepare.call(this, sql);
    }
    let cache = caches.get(this);
    if (!cache || cache.generation !== generation) caches.set(this, (cache = { generation, statements: new Map() }));
    let stmt = cache.statements.get(sql);
    if (stmt === undefined) {
      stmt = withRememberedModes(prepare.call(this, sql) as CachedStatement);
      if (cache.statements.size >= maxPerConnection) cache.statements.clear();
      cache.statements.set(sql, stmt);
    }
    return stmt;
  };
  proto.exec = function execAndForget(this: object, sql: string) {
    generation++;
    return exec.call(this, sql);
  };
  proto.close = function closeAndForget(this: object) {
    caches.delete(this);
    return close.call(this);
  };
}

/** How many statements `connection` keeps (for tests). */
export const cachedStatements = (connection: object): number => {
  const cache = caches.get(connection);
  return cache && cache.generation === generation ? cache.statements.size : 0;
};
