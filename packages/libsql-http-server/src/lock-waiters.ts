/**
 * Statements of one database file that are waiting for its write lock. Streams of this server
 * wake them when they may have released the lock, so a waiter retries right after a commit
 * instead of at its next poll; polling remains for locks held by other processes.
 */
export class LockWaiters {
  private readonly waiters = new Set<() => void>();

  /** Resolves on the next `notify()` or after `maxMs`, whichever comes first. */
  wait(maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      this.waiters.add(done);
    });
  }

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
