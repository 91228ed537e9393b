import type { SqlRowValue } from '@tuike/plugin-sdk';

/** Typed reads of result cells: a column that is not what the schema says is a bug, so it throws. */
export type Row = Readonly<Record<string, SqlRowValue>>;

export function int(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value);
  throw new TypeError(`column ${column}: expected an integer, got ${typeof value}`);
}

export function intOrNull(row: Row, column: string): number | null {
  return row[column] === null || row[column] === undefined ? null : int(row, column);
}

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value === 'string') return value;
  throw new TypeError(`column ${column}: expected text, got ${typeof value}`);
}

export function textOrNull(row: Row, column: string): string | null {
  return row[column] === null || row[column] === undefined ? null : text(row, column);
}

export function oneOf<const T extends string>(row: Row, column: string, values: readonly T[]): T {
  const value = text(row, column);
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new TypeError(`column ${column}: unexpected value ${JSON.stringify(value)}`);
}
