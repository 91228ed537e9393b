import { defineSettings, field, type SettingsSpec } from '@tuike/plugin-sdk';

/**
 * Kept small on purpose: whether campaigns stack with coupons, flash sales or points is the shop's
 * stacking rules (platform data), not this plugin's.
 */
export const campaignSettings = defineSettings({
  maxCampaignsPerOrder: field.number({
    label: { zh: '每单最多参加的活动数', en: 'Most campaigns per order' },
    help: {
      zh: '一笔订单同时满足多个活动时，只按优先级（其次优惠金额）取前 N 个',
      en: 'When an order qualifies for several campaigns, only the best N by priority (then amount) are offered',
    },
    min: 1,
    max: 20,
    integer: true,
    default: 3,
  }),
});

export type CampaignSettings = typeof campaignSettings extends SettingsSpec<infer S> ? S : never;
