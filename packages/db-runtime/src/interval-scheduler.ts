import type { SchedulerPort } from '@tuike/core';

/**
 * Embedded scheduler: one timer per job. On the edge the same jobs are registered but only run
 * when the Cron Trigger calls runAll(); pass `timers: false` there.
 */
export function createIntervalScheduler(opts: { timers: boolean; onError?: (name: string, e: unknown) => void }): SchedulerPort {
  const jobs = new Map<string, () => Promise<void>>();
  const timers: ReturnType<typeof setInterval>[] = [];
  const run = async (name: string, fn: () => Promise<void>) => {
    try { await fn(); } catch (e) { opts.onError?.(name, e); }
  };
  return {
    every(name, intervalMs, fn) {
      jobs.set(name, fn);
      if (opts.timers) {
        const t = setInterval(() => void run(name, fn), intervalMs);
        (t as { unref?: () => void }).unref?.();
        timers.push(t);
      }
    },
    async runAll() {
      for (const [name, fn] of jobs) await run(name, fn);
    },
    stop() {
      for (const t of timers) clearInterval(t);
      timers.length = 0;
    },
  };
}
