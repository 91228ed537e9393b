/**
 * Switches a plugin off after `threshold` failures in a row (a success starts the count again).
 * A plugin the merchant marked critical is never switched off: its failures fail the call
 * instead. Keep one breaker per shop — or key plugin ids by shop — and persist `onSwitchOff`
 * (the install row's status), since a switched-off plugin stays off until the merchant turns it
 * back on (`reset`).
 */
export interface CircuitBreaker {
  isOff(pluginId: string): boolean;
  recordSuccess(pluginId: string): void;
  recordFailure(pluginId: string, critical: boolean): { failures: number; switchedOff: boolean };
  reset(pluginId: string): void;
  state(pluginId: string): { failures: number; off: boolean };
}

export interface CircuitBreakerOptions {
  /** Failures in a row that switch a plugin off; 5 by default. */
  threshold?: number;
  onSwitchOff?: (pluginId: string, failures: number) => void;
  /** Plugins already switched off (loaded from the install rows). */
  off?: readonly string[];
}

export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.threshold ?? 5;
  if (!Number.isSafeInteger(threshold) || threshold < 1) throw new RangeError('threshold must be a whole number ≥ 1');
  const failures = new Map<string, number>();
  const off = new Set(options.off ?? []);
  return {
    isOff: (id) => off.has(id),
    recordSuccess: (id) => { failures.delete(id); },
    recordFailure(id, critical) {
      const n = (failures.get(id) ?? 0) + 1;
      failures.set(id, n);
      if (critical || off.has(id) || n < threshold) return { failures: n, switchedOff: false };
      off.add(id);
      options.onSwitchOff?.(id, n);
      return { failures: n, switchedOff: true };
    },
    reset(id) {
      failures.delete(id);
      off.delete(id);
    },
    state: (id) => ({ failures: failures.get(id) ?? 0, off: off.has(id) }),
  };
}
