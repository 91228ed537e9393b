import { PaymentProviderError } from './errors';

/**
 * Reading provider JSON without `any`: each accessor checks the type it promises and turns a
 * surprise into a PaymentProviderError naming the field.
 */
export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseJsonObject(text: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PaymentProviderError('BAD_RESPONSE', `${what} is not JSON`);
  }
  if (!isObject(value)) throw new PaymentProviderError('BAD_RESPONSE', `${what} is not a JSON object`);
  return value;
}

export function objectField(o: JsonObject, key: string): JsonObject {
  const v = o[key];
  if (!isObject(v)) throw new PaymentProviderError('BAD_RESPONSE', `field ${key} missing or not an object`);
  return v;
}

export function stringField(o: JsonObject, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new PaymentProviderError('BAD_RESPONSE', `field ${key} missing or not a string`);
  return v;
}

export function integerField(o: JsonObject, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new PaymentProviderError('BAD_RESPONSE', `field ${key} missing or not an integer`);
  return v;
}

export function optionalString(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}
