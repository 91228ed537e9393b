import { describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker';
import { PluginError } from './errors';
import { runAsyncHook, runHook, type HookLogEntry } from './hook-runner';

/** A clock the test moves: each hook call "takes" the time it advances. */
function fakeClock() {
  let t = 0;
  return { now: () => t, spend: (ms: number) => { t += ms; } };
}

const plugin = { id: 'coupons' };
const quiet = () => {};

describe('runHook', () => {
  it('returns the value of a hook that answers in time', () => {
    const breaker = createCircuitBreaker();
    expect(runHook(plugin, () => 42, 10, breaker, { log: quiet })).toMatchObject({ status: 'ok', value: 42 });
  });

  it('skips a hook that throws, logs it and counts a failure', () => {
    const breaker = createCircuitBreaker();
    const log: HookLogEntry[] = [];
    const outcome = runHook(plugin, () => { throw new Error('boom'); }, 10, breaker, { hook: 'pricing', log: (e) => log.push(e) });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'threw', message: 'boom', switchedOff: false });
    expect(log).toEqual([expect.objectContaining({ pluginId: 'coupons', hook: 'pricing', reason: 'threw', failures: 1 })]);
    expect(breaker.state('coupons')).toEqual({ failures: 1, off: false });
  });

  it('discards the result of a hook that overran its budget', () => {
    const clock = fakeClock();
    const breaker = createCircuitBreaker();
    const outcome = runHook(plugin, () => { clock.spend(25); return ['a discount']; }, 20, breaker, { now: clock.now, log: quiet });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'overran', ms: 25 });
    expect('value' in outcome).toBe(false);
  });

  it('counts output its validator refuses as a failure', () => {
    const breaker = createCircuitBreaker();
    expect(runHook(plugin, () => -5, 10, breaker, { validate: (n) => (n < 0 ? 'negative' : null), log: quiet })).toMatchObject({ status: 'failed', reason: 'invalid', message: 'negative' });
    expect(runHook(plugin, () => ({}), 10, breaker, { validate: () => { throw new Error('getter'); }, log: quiet })).toMatchObject({ reason: 'invalid' });
    expect(breaker.state('coupons').failures).toBe(2);
  });

  it('switches a plugin off after N failures in a row, and then no longer calls it', () => {
    const onSwitchOff = vi.fn();
    const breaker = createCircuitBreaker({ threshold: 3, onSwitchOff });
    const bad = vi.fn(() => { throw new Error('bug'); });
    const outcomes = [1, 2, 3].map(() => runHook(plugin, bad, 10, breaker, { log: quiet }));
    expect(outcomes.map((o) => o.status === 'failed' && o.switchedOff)).toEqual([false, false, true]);
    expect(onSwitchOff).toHaveBeenCalledOnce();
    expect(onSwitchOff).toHaveBeenCalledWith('coupons', 3);
    expect(runHook(plugin, bad, 10, breaker, { log: quiet })).toEqual({ status: 'skipped', reason: 'switched-off' });
    expect(bad).toHaveBeenCalledTimes(3);
  });

  it('starts the count again after a success, and runs again once the merchant resets it', () => {
    const breaker = createCircuitBreaker({ threshold: 2 });
    runHook(plugin, () => { throw new Error('x'); }, 10, breaker, { log: quiet });
    runHook(plugin, () => 1, 10, breaker, { log: quiet });
    runHook(plugin, () => { throw new Error('x'); }, 10, breaker, { log: quiet });
    expect(breaker.isOff('coupons')).toBe(false);
    runHook(plugin, () => { throw new Error('x'); }, 10, breaker, { log: quiet });
    expect(breaker.isOff('coupons')).toBe(true);
    breaker.reset('coupons');
    expect(runHook(plugin, () => 1, 10, breaker, { log: quiet })).toMatchObject({ status: 'ok' });
  });

  it('fails the call loudly when a critical plugin fails, and never switches it off', () => {
    const breaker = createCircuitBreaker({ threshold: 1 });
    const critical = { id: 'erp-sync', critical: true };
    for (let i = 0; i < 3; i++) {
      let caught: unknown;
      try { runHook(critical, () => { throw new Error('down'); }, 10, breaker, { hook: 'willPlaceOrder', log: quiet }); } catch (e) { caught = e; }
      expect(caught).toBeInstanceOf(PluginError);
      expect(caught).toMatchObject({ code: 'PLUGIN_CRITICAL_FAILED', status: 503, details: { pluginId: 'erp-sync', hook: 'willPlaceOrder', reason: 'threw' } });
    }
    expect(breaker.isOff('erp-sync')).toBe(false);
    const clock = fakeClock();
    expect(() => runHook(critical, () => clock.spend(50), 10, breaker, { now: clock.now, log: quiet })).toThrow(PluginError);
  });

  it('runs a critical plugin even if it was switched off before the merchant marked it critical', () => {
    const breaker = createCircuitBreaker({ off: ['erp-sync'] });
    expect(runHook({ id: 'erp-sync', critical: true }, () => 'ran', 10, breaker, { log: quiet })).toMatchObject({ status: 'ok', value: 'ran' });
  });

  it('refuses a threshold below one', () => {
    expect(() => createCircuitBreaker({ threshold: 0 })).toThrow(RangeError);
  });
});

describe('runAsyncHook', () => {
  it('stops waiting at the budget and counts an overrun', async () => {
    const breaker = createCircuitBreaker();
    const outcome = await runAsyncHook(plugin, () => new Promise((resolve) => setTimeout(() => resolve('late'), 200)), 20, breaker, { log: quiet });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'overran' });
  });

  it('returns values, and counts rejections and synchronous throws as failures', async () => {
    const breaker = createCircuitBreaker();
    expect(await runAsyncHook(plugin, async () => 'state', 50, breaker, { log: quiet })).toMatchObject({ status: 'ok', value: 'state' });
    expect(await runAsyncHook(plugin, async () => { throw new Error('db down'); }, 50, breaker, { log: quiet })).toMatchObject({ reason: 'threw', message: 'db down' });
    expect(await runAsyncHook(plugin, () => { throw new Error('sync'); }, 50, breaker, { log: quiet })).toMatchObject({ reason: 'threw', message: 'sync' });
  });
});
