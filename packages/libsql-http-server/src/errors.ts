import type { HranaError } from './hrana-protocol';

/**
 * A failure of one stream request (or one batch step). It travels inside a successful HTTP
 * response as a Hrana `Error`; @libsql/client turns `code` into `LibsqlError.code`.
 */
export class StatementError extends Error {
  constructor(message: string, readonly code: string, readonly sqliteCode?: number) {
    super(message);
    this.name = 'StatementError';
  }

  toHrana(): HranaError {
    return { message: this.message, code: this.code };
  }
}

/** A failure of the whole HTTP request: the client closes the stream and reports `code`. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export const protocolError = (message: string): HttpError => new HttpError(400, 'PROTOCOL_ERROR', message);

// Result code names as sqld reports them (libsql-server hrana/stmt.rs). sqld goes through
// rusqlite, which has no variant for the generic SQLITE_ERROR, so that one arrives as
// SQLITE_UNKNOWN in production; we report the same so error handling behaves alike.
const PRIMARY_CODE_NAMES: Record<number, string> = {
  2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM', 8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL', 17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT', 20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE', 22: 'SQLITE_NOLFS',
  23: 'SQLITE_AUTH', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
};

const SQLITE_ERROR = 1;

/** The extended result code of an error thrown by the `libsql` binding, if it is one. */
export function sqliteResultCode(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  const rawCode: unknown = Reflect.get(err, 'rawCode');
  return typeof rawCode === 'number' ? rawCode : undefined;
}

/**
 * Shapes a `libsql` error the way sqld does: errors while compiling the statement (no such
 * table, syntax) are SQL_INPUT_ERROR; errors while running it carry the primary result code, so a
 * UNIQUE violation is SQLITE_CONSTRAINT (the extended code is not part of Hrana's Error).
 */
export function toStatementError(err: unknown, phase: 'prepare' | 'execute'): StatementError {
  if (err instanceof StatementError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = sqliteResultCode(err);
  if (code === undefined) return new StatementError(`SQLite error: ${message}`, 'SQLITE_UNKNOWN');
  const primary = code & 0xff;
  if (phase === 'prepare' && primary === SQLITE_ERROR) {
    return new StatementError(`SQL input error: ${message}`, 'SQL_INPUT_ERROR', code);
  }
  return new StatementError(`SQLite error: ${message}`, PRIMARY_CODE_NAMES[primary] ?? 'SQLITE_UNKNOWN', code);
}
