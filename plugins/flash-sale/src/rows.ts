import type { SqlRowValue } from '@tuike/plugin-sdk';

/** Typed reads of result cells: a column that is not what the schema says is a bug, so it throws. */
export type Row = Readonly<Record<string, SqlRowValue>>;

export function int(row: Row, column: string): number {
  const v = row[column];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(v);
  throw new TypeError(`column ${column}: expected an integer, got ${typeof v}`);
}

export function intOrNull(row: Row, column: string): number | null {
  return row[column] === null || row[column] === undefined ? null : int(row, column);
}

export function text(row: Row, column: string): string {
  const v = row[column];
  if (typeof v === 'string') return v;
  throw new TypeError(`column ${column}: expected text, got ${typeof v}`);
}

export function oneOf<const T extends string>(row: Row, column: string, values: readonly T[]): T {
  const v = text(row, column);
  if ((values as readonly string[]).includes(v)) return v as T;
  throw new TypeError(`column ${column}: unexpected value ${JSON.stringify(v)}`);
}
