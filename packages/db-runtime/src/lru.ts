/**
 * A bounded map of open database handles, least recently used first out. Entries that are busy
 * (a request is using them) are skipped when evicting, so the bound may be exceeded briefly
 * under load rather than closing a handle in use.
 */
export class HandleLru<T> {
  private readonly entries = new Map<string, T>();
  constructor(
    private readonly capacity: number,
    private readonly isBusy: (value: T) => boolean,
    private readonly dispose: (value: T) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('LRU capacity must be a positive integer');
  }

  get size(): number { return this.entries.size; }

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.evict(key);
  }

  delete(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.dispose(value);
  }

  clear(): void {
    for (const value of this.entries.values()) this.dispose(value);
    this.entries.clear();
  }

  /** Evicts idle entries, oldest first; never the one just added (its caller is about to use it). */
  private evict(keep: string): void {
    if (this.entries.size <= this.capacity) return;
    for (const [key, value] of this.entries) {
      if (this.entries.size <= this.capacity) return;
      if (key === keep || this.isBusy(value)) continue;
      this.entries.delete(key);
      this.dispose(value);
    }
  }
}
