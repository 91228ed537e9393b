/**
 * @tuike/plugin-coupons — coupons (优惠券, PRODUCT E1) as a first-party plugin on the SDK alone.
 *
 * Templates of three kinds — fixed amount (无门槛 or 满X 减Y), percent off with an optional cap
 * (8.5折 up to ¥50; the rate is stored as the share off in basis points, 8.5折 = 1500) and
 * threshold (满100减20) — valid in an absolute window or N days from claiming, with a total
 * quantity, a per-member limit and a scope (all, categories, products). Buyers claim them in the
 * claim centre; checkout applies the buyer's chosen coupon or the best one; the order's own batch
 * locks it (reserveOrder: two orders can never both hold one coupon); order events mark it used
 * when paid and give it back on cancel or full refund.
 */
import { definePlugin } from '@tuike/plugin-sdk';
import { couponPlaceOrderCheck, couponPricing } from './checkout';
import { couponChoice, loadCouponState } from './coupon-state';
import { couponMigrations } from './migrations';
import { orderEventHandlers } from './order-events';
import { couponReservation } from './reservation';
import { couponRoutes } from './routes';
import { couponSettings } from './settings';

export const coupons = definePlugin({
  id: 'coupons',
  name: { zh: '优惠券', en: 'Coupons' },
  description: {
    zh: '满减券、折扣券、无门槛券：领券中心领取，结算时自动选用最优券，支付后核销，取消或全额退款后退回。',
    en: 'Threshold, percent and fixed coupons: claimed in the claim centre, the best one applied at checkout, redeemed on payment, returned on cancellation or full refund.',
  },
  version: '1.0.0',
  engine: '^1.0.0',
  capabilities: ['pricing', 'order.intercept', 'order.reserve', 'events.order', 'routes', 'widgets.storefront', 'widgets.admin'],
  settings: couponSettings,
  choice: couponChoice,
  migrations: couponMigrations,
  routes: couponRoutes,
  widgets: [
    { slot: 'storefront.cart.summary', component: 'CouponPicker' },
    { slot: 'storefront.checkout.summary', component: 'CouponPicker' },
    { slot: 'storefront.home.banner', component: 'CouponClaimCentreEntry' },
    { slot: 'storefront.product.below-price', component: 'ProductCouponStrip', props: { limit: 3 } },
    { slot: 'storefront.member.center', component: 'MyCouponsEntry' },
    { slot: 'admin.dashboard.card', component: 'CouponIssueStatsCard' },
    { slot: 'admin.order.detail', component: 'OrderCouponPanel' },
  ],
  hooks: {
    loadState: loadCouponState,
    pricing: couponPricing,
    willPlaceOrder: couponPlaceOrderCheck,
    reserveOrder: couponReservation,
    events: orderEventHandlers,
  },
  // An order without a coupon of ours has nothing for our event handlers to settle.
  orderEvents: 'own-offers',
});

export default coupons;
export { couponErrors } from './errors';
export type { CouponErrorCode } from './errors';
export type { CouponChoice, CouponState } from './coupon-state';
export type { CouponSettings } from './settings';
export type { CouponTerms, UsableCoupon } from './coupon-terms';
export type { TemplateInput, TemplatePatch } from './template-schema';
