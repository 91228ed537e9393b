import { createMiddleware } from 'hono/factory';
import { AppError } from '@tuike/core';
import type { AppEnv } from '../context';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const PROVIDER_CALLBACK = /\/api\/(payments|payouts)\/notify\/[a-z]+$/;

/**
 * CSRF defence for cookie sessions: a state-changing request must carry an Origin header equal to
 * the origin it was sent to (browsers always send Origin on cross-site POSTs; SameSite=Lax is the
 * second line). Requests without Origin are refused too: every browser we serve sends it.
 */
export const sameOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE.has(c.req.method)) return next();
  // Payment providers call their notify URLs server to server, without Origin and without
  // cookies; those routes authenticate each call by the provider's signature instead.
  if (PROVIDER_CALLBACK.test(c.req.path)) return next();
  const origin = c.req.header('origin');
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  let originHost: string | null = null;
  try {
    originHost = origin ? new URL(origin).host : null;
  } catch {
    originHost = null;
  }
  if (!originHost || originHost.toLowerCase() !== host.toLowerCase()) throw new AppError('ORIGIN_MISMATCH');
  await next();
});
