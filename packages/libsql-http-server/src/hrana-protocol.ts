/**
 * Hrana over HTTP, JSON encoding (docs/HRANA_3_SPEC.md in tursodatabase/libsql): the response
 * shapes we send, and decoding of the request bodies we receive. Decoding checks every field the
 * server relies on; unknown fields are ignored, as the spec asks for forward compatibility.
 */
import { protocolError } from './errors';
import { decodeValue, type SqlValue } from './value-codec';

// ---- Shapes sent to the client (snake_case, exactly as on the wire) ----

export type HranaValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

export interface HranaError { message: string; code: string }

export interface Col { name: string | null; decltype: string | null }

export interface StmtResult {
  cols: Col[];
  rows: HranaValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}

export interface BatchResult {
  step_results: (StmtResult | null)[];
  step_errors: (HranaError | null)[];
}

export interface DescribeResult {
  params: { name: string | null }[];
  cols: { name: string; decltype: string | null }[];
  is_explain: boolean;
  is_readonly: boolean;
}

export type StreamResponse =
  | { type: 'close' }
  | { type: 'execute'; result: StmtResult }
  | { type: 'batch'; result: BatchResult }
  | { type: 'sequence' }
  | { type: 'describe'; result: DescribeResult }
  | { type: 'store_sql' }
  | { type: 'close_sql' }
  | { type: 'get_autocommit'; is_autocommit: boolean };

export type StreamResult = { type: 'ok'; response: StreamResponse } | { type: 'error'; error: HranaError };

export interface PipelineRespBody { baton: string | null; base_url: string | null; results: StreamResult[] }

export type CursorEntry =
  | { type: 'step_begin'; step: number; cols: Col[] }
  | { type: 'step_end'; affected_row_count: number; last_insert_rowid: string | null }
  | { type: 'step_error'; step: number; error: HranaError }
  | { type: 'row'; row: HranaValue[] }
  | { type: 'error'; error: HranaError };

// ---- Decoded requests ----

/** SQL given inline or by an id stored earlier with `store_sql`; exactly one is set. */
export type SqlRef = { sql: string } | { sqlId: number };

export interface Stmt {
  sql: SqlRef;
  args: SqlValue[];
  namedArgs: { name: string; value: SqlValue }[];
  wantRows: boolean;
}

export type BatchCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and' | 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };

export interface BatchStep { condition: BatchCond | null; stmt: Stmt }

export type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; steps: BatchStep[] }
  | { type: 'sequence'; sql: SqlRef }
  | { type: 'describe'; sql: SqlRef }
  | { type: 'store_sql'; sqlId: number; sql: string }
  | { type: 'close_sql'; sqlId: number }
  | { type: 'get_autocommit' };

export interface PipelineReqBody { baton: string | null; requests: StreamRequest[] }
export interface CursorReqBody { baton: string | null; steps: BatchStep[] }

// ---- Decoding ----

type Json = Record<string, unknown>;

const isRecord = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

function object(x: unknown, what: string): Json {
  if (!isRecord(x)) throw protocolError(`${what} must be an object`);
  return x;
}

function array(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) throw protocolError(`${what} must be an array`);
  return x;
}

/** Optional fields may be absent or null in JSON. */
const present = (x: unknown): boolean => x !== undefined && x !== null;

function string(x: unknown, what: string): string {
  if (typeof x !== 'string') throw protocolError(`${what} must be a string`);
  return x;
}

function int32(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 31) throw protocolError(`${what} must be a 32-bit integer`);
  return x;
}

function uint32(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= 2 ** 32) throw protocolError(`${what} must be an unsigned integer`);
  return x;
}

function sqlRef(sql: unknown, sqlId: unknown): SqlRef {
  if (present(sql) && present(sqlId)) throw protocolError('Either `sql` or `sql_id` are required, but not both');
  if (present(sql)) return { sql: string(sql, '`sql`') };
  if (present(sqlId)) return { sqlId: int32(sqlId, '`sql_id`') };
  throw protocolError('Either `sql` or `sql_id` are required');
}

function stmt(x: unknown): Stmt {
  const o = object(x, 'Stmt');
  return {
    sql: sqlRef(o.sql, o.sql_id),
    args: present(o.args) ? array(o.args, '`args`').map(decodeValue) : [],
    namedArgs: present(o.named_args)
      ? array(o.named_args, '`named_args`').map((a) => {
        const arg = object(a, 'NamedArg');
        return { name: string(arg.name, 'NamedArg `name`'), value: decodeValue(arg.value) };
      })
      : [],
    wantRows: present(o.want_rows) ? o.want_rows === true : true,
  };
}

function batchCond(x: unknown): BatchCond {
  const o = object(x, 'BatchCond');
  switch (o.type) {
    case 'ok': case 'error': return { type: o.type, step: uint32(o.step, 'BatchCond `step`') };
    case 'not': return { type: 'not', cond: batchCond(o.cond) };
    case 'and': case 'or': return { type: o.type, conds: array(o.conds, 'BatchCond `conds`').map(batchCond) };
    case 'is_autocommit': return { type: 'is_autocommit' };
    default: throw protocolError('BatchCond type not recognized');
  }
}

function batchSteps(x: unknown): BatchStep[] {
  const batch = object(x, 'Batch');
  return array(batch.steps, 'Batch `steps`').map((s) => {
    const step = object(s, 'BatchStep');
    return { condition: present(step.condition) ? batchCond(step.condition) : null, stmt: stmt(step.stmt) };
  });
}

function streamRequest(x: unknown): StreamRequest {
  const o = object(x, 'StreamRequest');
  switch (o.type) {
    case 'close': return { type: 'close' };
    case 'execute': return { type: 'execute', stmt: stmt(o.stmt) };
    case 'batch': return { type: 'batch', steps: batchSteps(o.batch) };
    case 'sequence': return { type: 'sequence', sql: sqlRef(o.sql, o.sql_id) };
    case 'describe': return { type: 'describe', sql: sqlRef(o.sql, o.sql_id) };
    case 'store_sql': return { type: 'store_sql', sqlId: int32(o.sql_id, '`sql_id`'), sql: string(o.sql, '`sql`') };
    case 'close_sql': return { type: 'close_sql', sqlId: int32(o.sql_id, '`sql_id`') };
    case 'get_autocommit': return { type: 'get_autocommit' };
    default: throw protocolError('StreamRequest type not recognized');
  }
}

const baton = (x: unknown): string | null => (present(x) ? string(x, '`baton`') : null);

export function decodePipelineReqBody(body: unknown): PipelineReqBody {
  const o = object(body, 'PipelineReqBody');
  return { baton: baton(o.baton), requests: array(o.requests, '`requests`').map(streamRequest) };
}

export function decodeCursorReqBody(body: unknown): CursorReqBody {
  const o = object(body, 'CursorReqBody');
  return { baton: baton(o.baton), steps: batchSteps(o.batch) };
}
