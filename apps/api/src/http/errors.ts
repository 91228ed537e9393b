import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, errorBody, type ErrorCode } from '@tuike/core';
import type { AppEnv } from '../context';
import { asAppError } from '../plugins/plugin-errors';

export function sendError(c: Context<AppEnv>, code: ErrorCode, details?: unknown) {
  const err = new AppError(code, details);
  return c.json(errorBody(code, c.get('locale') ?? 'zh-CN', details), err.status as 400);
}

const statusCodes: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Every error leaves as JSON with a stable code; only a real bug is a 500, and it is logged. */
export function onError(thrown: Error, c: Context<AppEnv>) {
  // The plugin runtime's errors (PLUGIN_DB_DENIED, PLUGIN_CRITICAL_FAILED, …) share core's catalog codes.
  const err = asAppError(thrown) as Error;
  if (err instanceof AppError) return c.json(errorBody(err.code, c.get('locale') ?? 'zh-CN', err.details), err.status as 400);
  if (err instanceof HTTPException && err.status < 500) return sendError(c, statusCodes[err.status] ?? 'VALIDATION_FAILED');
  console.error('[tuike] unhandled error', c.req.method, c.req.path, err);
  return sendError(c, 'INTERNAL');
}
