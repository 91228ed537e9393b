import { describe, expect, it } from 'vitest';
import { dayKey, lastClosedPeriod, monthKey, startOfLocalDay, weekKey } from './periods';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const utc = (iso: string) => Date.parse(iso);
const iso = (at: number) => new Date(at).toISOString();

describe('calendar keys in the shop\'s time zone', () => {
  it('switch at local midnight in Asia/Shanghai (UTC+8), not at UTC midnight', () => {
    const monday = utc('2026-11-01T16:00:00Z'); // Mon 2026-11-02 00:00 in Shanghai
    expect([dayKey(monday - 1, SH), weekKey(monday - 1, SH)]).toEqual(['2026-11-01', 'w2026-44']);
    expect([dayKey(monday, SH), weekKey(monday, SH)]).toEqual(['2026-11-02', 'w2026-45']);
    // 23:00 UTC is already the next day in Shanghai.
    expect(dayKey(utc('2026-11-10T23:00:00Z'), SH)).toBe('2026-11-11');
    const december = utc('2026-11-30T16:00:00Z'); // Tue 2026-12-01 00:00 in Shanghai
    expect([monthKey(december - 1, SH), monthKey(december, SH)]).toEqual(['m2026-11', 'm2026-12']);
  });

  it('use ISO weeks across year ends: week 1 may start in December, week 53 may end in January', () => {
    const at = (local: string) => utc(`${local}+08:00`);
    expect(weekKey(at('2025-12-28T23:59:59'), SH)).toBe('w2025-52'); // Sunday
    expect(weekKey(at('2025-12-29T00:00:00'), SH)).toBe('w2026-01'); // Monday of the week holding 1 Jan 2026 (a Thursday)
    expect([weekKey(at('2025-12-31T23:59:59'), SH), monthKey(at('2025-12-31T23:59:59'), SH)]).toEqual(['w2026-01', 'm2025-12']);
    expect(weekKey(at('2026-01-01T00:00:00'), SH)).toBe('w2026-01');
    expect(weekKey(at('2026-12-31T12:00:00'), SH)).toBe('w2026-53'); // 2026 starts on a Thursday: 53 weeks
    expect(weekKey(at('2027-01-03T23:59:59'), SH)).toBe('w2026-53');
    expect(weekKey(at('2027-01-04T00:00:00'), SH)).toBe('w2027-01');
    expect(weekKey(at('2021-01-01T12:00:00'), SH)).toBe('w2020-53');
    expect(weekKey(at('2024-12-30T12:00:00'), SH)).toBe('w2025-01');
    expect(weekKey(at('2023-01-01T12:00:00'), SH)).toBe('w2022-52');
    expect(weekKey(at('2028-01-01T12:00:00'), SH)).toBe('w2027-52');
  });
});

describe('lastClosedPeriod', () => {
  it('weekly: the last Monday-to-Monday week in shop time, closing exactly at local midnight', () => {
    const monday = utc('2026-11-01T16:00:00Z'); // Mon 2026-11-02 00:00 Shanghai
    expect(lastClosedPeriod(monday, SH, 'weekly')).toEqual({ key: 'sw2026-44', start: utc('2026-10-25T16:00:00Z'), end: monday });
    expect(lastClosedPeriod(monday - 1, SH, 'weekly')).toEqual({ key: 'sw2026-43', start: utc('2026-10-18T16:00:00Z'), end: utc('2026-10-25T16:00:00Z') });
    expect(lastClosedPeriod(utc('2026-11-08T15:59:59Z'), SH, 'weekly').key).toBe('sw2026-44'); // Sunday night
    // Around the year end the key is the ISO week of the period's start.
    expect(lastClosedPeriod(utc('2027-01-03T16:00:00Z'), SH, 'weekly')).toEqual({ key: 'sw2026-53', start: utc('2026-12-27T16:00:00Z'), end: utc('2027-01-03T16:00:00Z') });
    expect(lastClosedPeriod(utc('2026-01-07T04:00:00Z'), SH, 'weekly')).toEqual({ key: 'sw2026-01', start: utc('2025-12-28T16:00:00Z'), end: utc('2026-01-04T16:00:00Z') });
  });

  it('monthly: the last calendar month in shop time, also across a year end', () => {
    const december = utc('2026-11-30T16:00:00Z');
    expect(lastClosedPeriod(december, SH, 'monthly')).toEqual({ key: 'sm2026-11', start: utc('2026-10-31T16:00:00Z'), end: december });
    expect(lastClosedPeriod(december - 1, SH, 'monthly')).toEqual({ key: 'sm2026-10', start: utc('2026-09-30T16:00:00Z'), end: utc('2026-10-31T16:00:00Z') });
    expect(lastClosedPeriod(utc('2027-01-15T00:00:00Z'), SH, 'monthly')).toEqual({ key: 'sm2026-12', start: utc('2026-11-30T16:00:00Z'), end: utc('2026-12-31T16:00:00Z') });
    expect(lastClosedPeriod(utc('2027-03-01T00:00:00Z'), SH, 'monthly')).toEqual({ key: 'sm2027-02', start: utc('2027-01-31T16:00:00Z'), end: utc('2027-02-28T16:00:00Z') });
  });

  it('in a DST zone a period is as long as the clocks say (a week of 7 days less an hour)', () => {
    const week = lastClosedPeriod(utc('2026-03-10T12:00:00Z'), NY, 'weekly');
    expect([week.key, iso(week.start), iso(week.end)]).toEqual(['sw2026-10', '2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(week.end - week.start).toBe(7 * 86_400_000 - 3_600_000);
    const month = lastClosedPeriod(utc('2026-11-15T12:00:00Z'), NY, 'monthly');
    expect([month.key, iso(month.start), iso(month.end)]).toEqual(['sm2026-10', '2026-10-01T04:00:00.000Z', '2026-11-01T04:00:00.000Z']);
  });
});

describe('startOfLocalDay', () => {
  it('is local midnight on both sides of the America/New_York DST changes', () => {
    expect(iso(startOfLocalDay(2026, 3, 8, NY))).toBe('2026-03-08T05:00:00.000Z'); // EST; clocks jump at 02:00
    expect(iso(startOfLocalDay(2026, 3, 9, NY))).toBe('2026-03-09T04:00:00.000Z'); // EDT
    expect(iso(startOfLocalDay(2026, 11, 1, NY))).toBe('2026-11-01T04:00:00.000Z'); // EDT; clocks fall back at 02:00
    expect(iso(startOfLocalDay(2026, 11, 2, NY))).toBe('2026-11-02T05:00:00.000Z'); // EST: 1 Nov was 25 hours long
    expect(iso(startOfLocalDay(2026, 11, 2, SH))).toBe('2026-11-01T16:00:00.000Z');
  });

  it('is the jump itself where DST skips midnight (00:00 → 01:00)', () => {
    expect(iso(startOfLocalDay(2026, 9, 6, 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(iso(startOfLocalDay(2024, 10, 6, 'America/Asuncion'))).toBe('2024-10-06T04:00:00.000Z');
  });

  it.each(['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'America/Asuncion', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Kathmandu'])(
    'in %s is, for every day of 2026, the first instant of that day',
    (zone) => {
      for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
        const d = new Date(day);
        const key = d.toISOString().slice(0, 10);
        const start = startOfLocalDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), zone);
        expect(dayKey(start, zone), `${zone} ${key}`).toBe(key);
        expect(dayKey(start - 1000, zone), `${zone} second before ${key}`).not.toBe(key);
      }
    },
  );
});
