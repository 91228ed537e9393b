import { createMiddleware } from 'hono/factory';
import { AppError } from '@tuike/core';
import { resolveShopAddress } from '@tuike/tenancy';
import type { AppEnv } from '../context';
import { deliverPluginEvents } from '../plugins/order-events';

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
  } catch (e) {
    handle.release();
    throw e;
  }
  if (!c.get('eventsWritten')) return handle.release();
  // Deliver the events this request wrote after the response, on the same handle.
  const services = c.get('services');
  const work = services.pluginEvents.run(handle.tenant.id, () => deliverPluginEvents(services, handle.db, handle.tenant.slug, services.platform.clock.now())).finally(() => handle.release());
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // Node: no ExecutionContext; the runner keeps the promise.
  }
});
