import type { HookRunOptions, InstalledPlugin } from './hook-pipeline';
import { HookTimeout, runHook, type HookSandbox } from './hook-runner';

/**
 * One watchdog for a whole hook point instead of one per plugin call. Node's vm watchdog starts a
 * thread for every timed call, which costs more than the hooks themselves; here the hook point
 * (every plugin's call, and the platform's work between them) runs once under a budget of
 * `budgetMs` per plugin, while each call still has its own time measured by runHook. If the
 * watchdog stops the run, the plugin in progress is the one that looped: it is counted as
 * overran (switched off in time like any failure, or failing the call if critical), and the hook
 * point runs again without it — hooks are pure, so running them again changes nothing.
 * A hook point whose plugins are all unguarded (shipped with this deployment) runs directly.
 */
export function underWatchdog<T>(watchdog: HookSandbox | undefined, plugins: readonly InstalledPlugin[], options: HookRunOptions, run: (plugins: readonly InstalledPlugin[], options: HookRunOptions) => T): T {
  // Nothing to guard: each call's time is still measured, and an overrun skipped, by runHook.
  if (!watchdog || !plugins.some((p) => p.guarded !== false)) return run(plugins, options);
  const budget = options.budgetMs ?? 20;
  let list = plugins;
  for (;;) {
    // The plugin whose call is in progress; left set when a call does not return normally.
    let current: string | null = null;
    const tracking: HookSandbox = {
      run(fn, _budget, pluginId) {
        current = pluginId ?? null;
        const value = fn();
        current = null;
        return value;
      },
    };
    try {
      return watchdog.run(() => run(list, { ...options, sandbox: tracking }), budget * Math.max(1, list.length) + budget);
    } catch (e) {
      const stuck = e instanceof HookTimeout && current !== null ? list.find((p) => p.definition.id === current) : undefined;
      if (!stuck) throw e;
      runHook({ id: stuck.definition.id, critical: stuck.critical }, () => { throw new HookTimeout(budget); }, budget, options.breaker, {
        hook: 'hook', ...(options.log ? { log: options.log } : {}),
      });
      list = list.filter((p) => p !== stuck);
    }
  }
}
