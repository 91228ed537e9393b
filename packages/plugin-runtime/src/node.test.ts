import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker';
import { runHook } from './hook-runner';
import { definePlugin } from '@tuike/plugin-sdk';
import { createVmSandbox } from './node';
import { runPricingHooks, type InstalledPlugin } from './hook-pipeline';
import { underWatchdog } from './watchdog';

const quiet = () => {};

describe('the node:vm watchdog for synchronous hooks', () => {
  it('stops a hook stuck in an endless loop at its budget', () => {
    const breaker = createCircuitBreaker();
    const started = Date.now();
    const outcome = runHook({ id: 'loops' }, () => { for (;;) { /* a plugin bug */ } }, 50, breaker, { sandbox: createVmSandbox(), log: quiet });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'overran' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(breaker.state('loops').failures).toBe(1);
  });

  it('passes values and exceptions through unchanged, and can be reused', () => {
    const sandbox = createVmSandbox();
    const breaker = createCircuitBreaker();
    const value = { lines: [1, 2] };
    expect(runHook({ id: 'a' }, () => value, 50, breaker, { sandbox, log: quiet })).toMatchObject({ status: 'ok', value });
    expect(runHook({ id: 'a' }, () => { throw new TypeError('bad'); }, 50, breaker, { sandbox, log: quiet })).toMatchObject({ reason: 'threw', message: 'bad' });
    expect(runHook({ id: 'a' }, () => 7, 50, breaker, { sandbox, log: quiet })).toMatchObject({ status: 'ok', value: 7 });
  });
});

describe('one watchdog for a whole hook point (underWatchdog)', () => {
  const plugin = (id: string, pricing: () => unknown, critical = false): InstalledPlugin => ({
    definition: definePlugin({ id, name: { zh: id, en: id }, version: '1.0.0', engine: '^1.0.0', capabilities: ['pricing'], hooks: { pricing: pricing as never } }),
    settings: {}, critical,
  });
  const cart = { lines: [{ lineId: 'l1', skuId: 's1', productId: 'p1', categoryId: null, quantity: 1, unitPrice: 10000 }], shippingFee: 0, member: null, now: 0 };
  const off = (amount: number, ref: string, combinesWith: string) => () => [{ kind: 'order_discount', amount, label: { zh: ref, en: ref }, combinesWith, priority: 0, ref }];

  it('stops the looping plugin, counts it as overran and prices with the others', () => {
    const breaker = createCircuitBreaker();
    const plugins = [plugin('first', off(500, 'a', 'campaign')), plugin('loops', () => { for (;;) { /* bug */ } }), plugin('last', off(300, 'b', 'coupon'))];
    const started = Date.now();
    const priced = underWatchdog(createVmSandbox(), plugins, { breaker, budgetMs: 30, log: quiet }, (ps, options) => runPricingHooks(ps, cart, options));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(breaker.state('loops').failures).toBe(1);
    expect(priced.applied.map((a) => a.pluginId).sort()).toEqual(['first', 'last']);
    expect(priced.payTotal).toBe(10000 - 800);
  });

  it('fails the call when the looping plugin is critical', () => {
    const plugins = [plugin('loops', () => { for (;;) { /* bug */ } }, true)];
    expect(() => underWatchdog(createVmSandbox(), plugins, { breaker: createCircuitBreaker(), budgetMs: 30, log: quiet }, (ps, options) => runPricingHooks(ps, cart, options)))
      .toThrow(expect.objectContaining({ code: 'PLUGIN_CRITICAL_FAILED' }));
  });

  it('runs a hook point of unguarded (shipped) plugins without the watchdog, still skipping an overrun after the fact', () => {
    let watched = 0;
    const counting = { run<T>(fn: () => T, budget: number) { watched++; return createVmSandbox().run(fn, budget); } };
    const slow = () => {
      const until = Date.now() + 40;
      while (Date.now() < until) { /* slow, but it returns */ }
      return off(200, 'slow', 'campaign')();
    };
    const unguarded = [{ ...plugin('shipped', off(500, 'a', 'campaign')), guarded: false }, { ...plugin('slow', slow), guarded: false }];
    const breaker = createCircuitBreaker();
    const priced = underWatchdog(counting, unguarded, { breaker, budgetMs: 20, log: quiet }, (ps, options) => runPricingHooks(ps, cart, options));
    expect(watched).toBe(0);
    expect(priced.applied.map((a) => a.pluginId)).toEqual(['shipped']);
    expect(breaker.state('slow').failures).toBe(1);
    // One guarded plugin among them puts the whole hook point under the watchdog.
    underWatchdog(counting, [...unguarded, plugin('third', off(100, 'c', 'coupon'))], { breaker, budgetMs: 20, log: quiet }, (ps, options) => runPricingHooks(ps, cart, options));
    expect(watched).toBe(1);
  });
});
