/**
 * @tuike/plugin-points — points (积分, PRODUCT E2) as a first-party plugin on the SDK alone.
 *
 * Members earn points on what they pay for the items of an order (shipping excluded), spendable
 * once the order is paid or completed (the shop's choice); they offset cash at checkout (积分抵现)
 * up to a share of the items total, deducted in the order's own batch so two orders can never
 * spend the same points; and they redeem them for goods in the points mall (积分商城). Cancelled
 * orders give spent points back; refunds give back spent points and take back earned ones in
 * proportion. Every movement is one row of an append-only ledger, posted once.
 */
import { definePlugin } from '@tuike/plugin-sdk';
import { loadPointsState, pointsChoice, pointsPlaceOrderCheck, pointsPricing, pointsReservation } from './checkout';
import { pointsMigrations } from './migrations';
import { orderEventHandlers } from './order-events';
import { pointsRoutes } from './routes';
import { pointsSettings } from './settings';

export const points = definePlugin({
  id: 'points',
  name: { zh: '积分', en: 'Points' },
  description: {
    zh: '购物得积分，结算时积分抵现，积分商城兑换商品；取消订单退回积分，退款按比例退回和扣回积分。',
    en: 'Members earn points on purchases, offset cash with them at checkout and redeem them for goods; cancellations return spent points, refunds return and take back points in proportion.',
  },
  version: '1.1.0',
  engine: '^1.0.0',
  capabilities: ['pricing', 'order.intercept', 'order.reserve', 'events.order', 'routes', 'widgets.storefront', 'widgets.admin'],
  settings: pointsSettings,
  choice: pointsChoice,
  migrations: pointsMigrations,
  routes: pointsRoutes,
  widgets: [
    { slot: 'storefront.member.center', component: 'PointsBalance' },
    { slot: 'storefront.checkout.summary', component: 'PointsOffsetToggle' },
    { slot: 'admin.order.detail', component: 'OrderPointsPanel' },
  ],
  hooks: {
    loadState: loadPointsState,
    pricing: pointsPricing,
    willPlaceOrder: pointsPlaceOrderCheck,
    reserveOrder: pointsReservation,
    events: orderEventHandlers,
  },
  // order.placed only matters for an order that used points; earning starts from order.paid.
  orderEvents: { 'order.placed': 'own-offers' },
});

export default points;
export { pointsErrors } from './errors';
export type { PointsErrorCode } from './errors';
export type { PointsChoice, PointsState } from './checkout';
export type { PointsSettings } from './settings';
export type { GoodsInput } from './goods';
export { offsetFor, offsetBlock, earnedFor } from './offset';
