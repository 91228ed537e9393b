/** Time is UTC epoch milliseconds. Code asks the clock, never Date.now(), so tests can move time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance(ms) { current += ms; },
    set(ms) { current = ms; },
  };
}
