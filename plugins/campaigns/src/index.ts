/**
 * @tuike/plugin-campaigns — campaigns (营销活动, PRODUCT E3) as a first-party plugin on the SDK alone.
 *
 * Three kinds, each with a time window, a status, a scope (all, categories, products) and a
 * priority: tiered reductions (满100减10 / 满200减30 …, or 每满100减10 up to a cap), timed discounts
 * (限时8折 on products or categories, floored per line) and gifts over a threshold (满赠). Pricing
 * offers the best `maxCampaignsPerOrder` of the campaigns a cart qualifies for, each as one offer
 * of class `campaign` (ref = campaign id); the shop's stacking rules decide what applies together.
 * The storefront gets banners, product tags and a "再买¥23.00可减30" hint from its routes.
 */
import { definePlugin } from '@tuike/plugin-sdk';
import { loadCampaignState } from './campaign-state';
import { campaignMigrations } from './migrations';
import { campaignPricing } from './pricing';
import { campaignRoutes } from './routes';
import { campaignSettings } from './settings';

export const campaigns = definePlugin({
  id: 'campaigns',
  name: { zh: '营销活动', en: 'Campaigns' },
  description: {
    zh: '满减（阶梯满减、每满减）、限时折扣、满赠：按时间、商品或分类设置，结算时自动计算，按店铺的叠加规则与优惠券等同享。',
    en: 'Tiered spend reductions, timed discounts and gifts over a threshold, by time window, product or category: applied at checkout automatically and stacked with coupons and other offers by the shop\'s rules.',
  },
  version: '1.0.0',
  engine: '^1.0.0',
  capabilities: ['pricing', 'routes', 'widgets.storefront'],
  settings: campaignSettings,
  migrations: campaignMigrations,
  routes: campaignRoutes,
  widgets: [
    { slot: 'storefront.home.banner', component: 'CampaignBanner' },
    { slot: 'storefront.product.below-price', component: 'CampaignTags', props: { limit: 3 } },
    { slot: 'storefront.cart.summary', component: 'CampaignProgress' },
  ],
  hooks: {
    loadState: loadCampaignState,
    pricing: campaignPricing,
  },
});

export default campaigns;
export { campaignErrors } from './errors';
export type { CampaignErrorCode } from './errors';
export type { CampaignState } from './campaign-state';
export type { CampaignSettings } from './settings';
export type { CampaignTerms, CampaignScope, LiveCampaign, Tier } from './campaign-terms';
export type { CampaignInput } from './campaign-schema';
export type { Progress } from './progress';
