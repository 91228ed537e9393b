import { createMiddleware } from 'hono/factory';
import { vValidator } from '@hono/valibot-validator';
import type { GenericSchema } from 'valibot';
import { AppError } from '@tuike/core';
import type { AppEnv } from '../context';

export const MAX_JSON_BYTES = 64 * 1024;

/** The few routes whose body is not JSON; each checks its own type and size. */
const RAW_BODY_ROUTES = [
  { path: /\/api\/admin\/uploads$/, type: /^image\//i }, // the image itself
  { path: /\/api\/admin\/orders\/ship-batch$/, type: /^text\/(csv|plain)\b/i }, // a shipping CSV
  { path: /\/api\/payments\/notify\/alipay$/, type: /^application\/x-www-form-urlencoded\b/i }, // Alipay's form post
];

/**
 * Guards every state-changing API request before any route sees it: the body must be JSON of a
 * bounded size and must parse. The parsed body is cached by Hono, so validators reuse it.
 */
export const jsonRequests = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
  const type = c.req.header('content-type') ?? '';
  if (RAW_BODY_ROUTES.some((r) => r.path.test(c.req.path) && r.type.test(type))) return next();
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > MAX_JSON_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
  const text = await c.req.text();
  if (text.length === 0) return next();
  if (new TextEncoder().encode(text).byteLength > MAX_JSON_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
  if (!/^application\/json\b/i.test(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  try {
    JSON.parse(text);
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
  await next();
});

/** valibot's object schemas also accept an empty array (it is an object with no keys). */
const objectSchemas = new Set(['object', 'strict_object', 'loose_object', 'object_with_rest']);

/**
 * Validates the JSON body against a valibot schema; a failure is VALIDATION_FAILED with the
 * issues. A body that is an array where the schema wants an object fails too: `[]` would
 * otherwise pass as `{}` (for a route of optional fields, a request that changes everything back).
 */
export const json = <S extends GenericSchema>(schema: S) => {
  const validate = vValidator('json', schema, (result) => {
    if (!result.success) {
      throw new AppError('VALIDATION_FAILED', result.issues.map((i) => ({ path: i.path?.map((p) => String(p.key)).join('.') ?? '', message: i.message })));
    }
  });
  if (!objectSchemas.has(schema.type)) return validate;
  const objectOnly = createMiddleware(async (c, next) => {
    if (Array.isArray(await c.req.json().catch(() => null))) throw new AppError('VALIDATION_FAILED', [{ path: '', message: 'Invalid type: Expected Object but received Array' }]);
    return validate(c as Parameters<typeof validate>[0], next);
  });
  // The validator's type, so routes keep c.req.valid('json') typed.
  return objectOnly as unknown as typeof validate;
};

export const query = <S extends GenericSchema>(schema: S) =>
  vValidator('query', schema, (result) => {
    if (!result.success) {
      throw new AppError('VALIDATION_FAILED', result.issues.map((i) => ({ path: i.path?.map((p) => String(p.key)).join('.') ?? '', message: i.message })));
    }
  });
