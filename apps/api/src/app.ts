import { Hono } from 'hono';
import { createPasswordHasher, type Platform } from '@tuike/core';
import { cleanupStaleSignups, createTenantDirectory, openControlPlane } from '@tuike/tenancy';
import { defaultConfig, type AppConfig, type AppEnv, type Services } from './context';
import { onError, sendError } from './http/errors';
import { jsonRequests } from './http/json-body';
import { locale } from './http/locale';
import { sameOrigin } from './http/origin';
import { address, shop } from './http/shop';
import { platformRoutes } from './routes/platform';
import { adminDistributionRoutes } from './routes/admin-distribution';
import { distributionRoutes } from './routes/distribution';
import { adminPayoutRoutes, payoutNotifyRoutes } from './routes/payouts';
import { adminAuthRoutes } from './routes/admin-auth';
import { adminRoutes } from './routes/admin';
import { memberRoutes } from './routes/member';
import { storefrontRoutes } from './routes/storefront';
import { adminCatalogRoutes } from './routes/admin-catalog';
import { adminOrderRoutes } from './routes/admin-orders';
import { fileRoutes, uploadRoutes } from './http/files';
import { buyerRoutes } from './routes/buyer';
import { adminAfterSaleRoutes, buyerAfterSaleRoutes } from './routes/after-sales';
import { adminReviewRoutes, buyerReviewRoutes } from './routes/reviews-notifications';
import { createOrderSweeper } from './http/order-sweeper';
import { createPluginEventRunner } from './plugins/event-runner';
import { paymentRoutes } from './routes/payments';
import { adminPluginRoutes } from './routes/admin-plugins';
import { platformPluginRoutes } from './routes/platform-plugins';
import { pluginRoutes } from './routes/plugin-routes';

/** The API of one shop, mounted at `/` (host routing) and at `/s/:slug` (path routing). */
function shopApi() {
  return new Hono<AppEnv>()
    .use('/api/*', shop)
    .route('/api', storefrontRoutes)
    .route('/api/member', memberRoutes)
    .route('/api', fileRoutes)
    .route('/api', paymentRoutes)
    .route('/api', buyerRoutes)
    .route('/api', buyerAfterSaleRoutes)
    .route('/api', buyerReviewRoutes)
    .route('/api/admin/auth', adminAuthRoutes)
    .route('/api/admin', adminRoutes)
    .route('/api/admin', adminCatalogRoutes)
    .route('/api/admin', adminOrderRoutes)
    .route('/api/admin', adminAfterSaleRoutes)
    .route('/api/admin', adminReviewRoutes)
    .route('/api/admin', uploadRoutes)
    .route('/api/admin', adminDistributionRoutes)
    .route('/api/admin', adminPayoutRoutes)
    .route('/api/admin', adminPluginRoutes)
    .route('/api', payoutNotifyRoutes)
    .route('/api', distributionRoutes)
    .route('/api', pluginRoutes);
}

/**
 * One Hono app for every shop. The entry point (Node server or Worker) builds the platform's
 * ports and passes them in; nothing here knows which runtime it is on.
 */
export async function createApp(platform: Platform, overrides: Partial<AppConfig> = {}) {
  const config = defaultConfig(overrides);
  const control = await openControlPlane(platform);
  const tenants = createTenantDirectory(platform, control, { cacheTtlMs: config.tenantCacheTtlMs });
  const services: Services = {
    platform,
    config,
    control,
    tenants,
    hasher: createPasswordHasher(config.passwordPepper),
    orderSweeper: createOrderSweeper(platform, tenants, () => services),
    pluginEvents: createPluginEventRunner(),
  };
  platform.scheduler.every('signup-cleanup', 5 * 60_000, async () => { await cleanupStaleSignups(platform, control); });
  platform.scheduler.every('close-expired-orders', 60_000, async () => { await services.orderSweeper.sweepSeen(); });

  const app = new Hono<AppEnv>()
    .use(async (c, next) => { c.set('services', services); await next(); })
    .use(locale)
    .get('/api/health', (c) => c.json({ ok: true }))
    .use('*', address)
    .use('*', sameOrigin)
    .use('*', jsonRequests)
    .route('/api/platform', platformRoutes)
    .route('/api/platform/plugins', platformPluginRoutes)
    .route('/s/:slug', shopApi())
    .route('/', shopApi());
  app.notFound((c) => sendError(c, 'NOT_FOUND'));
  app.onError(onError);
  return Object.assign(app, { services });
}

export type TuikeApp = Awaited<ReturnType<typeof createApp>>;
