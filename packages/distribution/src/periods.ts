/**
 * Calendar keys in the shop's time zone (DESIGN.md: time is UTC ms; each shop has a zone for
 * reports and settlement periods). Weeks are ISO weeks, starting Monday.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: number, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), min: Number(parts.minute), s: Number(parts.second) };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(at: number, timeZone: string) {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(at / 1000) * 1000;
}

const dateNumber = (at: number, timeZone: string) => { const w = wallClock(at, timeZone); return w.y * 10_000 + w.m * 100 + w.d; };

/** The instant the given local date begins in the zone. */
export function startOfLocalDay(y: number, m: number, d: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetAt(guess, timeZone);
  const midnight = guess - offsetAt(first, timeZone);
  // Where a DST jump skips local midnight (America/Santiago, Havana, Asunción: 00:00 → 01:00),
  // that instant is still the day before; the day then begins at the jump, found to the second.
  const target = y * 10_000 + m * 100 + d;
  if (dateNumber(midnight, timeZone) >= target) return midnight;
  let before = midnight;
  let inside = midnight + 6 * 3_600_000;
  while (inside - before > 1000) {
    const mid = before + Math.floor((inside - before) / 2000) * 1000;
    if (dateNumber(mid, timeZone) < target) before = mid;
    else inside = mid;
  }
  return inside;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO week-numbering year and week of a calendar date. */
function isoWeek(y: number, m: number, d: number) {
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return { year: date.getUTCFullYear(), week: Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

export function dayKey(at: number, timeZone: string) {
  const w = wallClock(at, timeZone);
  return `${w.y}-${pad(w.m)}-${pad(w.d)}`;
}

export function weekKey(at: number, timeZone: string) {
  const w = wallClock(at, timeZone);
  const iso = isoWeek(w.y, w.m, w.d);
  return `w${iso.year}-${pad(iso.week)}`;
}

export function monthKey(at: number, timeZone: string) {
  const w = wallClock(at, timeZone);
  return `m${w.y}-${pad(w.m)}`;
}

export interface SettlementPeriod {
  /** 's' + the week or month key, e.g. 'sw2026-46'. */
  key: string;
  /** The period's first instant and the instant after its end (the next period's start). */
  start: number;
  end: number;
}

/** The latest period that has fully ended at `at`: last week (Mon–Sun) or last month. */
export function lastClosedPeriod(at: number, timeZone: string, kind: 'weekly' | 'monthly'): SettlementPeriod {
  const w = wallClock(at, timeZone);
  if (kind === 'monthly') {
    const end = startOfLocalDay(w.y, w.m, 1, timeZone);
    const prev = new Date(Date.UTC(w.y, w.m - 2, 1));
    const start = startOfLocalDay(prev.getUTCFullYear(), prev.getUTCMonth() + 1, 1, timeZone);
    return { key: `s${monthKey(start, timeZone)}`, start, end };
  }
  const today = new Date(Date.UTC(w.y, w.m - 1, w.d));
  const monday = new Date(today.getTime() - ((today.getUTCDay() || 7) - 1) * 86_400_000);
  const end = startOfLocalDay(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
  const prevMonday = new Date(monday.getTime() - 7 * 86_400_000);
  const start = startOfLocalDay(prevMonday.getUTCFullYear(), prevMonday.getUTCMonth() + 1, prevMonday.getUTCDate(), timeZone);
  return { key: `s${weekKey(start, timeZone)}`, start, end };
}
