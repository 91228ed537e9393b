import { defineSettings, field, type SettingsSpec } from '@tuike/plugin-sdk';

/**
 * The shop's points rules. Rates are whole numbers so every conversion is exact integer maths:
 * earning is points per ¥1 the buyer paid for the items (floored), offsetting is points per ¥1 of
 * discount. Whether points stack with coupons or campaigns is the shop's stacking rules, not ours.
 */
export const pointsSettings = defineSettings({
  earnPointsPerYuan: field.number({
    label: { zh: '每消费1元获得积分', en: 'Points earned per ¥1 spent' },
    help: { zh: '按实付商品金额（不含运费）计算，不足1积分的部分舍去；0表示不赠送积分', en: 'On what the buyer paid for the items (shipping excluded), rounded down; 0 earns nothing' },
    integer: true, min: 0, max: 10_000, default: 1,
  }),
  earnOn: field.enum({
    label: { zh: '积分到账时机', en: 'Points become available' },
    help: { zh: '选择“订单完成”时，付款后积分先显示为待到账', en: 'With “order completed”, points show as pending from payment until then' },
    options: [
      { value: 'paid', label: { zh: '付款后', en: 'When the order is paid' } },
      { value: 'completed', label: { zh: '订单完成后', en: 'When the order is completed' } },
    ],
    default: 'completed',
  }),
  pointsPerYuan: field.number({
    label: { zh: '多少积分抵扣1元', en: 'Points per ¥1 of discount' },
    help: { zh: '例如100表示100积分抵1元', en: 'For example 100: 100 points take ¥1 off' },
    integer: true, min: 1, max: 1_000_000, default: 100,
  }),
  maxOffsetBps: field.percent({
    label: { zh: '积分最多抵扣商品金额的比例', en: 'Most of the items total points may pay' },
    default: 5000,
  }),
  minPointsPerUse: field.number({
    label: { zh: '单笔最少使用积分', en: 'Fewest points per use' },
    help: { zh: '0表示不限', en: '0 means no minimum' },
    integer: true, min: 0, max: 100_000_000, default: 0,
  }),
  autoUse: field.boolean({
    label: { zh: '结算时默认使用积分', en: 'Use points at checkout by default' },
    help: { zh: '买家未选择时，自动用尽可抵扣的积分；买家可关闭', en: 'When the buyer has not chosen, use as many points as allowed; the buyer may turn it off' },
    default: false,
  }),
});

export type PointsSettings = typeof pointsSettings extends SettingsSpec<infer S> ? S : never;
