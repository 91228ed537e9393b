/**
 * @tuike/plugin-flash-sale — flash sales (限时抢购/秒杀, PRODUCT E4) as a first-party plugin on the
 * SDK alone.
 *
 * A merchant schedules a sale: a time window and SKU entries, each with a flash price, its own
 * limited stock and a per-member limit. While it is live, a member's cart gets the flash price
 * for the units they may still have; the order holds those units in its own write batch
 * (reserveOrder: a guarded counter and a per-member counter with a CHECK), so no concurrency can
 * oversell or pass a member's limit. Cancelling the order, or refunding its flash line in full,
 * gives the units back, exactly once.
 */
import { definePlugin } from '@tuike/plugin-sdk';
import { flashAddToCartCheck, flashPricing, flashReservation } from './checkout';
import { loadFlashSaleState } from './flash-state';
import { flashSaleMigrations } from './migrations';
import { orderEventHandlers } from './order-events';
import { flashSaleRoutes } from './routes';
import { flashSaleSettings } from './settings';

export const flashSale = definePlugin({
  id: 'flash-sale',
  name: { zh: '限时秒杀', en: 'Flash sale' },
  description: {
    zh: '限时限量的秒杀价：按时间段设置规格、秒杀价、秒杀库存和每人限购；下单时锁定名额，绝不超卖；取消或全额退款后名额退回。',
    en: 'Limited units at a flash price for a time window, with a limit per buyer; units are held when the order is placed so they are never oversold, and come back on cancellation or full refund.',
  },
  version: '1.0.0',
  engine: '^1.0.0',
  capabilities: ['pricing', 'cart.intercept', 'order.reserve', 'events.order', 'routes', 'widgets.storefront', 'widgets.admin'],
  settings: flashSaleSettings,
  migrations: flashSaleMigrations,
  routes: flashSaleRoutes,
  widgets: [
    { slot: 'storefront.home.banner', component: 'FlashSaleBanner' },
    { slot: 'storefront.product.below-price', component: 'FlashSaleCountdown' },
    { slot: 'admin.dashboard.card', component: 'FlashSaleStatsCard' },
  ],
  hooks: {
    loadState: loadFlashSaleState,
    pricing: flashPricing,
    willAddToCart: flashAddToCartCheck,
    reserveOrder: flashReservation,
    events: orderEventHandlers,
  },
  // Only orders that bought flash units have units to mark paid or give back.
  orderEvents: 'own-offers',
});

export default flashSale;
export { flashSaleErrors, reservationRefusal } from './errors';
export type { FlashSaleErrorCode } from './errors';
export type { FlashSaleState, LiveEntry } from './flash-state';
export type { FlashSaleSettings } from './settings';
export type { ActivityInput, EntryInput } from './activity-schema';
export type { Activity, ActivityPhase, ActivityStatus, Entry, EntryStats } from './activities';
