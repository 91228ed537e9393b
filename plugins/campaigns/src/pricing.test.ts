import type { PricingOperation } from '@tuike/plugin-sdk';
import { fixtureCart, runPricing } from '@tuike/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { campaigns } from './index';
import { maxOperations } from './pricing';
import { campaign, day, now, state, tiers3, zhe8 } from './test-fixtures';

const one = (unitPrice: number) => fixtureCart({ lines: [{ unitPrice }] });
const lineAmounts = (ops: readonly PricingOperation[]) => ops.map((o) => (o.kind === 'line_discount' ? [o.lineId, o.amount] : [o.kind]));

describe('tiered reduction (满减)', () => {
  const manjian = campaign('cmp-tiers', tiers3);
  const off = (unitPrice: number) => runPricing(campaigns, { cart: one(unitPrice), state: state(manjian), now }).discountTotal;

  it('the highest tier reached applies', () => {
    expect([off(10_000), off(19_999), off(20_000), off(29_999), off(30_000), off(100_000)]).toEqual([1_000, 1_000, 3_000, 3_000, 5_000, 5_000]);
  });

  it('a campaign whose in-scope total is below every tier emits nothing', () => {
    const r = runPricing(campaigns, { cart: one(9_999), state: state(manjian), now });
    expect(r.operations).toEqual([]);
    expect(r.payTotal).toBe(9_999);
  });

  it('scope all is one order discount of class campaign, ref = campaign id, labelled with the tier reached', () => {
    const r = runPricing(campaigns, { cart: fixtureCart({ lines: [{ unitPrice: 15_000 }, { unitPrice: 10_000 }] }), state: state({ ...manjian, priority: 5 }), now });
    expect(r.operations).toEqual([{ kind: 'order_discount', amount: 3_000, combinesWith: 'campaign', priority: 5, ref: 'cmp-tiers', label: { zh: '满200减30', en: '¥30 off over ¥200' } }]);
    expect(r.payTotal).toBe(22_000);
  });

  it('每满100减10 up to ¥30: once per full threshold, then capped', () => {
    const repeat = campaign('cmp-every', { kind: 'tiered_reduction', tiers: [{ threshold: 10_000, off: 1_000 }], repeat: { maxOff: 3_000 } });
    const r = (unitPrice: number) => runPricing(campaigns, { cart: one(unitPrice), state: state(repeat), now });
    expect([9_999, 10_000, 25_000, 39_999, 100_000].map((p) => r(p).discountTotal)).toEqual([0, 1_000, 2_000, 3_000, 3_000]);
    expect(r(25_000).operations[0]?.label).toEqual({ zh: '每满100减10', en: '¥10 off every ¥100' });
  });

  it('a scoped reduction is line discounts over the in-scope lines, exact to the fen, the remainder to the largest', () => {
    // Shoes ¥33.33 + 2 × ¥66.67 = ¥166.67 reach 满150减30; the hat is out of scope.
    const cart = fixtureCart({ lines: [
      { unitPrice: 3_333, categoryId: 'shoes' },
      { unitPrice: 6_667, quantity: 2, categoryId: 'shoes' },
      { unitPrice: 50_000, categoryId: 'hats' },
    ] });
    const shoes = campaign('cmp-shoes', { kind: 'tiered_reduction', tiers: [{ threshold: 10_000, off: 1_000 }, { threshold: 15_000, off: 3_000 }], repeat: null }, { scope: { type: 'categories', ids: ['shoes'] } });
    const r = runPricing(campaigns, { cart, state: state(shoes), now });
    // 3000 × 3333/16667 = 599.9…, 3000 × 13334/16667 = 2400.0…: floors 599 + 2400, the fen left to the larger line.
    expect(lineAmounts(r.operations)).toEqual([['l1', 599], ['l2', 2_401]]);
    expect(r.operations.every((o) => o.ref === 'cmp-shoes' && o.combinesWith === 'campaign')).toBe(true);
    // One offer under the default rules: applied whole.
    expect(r.lines.map((l) => l.discount)).toEqual([599, 2_401, 0]);
  });

  it('the threshold counts in-scope lines only', () => {
    const cart = fixtureCart({ lines: [{ unitPrice: 9_000, productId: 'p-a' }, { unitPrice: 90_000, productId: 'p-b' }] });
    const onA = campaign('cmp-a', tiers3, { scope: { type: 'products', ids: ['p-a'] } });
    expect(runPricing(campaigns, { cart, state: state(onA), now }).operations).toEqual([]);
  });

  it('a zero-priced in-scope line gets no line discount', () => {
    const cart = fixtureCart({ lines: [{ unitPrice: 0, categoryId: 'c' }, { unitPrice: 20_000, categoryId: 'c' }] });
    const r = runPricing(campaigns, { cart, state: state(campaign('cmp-c', tiers3, { scope: { type: 'categories', ids: ['c'] } })), now });
    expect(lineAmounts(r.operations)).toEqual([['l2', 3_000]]);
  });
});

describe('discount (限时折扣)', () => {
  it('8折 takes 2000 bps off each in-scope line, floored per line', () => {
    const cart = fixtureCart({ lines: [
      { unitPrice: 3_333, productId: 'p-1' },
      { unitPrice: 6_667, quantity: 2, productId: 'p-2' },
      { unitPrice: 5_000, productId: 'p-3' },
    ] });
    const r = runPricing(campaigns, { cart, state: state(campaign('cmp-80', zhe8, { scope: { type: 'products', ids: ['p-1', 'p-2'] } })), now });
    // 666.6 → 666, 2666.8 → 2666.
    expect(lineAmounts(r.operations)).toEqual([['l1', 666], ['l2', 2_666]]);
    expect(r.operations[0]).toMatchObject({ label: { zh: '限时8折', en: '20% off' }, combinesWith: 'campaign', ref: 'cmp-80' });
  });

  it('floors each line, not the sum: two 4-fen lines at 8折 get nothing', () => {
    const cart = fixtureCart({ lines: [{ unitPrice: 4 }, { unitPrice: 4 }] });
    expect(runPricing(campaigns, { cart, state: state(campaign('cmp-80', zhe8)), now }).operations).toEqual([]);
  });

  it('8.5折 and 0.1折 read right and never reach the line total', () => {
    const r = runPricing(campaigns, { cart: one(9_999), state: state(campaign('cmp-85', { kind: 'discount', percentOffBps: 1_500 })), now });
    expect(r.operations[0]).toMatchObject({ amount: 1_499, label: { zh: '限时8.5折', en: '15% off' } });
    const deep = runPricing(campaigns, { cart: one(1), state: state(campaign('cmp-01', { kind: 'discount', percentOffBps: 9_900 })), now });
    expect(deep.operations).toEqual([]);
    expect(runPricing(campaigns, { cart: one(10_000), state: state(campaign('cmp-01', { kind: 'discount', percentOffBps: 9_900 })), now }).payTotal).toBe(100);
  });

  it('a line covered by two discount campaigns takes the better one only: priority, then the larger amount, then the id', () => {
    const cart = fixtureCart({ lines: [{ unitPrice: 10_000, productId: 'p-1' }, { unitPrice: 10_000, productId: 'p-2' }] });
    const zhe9 = campaign('cmp-90', { kind: 'discount', percentOffBps: 1_000 });
    const zhe7OnP1 = campaign('cmp-70', { kind: 'discount', percentOffBps: 3_000 }, { scope: { type: 'products', ids: ['p-1'] } });
    const owner = (list: ReturnType<typeof state>) => runPricing(campaigns, { cart, state: list, now }).operations.map((o) => (o.kind === 'line_discount' ? [o.lineId, o.ref, o.amount] : []));
    expect(owner(state(zhe9, zhe7OnP1))).toEqual([['l1', 'cmp-70', 3_000], ['l2', 'cmp-90', 1_000]]);
    expect(owner(state({ ...zhe9, priority: 1 }, zhe7OnP1))).toEqual([['l1', 'cmp-90', 1_000], ['l2', 'cmp-90', 1_000]]);
    expect(owner(state(zhe9, { ...zhe9, id: 'cmp-89' }))).toEqual([['l1', 'cmp-89', 1_000], ['l2', 'cmp-89', 1_000]]);
  });
});

describe('gift (满赠)', () => {
  const cup = campaign('cmp-cup', { kind: 'gift', threshold: 19_900, skuId: 'sku-cup', quantity: 2, giftName: '保温杯' });

  it('reaching the threshold adds the gift', () => {
    const r = runPricing(campaigns, { cart: one(19_900), state: state(cup), now });
    expect(r.operations).toEqual([{ kind: 'gift', skuId: 'sku-cup', quantity: 2, combinesWith: 'campaign', priority: 0, ref: 'cmp-cup', label: { zh: '满199赠保温杯×2', en: 'Free gift×2 over ¥199' } }]);
    expect(r.gifts).toMatchObject([{ pluginId: 'campaigns', skuId: 'sku-cup', quantity: 2, ref: 'cmp-cup' }]);
    expect(r.payTotal).toBe(19_900);
  });

  it('one fen short: no gift', () => {
    expect(runPricing(campaigns, { cart: one(19_899), state: state(cup), now }).operations).toEqual([]);
  });
});

describe('which campaigns', () => {
  it('only live ones: not before the window starts, not once it has ended', () => {
    const c = campaign('cmp-tiers', tiers3, { startsAt: now, endsAt: now + day });
    const r = (at: number) => runPricing(campaigns, { cart: one(20_000), state: state(c), now: at }).operations.length;
    expect([r(now - 1), r(now), r(now + day - 1), r(now + day)]).toEqual([0, 1, 1, 0]);
  });

  it('no state (loadState failed or timed out): no campaigns, no error', () => {
    expect(runPricing(campaigns, { cart: one(20_000), now }).operations).toEqual([]);
    expect(runPricing(campaigns, { cart: one(20_000), state: state(), now }).operations).toEqual([]);
  });

  it('only the best maxCampaignsPerOrder: priority first, then the amount, then id', () => {
    const cart = fixtureCart({ lines: [{ unitPrice: 30_000, productId: 'p-1', categoryId: 'c-1' }, { unitPrice: 10_000, productId: 'p-2' }] });
    const list = state(
      campaign('cmp-a-small', { kind: 'tiered_reduction', tiers: [{ threshold: 10_000, off: 500 }], repeat: null }, { priority: 1 }),
      campaign('cmp-b-big', zhe8, { priority: 1, scope: { type: 'products', ids: ['p-2'] } }),
      campaign('cmp-c-top', { kind: 'discount', percentOffBps: 100 }, { priority: 9, scope: { type: 'categories', ids: ['c-1'] } }),
      campaign('cmp-d-gift', { kind: 'gift', threshold: 100, skuId: 'sku-g', quantity: 1, giftName: '' }, { priority: 1 }),
    );
    const refs = (settings?: unknown) => [...new Set(runPricing(campaigns, { cart, state: list, now, settings }).operations.map((o) => o.ref))];
    expect(refs()).toEqual(['cmp-c-top', 'cmp-b-big', 'cmp-a-small']);
    expect(refs({ maxCampaignsPerOrder: 1 })).toEqual(['cmp-c-top']);
    expect(refs({ maxCampaignsPerOrder: 20 })).toEqual(['cmp-c-top', 'cmp-b-big', 'cmp-a-small', 'cmp-d-gift']);
  });

  it(`never returns more than ${maxOperations} operations: an offer that would not fit is left out whole`, () => {
    const cart = fixtureCart({ lines: Array.from({ length: 150 }, () => ({ unitPrice: 1_000 })) });
    const r = runPricing(campaigns, { cart, state: state(campaign('cmp-80', zhe8, { priority: 2 }), campaign('cmp-90', { kind: 'discount', percentOffBps: 1_000 }), campaign('cmp-tiers', tiers3)), now });
    expect(r.rejected).toEqual([]);
    expect(r.operations.length).toBe(151);
    expect([...new Set(r.operations.map((o) => o.ref))]).toEqual(['cmp-80', 'cmp-tiers']);
  });
});
