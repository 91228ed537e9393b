import type { HranaValue } from './hrana-protocol';
import { protocolError } from './errors';

/**
 * A value as the `libsql` binding takes and gives it. Integers are bigint (statements run with
 * safeIntegers), floats are number, so INTEGER 3 and REAL 3.0 stay distinct on the wire.
 */
export type SqlValue = null | bigint | number | string | Buffer;

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Hrana JSON value → SQL value. Malformed values are protocol errors, as in sqld. */
export function decodeValue(json: unknown): SqlValue {
  if (!isRecord(json)) throw protocolError('Value must be an object');
  const { type, value } = json;
  switch (type) {
    case 'null':
      return null;
    case 'integer': {
      // Hrana sends integers as decimal strings so 64-bit values survive JSON.
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text)) throw protocolError('Integer value must be a decimal string');
      const int = BigInt(text);
      if (int < MIN_I64 || int > MAX_I64) throw protocolError('Integer value is out of the 64-bit range');
      return int;
    }
    case 'float':
      if (typeof value !== 'number') throw protocolError('Float value must be a number');
      return value;
    case 'text':
      if (typeof value !== 'string') throw protocolError('Text value must be a string');
      return value;
    case 'blob': {
      const base64 = json.base64;
      if (typeof base64 !== 'string') throw protocolError('Blob value must have a base64 string');
      return Buffer.from(base64, 'base64');
    }
    default:
      throw protocolError(`Value type ${JSON.stringify(type)} is not recognized`);
  }
}

/** SQL value read from a row → Hrana JSON value. */
export function encodeValue(value: unknown): HranaValue {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') return { type: 'float', value };
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) return { type: 'blob', base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  throw new TypeError(`Cannot encode a ${typeof value} as a Hrana value`);
}
