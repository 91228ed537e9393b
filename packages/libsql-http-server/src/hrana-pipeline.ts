import { HttpError, StatementError, protocolError } from './errors';
import type {
  BatchCond, BatchResult, BatchStep, CursorEntry, SqlRef, StreamRequest, StreamResponse, StreamResult,
} from './hrana-protocol';
import type { SqlConnection } from './sql-connection';
import type { Stream } from './streams';

/** Hrana version of the endpoint a request came in on (`/v2/...` or `/v3/...`). */
export type HranaVersion = 2 | 3;

// Limits of sqld's stored SQL (libsql-server hrana/http/request.rs); @libsql/client sizes its
// SQL cache to stay under them, and matching them keeps surprises out of production.
const MAX_STORED_SQLS = 50;
const MAX_STORED_SQL_BYTES = 5000;

/** Runs the requests of one `pipeline` call in order; a failing request does not stop the rest. */
export async function runPipeline(stream: Stream, requests: readonly StreamRequest[], version: HranaVersion): Promise<StreamResult[]> {
  const results: StreamResult[] = [];
  for (const request of requests) {
    try {
      results.push({ type: 'ok', response: await respond(stream, request, version) });
    } catch (err) {
      if (!(err instanceof StatementError)) throw err;
      results.push({ type: 'error', error: err.toHrana() });
    }
  }
  return results;
}

async function respond(stream: Stream, request: StreamRequest, version: HranaVersion): Promise<StreamResponse> {
  switch (request.type) {
    case 'close':
      stream.conn?.close();
      stream.conn = null;
      return { type: 'close' };
    case 'execute':
      return { type: 'execute', result: await connection(stream).execute(resolveSql(stream, request.stmt.sql), request.stmt) };
    case 'batch':
      return { type: 'batch', result: await runBatch(stream, request.steps, version) };
    case 'sequence':
      await connection(stream).executeSequence(resolveSql(stream, request.sql));
      return { type: 'sequence' };
    case 'describe':
      return { type: 'describe', result: connection(stream).describe(resolveSql(stream, request.sql)) };
    case 'store_sql':
      if (stream.sqls.has(request.sqlId)) throw protocolError(`SQL text ${request.sqlId} already exists`);
      if (stream.sqls.size >= MAX_STORED_SQLS) {
        throw new StatementError(`The server already stores ${stream.sqls.size} SQL texts, it cannot store more`, 'SQL_STORE_TOO_MANY');
      }
      if (Buffer.byteLength(request.sql) > MAX_STORED_SQL_BYTES) {
        throw new StatementError(`The statement is too large to be stored (over ${MAX_STORED_SQL_BYTES} bytes)`, 'SQL_STORE_TOO_LARGE');
      }
      stream.sqls.set(request.sqlId, request.sql);
      return { type: 'store_sql' };
    case 'close_sql':
      stream.sqls.delete(request.sqlId);
      return { type: 'close_sql' };
    case 'get_autocommit':
      requireVersion3(version, 'The `get_autocommit` request');
      return { type: 'get_autocommit', is_autocommit: connection(stream).isAutocommit };
  }
}

/**
 * Runs batch steps in order. A step runs when it has no condition or its condition holds; a
 * failing step is reported in `step_errors` and does not stop the batch. Transactions are built by
 * the client out of BEGIN/COMMIT/ROLLBACK steps and conditions; the server adds no implicit one.
 */
export async function runBatch(stream: Stream, steps: readonly BatchStep[], version: HranaVersion): Promise<BatchResult> {
  const conn = connection(stream);
  // Bad conditions are protocol errors, found before anything runs (as in sqld).
  steps.forEach((step, i) => { if (step.condition) checkCond(step.condition, i, version); });
  const outcomes: ('ok' | 'error' | 'skipped')[] = [];
  const result: BatchResult = { step_results: [], step_errors: [] };
  for (const step of steps) {
    if (step.condition && !evalCond(step.condition, outcomes, conn)) {
      outcomes.push('skipped');
      result.step_results.push(null);
      result.step_errors.push(null);
      continue;
    }
    try {
      result.step_results.push(await conn.execute(resolveSql(stream, step.stmt.sql), step.stmt));
      result.step_errors.push(null);
      outcomes.push('ok');
    } catch (err) {
      if (!(err instanceof StatementError)) throw err;
      result.step_results.push(null);
      result.step_errors.push(err.toHrana());
      outcomes.push('error');
    }
  }
  return result;
}

/** The `v3/cursor` form of a batch result: the same information, entry by entry. */
export function cursorEntries(result: BatchResult): CursorEntry[] {
  const entries: CursorEntry[] = [];
  result.step_results.forEach((stepResult, step) => {
    const error = result.step_errors[step];
    if (error) {
      entries.push({ type: 'step_error', step, error });
    } else if (stepResult) {
      entries.push({ type: 'step_begin', step, cols: stepResult.cols });
      for (const row of stepResult.rows) entries.push({ type: 'row', row });
      entries.push({ type: 'step_end', affected_row_count: stepResult.affected_row_count, last_insert_rowid: stepResult.last_insert_rowid });
    }
  });
  return entries;
}

// A skipped step is neither ok nor error, as the Hrana spec defines both conditions.
function evalCond(cond: BatchCond, outcomes: readonly string[], conn: SqlConnection): boolean {
  switch (cond.type) {
    case 'ok': case 'error': return outcomes[cond.step] === cond.type;
    case 'not': return !evalCond(cond.cond, outcomes, conn);
    case 'and': return cond.conds.every((c) => evalCond(c, outcomes, conn));
    case 'or': return cond.conds.some((c) => evalCond(c, outcomes, conn));
    case 'is_autocommit': return conn.isAutocommit;
  }
}

function checkCond(cond: BatchCond, stepIndex: number, version: HranaVersion): void {
  switch (cond.type) {
    case 'ok': case 'error':
      if (cond.step >= stepIndex) throw protocolError('Invalid reference to step in a batch condition');
      return;
    case 'not': return checkCond(cond.cond, stepIndex, version);
    case 'and': case 'or': return cond.conds.forEach((c) => checkCond(c, stepIndex, version));
    case 'is_autocommit': return requireVersion3(version, 'The `is_autocommit` condition');
  }
}

function requireVersion3(version: HranaVersion, what: string): void {
  if (version < 3) throw protocolError(`${what} is only supported in protocol version 3 and higher`);
}

function connection(stream: Stream): SqlConnection {
  if (!stream.conn) throw new HttpError(400, 'BATON_STREAM_CLOSED', 'Stream for this baton was closed');
  return stream.conn;
}

function resolveSql(stream: Stream, ref: SqlRef): string {
  if ('sql' in ref) return ref.sql;
  const sql = stream.sqls.get(ref.sqlId);
  if (sql === undefined) throw protocolError(`SQL text ${ref.sqlId} not found`);
  return sql;
}
