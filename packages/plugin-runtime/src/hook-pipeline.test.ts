import { defineSettings, definePlugin, field, type CartLine, type PluginDefinition, type PricingOperation } from '@tuike/plugin-sdk';
import { fixtureCart, runPricing } from '@tuike/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker';
import { PluginError } from './errors';
import { commissionAdjusterFor, runAddToCartInterceptors, runPlaceOrderInterceptors, runPricingHooks, type InstalledPlugin } from './hook-pipeline';

const label = { zh: '优惠', en: 'Offer' };
const base = { name: { zh: '插件', en: 'Plugin' }, version: '1.0.0', engine: '^1.0.0' };

function pricingPlugin(id: string, pricing: (lines: readonly CartLine[], itemsTotal: number) => readonly PricingOperation[]): PluginDefinition {
  return definePlugin({ ...base, id, capabilities: ['pricing'], hooks: { pricing: (input) => pricing(input.lines, input.itemsTotal) } });
}

const threshold = definePlugin({
  ...base,
  id: 'threshold',
  capabilities: ['pricing', 'cart.intercept', 'order.intercept', 'commission.adjust'],
  settings: defineSettings({ over: field.money({ label, default: 10_000 }), off: field.money({ label, default: 1000 }), limit: field.number({ label, integer: true, default: 3 }) }),
  hooks: {
    pricing: (input) => (input.itemsTotal >= input.settings.over ? [{ kind: 'order_discount', amount: input.settings.off, label, combinesWith: 'campaign', priority: 0, ref: 'T1' }] : []),
    willAddToCart: (ctx) => (ctx.quantity > ctx.settings.limit ? { veto: { code: 'LIMIT', message: { zh: '超出限购', en: 'Over the limit' } } } : undefined),
    willPlaceOrder: (ctx) => (ctx.priced.applied.length === 0 ? { veto: { code: 'NO_OFFER', message: label } } : undefined),
    adjustCommission: (lines) => lines.map((l) => ({ ...l, amount: l.amount + 1 })),
  },
});
const flash = pricingPlugin('flash', (lines) => [{ kind: 'line_discount', lineId: lines[0]!.lineId, amount: 500, label, combinesWith: 'flash', priority: 0 }]);
const thrower = pricingPlugin('thrower', () => { throw new Error('undefined is not a function'); });
const negative = pricingPlugin('negative', () => [{ kind: 'order_discount', amount: -100, label, combinesWith: 'coupon', priority: 0 }]);
const ghost = pricingPlugin('ghost', () => [{ kind: 'line_discount', lineId: 'nope', amount: 100, label, combinesWith: 'coupon', priority: 0 }]);

const installed = (definition: PluginDefinition, critical = false, settings: unknown = {}): InstalledPlugin => ({ definition, settings, critical });
const cart = fixtureCart({ lines: [{ unitPrice: 6000 }, { unitPrice: 3000, quantity: 2 }], shippingFee: 800 });
const call = { lines: cart.lines, shippingFee: cart.shippingFee, member: { id: 'm1' }, now: Date.UTC(2026, 4, 1) };
const quiet = () => {};

describe('runPricingHooks', () => {
  it('skips a plugin that throws or returns bad output, prices with the rest, and reports why', () => {
    const breaker = createCircuitBreaker();
    const r = runPricingHooks([installed(thrower), installed(threshold), installed(negative), installed(flash), installed(ghost)], call, { breaker, log: quiet });
    expect(r.skipped).toEqual([
      { pluginId: 'thrower', reason: 'threw', message: 'undefined is not a function' },
      { pluginId: 'negative', reason: 'invalid', message: expect.stringContaining('negative') },
      { pluginId: 'ghost', reason: 'invalid', message: expect.stringContaining('not in the cart') },
    ]);
    // flash takes 500 off l1; the campaign's 1000 spreads over l2 only (flash keeps its line).
    expect(r.lines.map((l) => l.discount)).toEqual([500, 1000]);
    expect(r.payTotal).toBe(12_000 - 1500 + 800);
    expect(['thrower', 'negative', 'ghost'].map((id) => breaker.state(id).failures)).toEqual([1, 1, 1]);
  });

  it('gives cart, preview and placement the same price, whatever order the plugins are listed in', () => {
    const plugins = [installed(threshold), installed(flash), installed(thrower)];
    const prices = [plugins, [...plugins].reverse(), [plugins[1]!, plugins[2]!, plugins[0]!]].map((list) => {
      const { skipped: _, ...priced } = runPricingHooks(list, call, { breaker: createCircuitBreaker(), log: quiet });
      return priced;
    });
    expect(prices[1]).toEqual(prices[0]);
    expect(prices[2]).toEqual(prices[0]);
  });

  it('prices as the author test kit does', () => {
    const platform = runPricingHooks([installed(threshold)], call, { breaker: createCircuitBreaker(), log: quiet });
    const kit = runPricing(threshold, { cart, member: { id: 'm1' }, now: call.now });
    const { skipped: _, ...priced } = platform;
    const { operations: __, ...resolved } = kit;
    expect(priced).toEqual(resolved);
  });

  it('discards the output of a plugin that overran its budget', () => {
    let t = 0;
    const slow = pricingPlugin('slow', () => { t += 30; return [{ kind: 'order_discount', amount: 5000, label, combinesWith: 'coupon', priority: 0 }]; });
    const r = runPricingHooks([installed(slow), installed(threshold)], call, { breaker: createCircuitBreaker(), budgetMs: 20, clock: () => t, log: quiet });
    expect(r.skipped).toEqual([{ pluginId: 'slow', reason: 'overran', message: expect.stringContaining('20 ms') }]);
    expect(r.discountTotal).toBe(1000);
  });

  it('switches a repeatedly failing plugin off; checkout keeps working without it', () => {
    const breaker = createCircuitBreaker({ threshold: 2 });
    const plugins = [installed(thrower), installed(threshold)];
    runPricingHooks(plugins, call, { breaker, log: quiet });
    runPricingHooks(plugins, call, { breaker, log: quiet });
    const third = runPricingHooks(plugins, call, { breaker, log: quiet });
    expect(third.skipped).toEqual([{ pluginId: 'thrower', reason: 'switched-off' }]);
    expect(third.discountTotal).toBe(1000);
  });

  it('fails the checkout with PLUGIN_CRITICAL_FAILED when a critical plugin fails', () => {
    expect(() => runPricingHooks([installed(threshold), installed(negative, true)], call, { breaker: createCircuitBreaker(), log: quiet })).toThrow(PluginError);
  });

  it('treats settings that no longer parse as that plugin\'s failure', () => {
    const r = runPricingHooks([installed(threshold, false, { off: 'lots' })], call, { breaker: createCircuitBreaker(), log: quiet });
    expect(r.skipped).toMatchObject([{ pluginId: 'threshold', reason: 'threw' }]);
    expect(r.payTotal).toBe(12_800);
  });
});

describe('interceptors', () => {
  const sku = { skuId: 'sku-1', productId: 'p-1', categoryId: null, unitPrice: 6000 };

  it('return the first veto in declared order with the plugin that gave it', () => {
    const r = runAddToCartInterceptors([installed(threshold)], { member: null, sku, quantity: 4, lines: cart.lines, now: call.now }, { breaker: createCircuitBreaker(), log: quiet });
    expect(r.veto).toEqual({ pluginId: 'threshold', code: 'LIMIT', message: { zh: '超出限购', en: 'Over the limit' } });
    expect(runAddToCartInterceptors([installed(threshold)], { member: null, sku, quantity: 3, lines: cart.lines, now: call.now }, { breaker: createCircuitBreaker(), log: quiet }).veto).toBeNull();
  });

  it('skip an interceptor that throws or answers in a bad shape', () => {
    const broken = definePlugin({ ...base, id: 'broken', capabilities: ['cart.intercept'], hooks: { willAddToCart: () => ({ veto: { code: 'lower', message: label } }) } });
    const throwing = definePlugin({ ...base, id: 'throwing', capabilities: ['cart.intercept'], hooks: { willAddToCart: () => { throw new Error('x'); } } });
    const r = runAddToCartInterceptors([installed(broken), installed(throwing)], { member: null, sku, quantity: 1, lines: [], now: 0 }, { breaker: createCircuitBreaker(), log: quiet });
    expect(r).toEqual({ veto: null, skipped: [{ pluginId: 'broken', reason: 'invalid', message: expect.any(String) }, { pluginId: 'throwing', reason: 'threw', message: 'x' }] });
  });

  it('let willPlaceOrder see its own applied operations in the resolved price', () => {
    const options = { breaker: createCircuitBreaker(), log: quiet };
    const priced = runPricingHooks([installed(threshold)], call, options);
    expect(runPlaceOrderInterceptors([installed(threshold)], { member: null, lines: cart.lines, priced, now: call.now }, options).veto).toBeNull();
    const small = fixtureCart({ lines: [{ unitPrice: 100 }] });
    const unpriced = runPricingHooks([installed(threshold)], { ...call, lines: small.lines }, options);
    expect(runPlaceOrderInterceptors([installed(threshold)], { member: null, lines: small.lines, priced: unpriced, now: call.now }, options).veto?.code).toBe('NO_OFFER');
  });
});

describe('commissionAdjusterFor', () => {
  const proposed = [{ lineId: 'l1', distributorId: 'd1', level: 1 as const, base: 6000, rateMode: 'bps' as const, rate: 1000, amount: 600 }];

  it('hands distribution a plain adjuster that applies the plugin within the rules', () => {
    const adjust = commissionAdjusterFor(installed(threshold), call.now, { breaker: createCircuitBreaker(), log: quiet })!;
    expect(adjust(proposed)).toEqual([{ ...proposed[0], amount: 601 }]);
  });

  it('throws — so distribution pays the sale as proposed — when the plugin breaks the rules', () => {
    const greedy = definePlugin({ ...base, id: 'greedy', capabilities: ['commission.adjust'], hooks: { adjustCommission: (lines) => lines.map((l) => ({ ...l, amount: l.base })) } });
    const breaker = createCircuitBreaker();
    const adjust = commissionAdjusterFor(installed(greedy), call.now, { breaker, capBps: 3000, log: quiet })!;
    expect(() => adjust(proposed)).toThrow(/over the cap/);
    expect(breaker.state('greedy').failures).toBe(1);
    expect(commissionAdjusterFor(installed(flash), call.now, { breaker, log: quiet })).toBeNull();
  });
});
