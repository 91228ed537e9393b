import { createMiddleware } from 'hono/factory';
import { AppError } from '@tuike/core';
import { resolveShopAddress } from '@tuike/tenancy';
import type { AppEnv } from '../context';

/** Reads the shop address from host and path; every route below knows where it is. */
export const address = createMiddleware<AppEnv>(async (c, next) => {
  const { config } = c.get('services');
  const url = new URL(c.req.url);
  c.set('address', resolveShopAddress(url, c.req.header('host') ?? url.host, config.platformDomains));
  await next();
});

/** Opens the addressed shop (404 unknown, 403 suspended) and puts it on the context. */
export const shop = createMiddleware<AppEnv>(async (c, next) => {
  const { tenants } = c.get('services');
  const addr = c.get('address');
  if (addr.kind === 'platform') throw new AppError('NO_SHOP');
  const handle = await tenants.open(await tenants.find(addr));
  c.set('shop', handle);
  try {
    await c.get('services').orderSweeper.visit(handle);
  } catch (e) {
    handle.release();
    throw e;
  }
  try {
    await next();
  } finally {
    handle.release();
  }
});
