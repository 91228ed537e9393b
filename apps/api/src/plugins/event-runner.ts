/**
 * Background event deliveries of this process: started after a response, never awaited by it.
 * Failures are logged (delivery retries on the next sweep); `idle` lets tests and shutdown wait.
 */
export interface PluginEventRunner {
  run(work: () => Promise<unknown>): Promise<void>;
  idle(): Promise<void>;
}

export function createPluginEventRunner(): PluginEventRunner {
  const running = new Set<Promise<void>>();
  return {
    run(work) {
      const p: Promise<void> = work().then(() => undefined, (e: unknown) => { console.error('[tuike] plugin event delivery failed; the sweep retries', e); });
      running.add(p);
      void p.finally(() => running.delete(p));
      return p;
    },
    async idle() {
      while (running.size) await Promise.all([...running]);
    },
  };
}
