/**
 * @tuike/plugin-runtime/node — Node-only helpers (workerd has no node:vm).
 */
import vm from 'node:vm';
import { HookTimeout, type HookSandbox } from './hook-runner';

/**
 * A watchdog for synchronous hooks: the call runs through a vm script with `timeout`, and V8
 * terminates it — host functions included — when the budget passes, so an endless loop in a
 * plugin costs one budget instead of the process. It is not isolation: the hook is still the
 * platform's own function with the platform's globals.
 */
export function createVmSandbox(): HookSandbox {
  const context = vm.createContext({ call: undefined as (() => unknown) | undefined });
  const script = new vm.Script('call()', { filename: 'plugin-hook' });
  return {
    run<T>(fn: () => T, budgetMs: number): T {
      context.call = fn;
      try {
        return script.runInContext(context, { timeout: Math.max(1, Math.ceil(budgetMs)) }) as T;
      } catch (e) {
        if ((e as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new HookTimeout(budgetMs);
        throw e;
      } finally {
        context.call = undefined;
      }
    },
  };
}
