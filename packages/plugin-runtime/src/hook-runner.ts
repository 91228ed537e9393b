import type { CircuitBreaker } from './circuit-breaker';
import { PluginError } from './errors';

/**
 * Running a plugin hook so a plugin bug never breaks a checkout.
 *
 * Synchronous hooks cannot be interrupted from the same thread, so the runner measures: it runs
 * the hook, and if it threw, overran its budget or returned something unusable, the result is
 * discarded, the failure logged and counted by the circuit breaker — unless the merchant marked
 * the plugin critical, in which case the call fails with PLUGIN_CRITICAL_FAILED instead.
 *
 * A hook stuck in a loop would still hang the thread. A `HookSandbox` can stop it: in Node,
 * `createVmSandbox` (`@tuike/plugin-runtime/node`) runs the call under node:vm's watchdog,
 * which terminates it at the budget. workerd has no node:vm, and there the default in-process
 * sandbox runs the hook as is — workerd's own CPU limit ends a runaway request. Note also that
 * workerd's clock does not advance during synchronous code, so budgets are only measured in Node.
 * Neither is isolation: first-party plugins run in the platform's process and can see its
 * globals. Third-party plugins get real isolation by running in their own isolates (Workers for
 * Platforms) behind the same hook contract.
 */
export interface HookSandbox {
  /** Runs `fn` (a hook of `pluginId`); may throw HookTimeout if it can stop a call running past `budgetMs`. */
  run<T>(fn: () => T, budgetMs: number, pluginId?: string): T;
}

export class HookTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(`stopped after ${budgetMs} ms`);
    this.name = 'HookTimeout';
  }
}

export const inProcessSandbox: HookSandbox = { run: (fn) => fn() };

export interface HookPlugin {
  id: string;
  /** Marked by the merchant: its failure fails the call rather than being skipped. */
  critical?: boolean;
}

export type HookFailure = 'threw' | 'overran' | 'invalid';

export interface HookLogEntry {
  pluginId: string;
  hook: string;
  reason: HookFailure | 'switched-off';
  message: string;
  ms: number;
  failures: number;
  switchedOff: boolean;
}
export type HookLogger = (entry: HookLogEntry) => void;

export const consoleHookLogger: HookLogger = (entry) => console.warn(`[plugin] ${entry.pluginId}.${entry.hook} ${entry.reason}: ${entry.message}`, entry);

export interface RunHookOptions<T> {
  /** The hook's name, for logs and errors. */
  hook?: string;
  sandbox?: HookSandbox;
  /** A monotonic clock in ms; `performance.now` by default. */
  now?: () => number;
  log?: HookLogger;
  /** Why a returned value is unusable (counted as a failure), or null. */
  validate?: (value: T) => string | null;
}

export type HookOutcome<T> =
  | { status: 'ok'; value: T; ms: number }
  | { status: 'skipped'; reason: 'switched-off' }
  | { status: 'failed'; reason: HookFailure; message: string; ms: number; switchedOff: boolean };

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

function fail<T>(plugin: HookPlugin, reason: HookFailure, message: string, ms: number, breaker: CircuitBreaker, hook: string, log: HookLogger): HookOutcome<T> {
  const critical = plugin.critical === true;
  const { failures, switchedOff } = breaker.recordFailure(plugin.id, critical);
  log({ pluginId: plugin.id, hook, reason, message, ms, failures, switchedOff });
  if (critical) throw new PluginError('PLUGIN_CRITICAL_FAILED', { pluginId: plugin.id, hook, reason, message });
  return { status: 'failed', reason, message, ms, switchedOff };
}

/** A value that arrived in time: checked, then counted as a success or an `invalid` failure. */
function settle<T>(plugin: HookPlugin, value: T, ms: number, breaker: CircuitBreaker, hook: string, log: HookLogger, validate?: (value: T) => string | null): HookOutcome<T> {
  let problem: string | null = null;
  try {
    problem = validate ? validate(value) : null;
  } catch (e) {
    problem = `output could not be read: ${describe(e)}`;
  }
  if (problem !== null) return fail(plugin, 'invalid', problem, ms, breaker, hook, log);
  breaker.recordSuccess(plugin.id);
  return { status: 'ok', value, ms };
}

/**
 * Runs one synchronous hook call within `budgetMs`. Returns the value, or why it was skipped or
 * failed; throws PluginError('PLUGIN_CRITICAL_FAILED') when a critical plugin fails.
 */
export function runHook<T>(plugin: HookPlugin, fn: () => T, budgetMs: number, breaker: CircuitBreaker, options: RunHookOptions<T> = {}): HookOutcome<T> {
  const hook = options.hook ?? 'hook';
  const log = options.log ?? consoleHookLogger;
  // A critical plugin is never off; one switched off before it was marked critical runs again.
  if (breaker.isOff(plugin.id) && !plugin.critical) return { status: 'skipped', reason: 'switched-off' };
  const now = options.now ?? (() => performance.now());
  const sandbox = options.sandbox ?? inProcessSandbox;
  const started = now();
  let value: T;
  try {
    value = sandbox.run(fn, budgetMs, plugin.id);
  } catch (e) {
    const ms = now() - started;
    if (e instanceof HookTimeout) return fail(plugin, 'overran', `stopped at its ${budgetMs} ms budget`, ms, breaker, hook, log);
    return fail(plugin, 'threw', describe(e), ms, breaker, hook, log);
  }
  const ms = now() - started;
  if (ms > budgetMs) return fail(plugin, 'overran', `took ${ms.toFixed(1)} ms of its ${budgetMs} ms budget`, ms, breaker, hook, log);
  return settle(plugin, value, ms, breaker, hook, log, options.validate);
}

/**
 * The same for asynchronous hooks (`loadState`, events, routes): past the budget the caller stops
 * waiting and the work's result, whenever it comes, is ignored.
 */
export async function runAsyncHook<T>(plugin: HookPlugin, fn: () => Promise<T>, budgetMs: number, breaker: CircuitBreaker, options: Omit<RunHookOptions<T>, 'sandbox'> = {}): Promise<HookOutcome<T>> {
  const hook = options.hook ?? 'hook';
  const log = options.log ?? consoleHookLogger;
  if (breaker.isOff(plugin.id) && !plugin.critical) return { status: 'skipped', reason: 'switched-off' };
  const now = options.now ?? (() => performance.now());
  const started = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overrun = new Promise<'overran'>((resolve) => { timer = setTimeout(() => resolve('overran'), budgetMs); });
  let first: { value: T } | { error: unknown } | 'overran';
  try {
    first = await Promise.race([Promise.resolve().then(fn).then((value) => ({ value })), overrun]);
  } catch (error) {
    first = { error };
  } finally {
    clearTimeout(timer);
  }
  if (first === 'overran') return fail(plugin, 'overran', `no answer within its ${budgetMs} ms budget`, now() - started, breaker, hook, log);
  if ('error' in first) return fail(plugin, 'threw', describe(first.error), now() - started, breaker, hook, log);
  const value = first.value;
  const ms = now() - started;
  return settle(plugin, value, ms, breaker, hook, log, options.validate);
}
