/**
 * Day boundaries in the shop's time zone. A coupon valid "N days from claiming" (领券当日起 N 天内
 * 有效) counts the claim day as day 1 and lasts to the end of day N, local time: claimed at 15:00
 * on the 1st with N = 7, it is usable until 23:59:59.999 on the 7th and expires at local midnight
 * starting the 8th.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock time of `instant`, read as if it were UTC. */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) + (instant % 1000 + 1000) % 1000;
}

/** The UTC instant whose local wall clock reads `wall` (the later one across a DST gap). */
function instantOf(wall: number, timeZone: string): number {
  let guess = wall - (wallClock(wall, timeZone) - wall);
  for (let i = 0; i < 3; i++) {
    const off = wallClock(guess, timeZone) - guess;
    const next = wall - off;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/** Local midnight `days` days after the local day `instant` falls on. */
export function localMidnightAfter(instant: number, days: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const day = new Date(wall);
  return instantOf(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + days), timeZone);
}

/** When a coupon claimed at `claimedAt` and valid for `days` days stops being usable. */
export function relativeExpiry(claimedAt: number, days: number, timeZone: string): number {
  return localMidnightAfter(claimedAt, days, timeZone);
}
