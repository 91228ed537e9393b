import { defineSettings, field, type SettingsSpec } from '@tuike/plugin-sdk';

/**
 * Kept small: whether a flash price stacks with coupons, campaigns or points is the shop's
 * stacking rules (platform data; flash takes its lines apart from coupons by default), not ours.
 */
export const flashSaleSettings = defineSettings({
  showUpcomingHours: field.number({
    label: { zh: '提前展示即将开始的秒杀（小时）', en: 'Show upcoming flash sales (hours ahead)' },
    help: {
      zh: '开始前多少小时在店铺首页和商品页展示倒计时；0 表示只展示进行中的活动',
      en: 'How many hours before it starts a flash sale appears, with its countdown, on the home and product pages; 0 shows live sales only',
    },
    min: 0,
    max: 720,
    integer: true,
    default: 24,
  }),
});

export type FlashSaleSettings = typeof flashSaleSettings extends SettingsSpec<infer S> ? S : never;
