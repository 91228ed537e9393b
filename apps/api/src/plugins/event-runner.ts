/**
 * Background event deliveries of this process: started after a response, never awaited by it.
 * Runs for one shop are coalesced: while one is going, further requests only ask for one more
 * pass after it (under load a pass picks up every event written meanwhile), so handlers are not
 * called again for the same due rows by overlapping passes. Failures are logged (the sweep
 * retries); `idle` lets tests and shutdown wait.
 */
export interface PluginEventRunner {
  /** Runs `work` for `key` now, or once more after the run in progress. */
  run(key: string, work: () => Promise<unknown>): Promise<void>;
  idle(): Promise<void>;
}

export function createPluginEventRunner(): PluginEventRunner {
  const running = new Map<string, Promise<void>>();
  const again = new Map<string, () => Promise<unknown>>();

  function start(key: string, work: () => Promise<unknown>): Promise<void> {
    const p: Promise<void> = work()
      .then(() => undefined, (e: unknown) => { console.error('[tuike] plugin event delivery failed; the sweep retries', e); })
      .then(() => {
        const next = again.get(key);
        again.delete(key);
        if (next) return start(key, next);
        running.delete(key);
      });
    running.set(key, p);
    return p;
  }

  return {
    run(key, work) {
      const current = running.get(key);
      if (current) {
        again.set(key, work);
        return current;
      }
      return start(key, work);
    },
    async idle() {
      while (running.size) await Promise.all([...running.values()]);
    },
  };
}
