import { stackingRules } from '@tuike/plugin-runtime';
import type { PricingOperation } from '@tuike/plugin-sdk';
import { fixtureCart, runPricing } from '@tuike/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { campaigns } from './index';
import { campaign, now, state, tiers3, zhe8 } from './test-fixtures';

/**
 * How campaign offers meet other offers under the platform's stacking engine. Another plugin's
 * output comes in through the test kit's `others`, exactly as the platform would pass it.
 */
const couponOff = (amount: number): PricingOperation => ({ kind: 'order_discount', amount, combinesWith: 'coupon', priority: 0, ref: 'mc-1', label: { zh: '优惠券 满100减20', en: 'Coupon: ¥20 off orders over ¥100' } });
const exclusiveOff = (amount: number): PricingOperation => ({ kind: 'order_discount', amount, combinesWith: 'exclusive', priority: 0, ref: 'vip-1', label: { zh: '会员专享价', en: 'Members-only price' } });
const appliedRefs = (r: ReturnType<typeof runPricing>) => r.applied.map((a) => [a.pluginId, a.ref, a.amount]);

describe('with coupons and exclusive offers', () => {
  const cart = fixtureCart({ lines: [{ unitPrice: 30_000 }] });
  const manjian = state(campaign('cmp-tiers', tiers3));

  it('a coupon and a campaign stack under the default rules', () => {
    const r = runPricing(campaigns, { cart, state: manjian, now, others: { coupons: [couponOff(2_000)] } });
    expect(r.classes).toEqual(['campaign', 'coupon']);
    expect(appliedRefs(r)).toEqual([['campaigns', 'cmp-tiers', 5_000], ['coupons', 'mc-1', 2_000]]);
    expect(r.payTotal).toBe(23_000);
    expect(r.unapplied).toEqual([]);
  });

  it('an exclusive offer that saves more excludes both the campaign and the coupon', () => {
    const r = runPricing(campaigns, { cart, state: manjian, now, others: { coupons: [couponOff(2_000)], vip: [exclusiveOff(8_000)] } });
    expect(r.classes).toEqual(['exclusive']);
    expect(appliedRefs(r)).toEqual([['vip', 'vip-1', 8_000]]);
    expect(r.unapplied).toEqual([
      { pluginId: 'campaigns', index: 0, kind: 'order_discount', ref: 'cmp-tiers', reason: 'not-combinable' },
      { pluginId: 'coupons', index: 0, kind: 'order_discount', ref: 'mc-1', reason: 'not-combinable' },
    ]);
    expect(r.payTotal).toBe(22_000);
  });

  it('an exclusive offer that saves less than campaign + coupon is the one left out', () => {
    const r = runPricing(campaigns, { cart, state: manjian, now, others: { coupons: [couponOff(2_000)], vip: [exclusiveOff(6_000)] } });
    expect(r.classes).toEqual(['campaign', 'coupon']);
    expect(r.discountTotal).toBe(7_000);
  });

  it("a shop that says campaign and coupon 'never' combine gets the better of the two", () => {
    const rules = stackingRules({ pairs: [{ classes: ['coupon', 'campaign'], rule: 'never' }] });
    const r = runPricing(campaigns, { cart, state: manjian, now, rules, others: { coupons: [couponOff(2_000)] } });
    expect(r.classes).toEqual(['campaign']);
    expect(r.unapplied).toMatchObject([{ pluginId: 'coupons', reason: 'not-combinable' }]);
  });
});

describe('several campaigns together', () => {
  // Shoes ¥200, a hat ¥100.
  const cart = fixtureCart({ lines: [{ unitPrice: 20_000, categoryId: 'shoes' }, { unitPrice: 10_000, categoryId: 'hats' }] });

  it('a whole-shop reduction and a category discount both apply (different targets)', () => {
    const r = runPricing(campaigns, { cart, now, state: state(
      campaign('cmp-tiers', tiers3),
      campaign('cmp-shoes-80', zhe8, { scope: { type: 'categories', ids: ['shoes'] } }),
    ) });
    expect(r.classes).toEqual(['campaign']);
    expect(r.applied.map((a) => [a.ref, a.kind, a.amount])).toEqual([['cmp-shoes-80', 'line_discount', 4_000], ['cmp-tiers', 'order_discount', 5_000]]);
    expect(r.payTotal).toBe(21_000);
  });

  const twoDiscounts = state(
    campaign('cmp-all-90', { kind: 'discount', percentOffBps: 1_000 }),
    campaign('cmp-shoes-80', zhe8, { scope: { type: 'categories', ids: ['shoes'] }, priority: 1 }),
  );

  it('two discount campaigns: each line takes its best one, and both apply under the default rules', () => {
    const r = runPricing(campaigns, { cart, now, state: twoDiscounts });
    expect(r.applied.map((a) => [a.ref, a.lineId, a.amount])).toEqual([['cmp-shoes-80', 'l1', 4_000], ['cmp-all-90', 'l2', 1_000]]);
    expect(r.unapplied).toEqual([]);
  });

  it("even a shop picking 'all' campaign offers never gets two discounts on one line", () => {
    const r = runPricing(campaigns, { cart, now, state: twoDiscounts, rules: stackingRules({ pick: { campaign: 'all' } }) });
    expect(r.lines.map((l) => l.discount)).toEqual([4_000, 1_000]);
  });

  it('a scoped reduction and a discount on the same line: the default rules keep the better offer whole', () => {
    const shoesManjian = campaign('cmp-shoes-tiers', tiers3, { scope: { type: 'categories', ids: ['shoes'] } });
    const list = state(shoesManjian, campaign('cmp-shoes-80', zhe8, { scope: { type: 'categories', ids: ['shoes'] } }));
    const r = runPricing(campaigns, { cart, now, state: list });
    // 8折 takes ¥40 off the shoes, 满200减30 ¥30: the larger offer wins the line.
    expect(r.applied.map((a) => [a.ref, a.amount])).toEqual([['cmp-shoes-80', 4_000]]);
    expect(r.unapplied).toEqual([{ pluginId: 'campaigns', index: 1, kind: 'line_discount', ref: 'cmp-shoes-tiers', reason: 'outranked' }]);
    // A shop that lets campaign offers stack gets both, capped at what the line has left.
    const all = runPricing(campaigns, { cart, now, state: list, rules: stackingRules({ pick: { campaign: 'all' } }) });
    expect(all.lines.map((l) => l.discount)).toEqual([7_000, 0]);
  });

  it('a gift rides along with the discounts', () => {
    const r = runPricing(campaigns, { cart, now, state: state(campaign('cmp-tiers', tiers3), campaign('cmp-cup', { kind: 'gift', threshold: 20_000, skuId: 'sku-cup', quantity: 1, giftName: '保温杯' })) });
    expect(r.gifts.map((g) => [g.ref, g.skuId])).toEqual([['cmp-cup', 'sku-cup']]);
    expect(r.discountTotal).toBe(5_000);
  });
});
