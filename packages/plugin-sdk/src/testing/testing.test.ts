import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { defineSettings, definePlugin, field, type PricingOperation, type ProposedCommission } from '../index';
import { fixtureCart, PluginHookThrew, runCommissionAdjuster, runInterceptor, runPricing } from './index';

const label = { zh: '满减', en: 'Spend and save' };

/** A small plugin written the way an author would: spend-threshold reduction, VIP tag bonus, coupon choice. */
const spendAndSave = definePlugin({
  id: 'spend-and-save',
  name: { zh: '满减', en: 'Spend and save' },
  version: '0.1.0',
  engine: '^1.0.0',
  capabilities: ['pricing', 'cart.intercept', 'order.intercept', 'commission.adjust', 'member.read'],
  settings: defineSettings({
    threshold: field.money({ label, default: 10_000 }),
    off: field.money({ label, default: 1_500 }),
    maxPerSku: field.number({ label, integer: true, min: 1, default: 5 }),
    bonusBps: field.percent({ label, default: 0 }),
  }),
  choice: v.object({ code: v.pipe(v.string(), v.regex(/^[A-Z0-9]{4}$/)) }),
  hooks: {
    loadState: async () => ({ codes: { SAVE: 300 } as Record<string, number> }),
    pricing: (input) => {
      const ops: PricingOperation[] = [];
      if (input.itemsTotal >= input.settings.threshold) ops.push({ kind: 'order_discount', amount: input.settings.off, label, combinesWith: 'campaign', priority: 0 });
      if (input.member?.tags?.includes('vip')) ops.push({ kind: 'shipping_discount', amount: input.shippingFee, label, combinesWith: 'member', priority: 0 });
      const coupon = input.choice ? input.state.codes[input.choice.code] : undefined;
      if (coupon) ops.push({ kind: 'order_discount', amount: coupon, label, combinesWith: 'coupon', priority: 0, ref: input.choice!.code });
      return ops;
    },
    willAddToCart: (ctx) => (ctx.quantity > ctx.settings.maxPerSku ? { veto: { code: 'LIMIT_PER_SKU', message: { zh: `每款限购 ${ctx.settings.maxPerSku} 件`, en: `At most ${ctx.settings.maxPerSku} per item` } } } : undefined),
    willPlaceOrder: (ctx) => (ctx.choice && !ctx.priced.applied.some((a) => a.ref === ctx.choice!.code) ? { veto: { code: 'COUPON_UNUSABLE', message: { zh: '优惠券不可用', en: 'This coupon cannot be used' } } } : undefined),
    adjustCommission: (lines, ctx) => lines.map((l) => (l.level === 1 ? { ...l, amount: l.amount + Math.floor((l.base * ctx.settings.bonusBps) / 10_000) } : l)),
  },
});

const cart = fixtureCart({ lines: [{ unitPrice: 6000 }, { unitPrice: 2500, quantity: 2 }], shippingFee: 800 });

describe('the author test kit', () => {
  it('builds fixture carts with stable ids', () => {
    expect(cart.lines.map((l) => [l.lineId, l.skuId, l.quantity])).toEqual([['l1', 'sku-1', 1], ['l2', 'sku-2', 2]]);
  });

  it('prices a cart the way the platform does, settings defaulted', () => {
    const r = runPricing(spendAndSave, { cart });
    expect(r.operations).toHaveLength(1);
    expect(r.lines.map((l) => l.discount)).toEqual([819, 681]); // 1500 over 6000 : 5000 floors to 818 + 681, the fen left goes to the larger line
    expect(r.payTotal).toBe(11_000 - 1500 + 800);
  });

  it('passes member tags only to plugins granted member.read', () => {
    const member = { id: 'm1', tags: ['vip'] };
    expect(runPricing(spendAndSave, { cart, member }).shippingFee).toBe(0);
    const blind = definePlugin({ ...spendAndSave, capabilities: spendAndSave.capabilities.filter((c) => c !== 'member.read') });
    expect(runPricing(blind, { cart, member }).shippingFee).toBe(800);
  });

  it('checks the buyer\'s choice against the plugin\'s schema: a bad one arrives as null', () => {
    const state = { codes: { SAVE: 300 } };
    expect(runPricing(spendAndSave, { cart, state, choice: { code: 'SAVE' } }).discountTotal).toBe(1800);
    expect(runPricing(spendAndSave, { cart, state, choice: { code: 'save; DROP' } }).discountTotal).toBe(1500);
  });

  it('shows how the plugin stacks with what other plugins offer', () => {
    const r = runPricing(spendAndSave, { cart, others: { rival: [{ kind: 'order_discount', amount: 4000, label, combinesWith: 'exclusive', priority: 0 }] } });
    expect(r.classes).toEqual(['exclusive']);
    expect(r.unapplied).toEqual([{ pluginId: 'spend-and-save', index: 0, kind: 'order_discount', ref: null, reason: 'not-combinable' }]);
  });

  it('reports output the platform would set aside', () => {
    const broken = definePlugin({ ...spendAndSave, hooks: { pricing: () => [{ kind: 'line_discount', lineId: 'l7', amount: 100, label, combinesWith: 'campaign', priority: 0 }] } });
    expect(runPricing(broken, { cart }).rejected).toEqual([{ pluginId: 'spend-and-save', index: 0, reason: expect.stringContaining('not in the cart') }]);
  });

  it('hands hooks frozen input, so a hook that mutates it fails in tests as it would in production', () => {
    const mutating = definePlugin({ ...spendAndSave, hooks: { pricing: (input) => { (input.lines[0] as { unitPrice: number }).unitPrice = 1; return []; } } });
    expect(() => runPricing(mutating, { cart })).toThrow(PluginHookThrew);
  });

  it('refuses settings that no longer fit the schema', () => {
    expect(() => runPricing(spendAndSave, { cart, settings: { off: -5 } })).toThrow();
  });

  it('runs interceptors: no veto, a veto with its message, and a veto in a shape the platform refuses', () => {
    const sku = { skuId: 'sku-1', productId: 'p-1', categoryId: null, unitPrice: 6000 };
    expect(runInterceptor(spendAndSave, 'willAddToCart', { sku, quantity: 5 })).toEqual({ veto: null });
    expect(runInterceptor(spendAndSave, 'willAddToCart', { sku, quantity: 6 }).veto).toEqual({ code: 'LIMIT_PER_SKU', message: { zh: '每款限购 5 件', en: 'At most 5 per item' } });
    const sloppy = definePlugin({ ...spendAndSave, hooks: { willAddToCart: () => ({ veto: { code: 'no', message: { zh: '', en: 'x' } } }) } });
    expect(() => runInterceptor(sloppy, 'willAddToCart', { sku, quantity: 1 })).toThrow(/refuses/);
  });

  it('lets willPlaceOrder see the resolved price and its own applied operations', () => {
    expect(runInterceptor(spendAndSave, 'willPlaceOrder', { cart, state: { codes: { SAVE: 300 } }, choice: { code: 'SAVE' } }).veto).toBeNull();
    expect(runInterceptor(spendAndSave, 'willPlaceOrder', { cart, state: { codes: {} }, choice: { code: 'GONE' } }).veto?.code).toBe('COUPON_UNUSABLE');
  });

  it('runs commission adjusters and says when the platform would ignore them', () => {
    const proposed: ProposedCommission[] = [{ lineId: 'l1', distributorId: 'd1', level: 1, base: 6000, rateMode: 'bps', rate: 1000, amount: 600 }];
    expect(runCommissionAdjuster(spendAndSave, proposed, { settings: { bonusBps: 500 }, capBps: 3000 })).toEqual({ lines: [{ ...proposed[0], amount: 900 }], refused: null });
    const greedy = runCommissionAdjuster(spendAndSave, proposed, { settings: { bonusBps: 5000 }, capBps: 3000 });
    expect(greedy).toEqual({ lines: proposed, refused: 'line l1 pays over the cap' });
  });
});
