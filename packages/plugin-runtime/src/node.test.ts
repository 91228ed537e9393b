import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker';
import { runHook } from './hook-runner';
import { createVmSandbox } from './node';

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
