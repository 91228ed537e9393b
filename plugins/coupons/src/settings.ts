import { defineSettings, field, type SettingsSpec } from '@tuike/plugin-sdk';

/**
 * Kept small on purpose: whether coupons stack with campaigns, flash sales or points is the shop's
 * stacking rules (platform data), not this plugin's.
 */
export const couponSettings = defineSettings({
  autoPickBest: field.boolean({
    label: { zh: '结算时自动选择最优优惠券', en: 'Pick the best coupon at checkout' },
    help: { zh: '买家未选择时，自动使用最省钱的一张；买家可改选或不用', en: 'When the buyer has not chosen, apply the coupon that saves the most; the buyer may change it or use none' },
    default: true,
  }),
  showClaimCentre: field.boolean({
    label: { zh: '显示领券中心', en: 'Show the claim centre' },
    help: { zh: '关闭后领券中心不再列出优惠券，通过分享链接仍可领取', en: 'When off, the claim centre lists nothing; coupons can still be claimed from a shared link' },
    default: true,
  }),
});

export type CouponSettings = typeof couponSettings extends SettingsSpec<infer S> ? S : never;
