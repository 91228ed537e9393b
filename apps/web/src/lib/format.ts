import type { Lang } from '~/i18n';

export const formatTime = (lang: Lang, millis: number): string =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(millis));

/** `yyyy-mm-dd` from a date input as local midnight, in epoch milliseconds. */
export function localDayStart(day: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/** The exclusive end of a local day (the API's `to` is exclusive). */
export function localDayEnd(day: string): number | undefined {
  const start = localDayStart(day);
  if (start === undefined) return undefined;
  const d = new Date(start);
  d.setDate(d.getDate() + 1);
  return d.getTime();
}

/** Money is integer fen: 1234 → `¥12.34`. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** One price, or `¥min – ¥max` when the SKUs differ. */
export const formatFenRange = (min: number, max: number): string =>
  min === max ? formatFen(min) : `${formatFen(min)} – ${formatFen(max)}`;

/** The largest price the API accepts: ¥1,000,000 (100,000,000 fen). */
export const MAX_FEN = 100_000_000;

/**
 * A yuan amount typed by a person (`12`, `12.3`, `12.34`, `¥ 12.34`) as integer fen, without
 * floating point; undefined when it is not a non-negative amount with at most two decimals.
 */
export function parseYuan(text: string): number | undefined {
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(text.replace(/[¥￥,\s]/g, ''));
  if (!m) return undefined;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen <= MAX_FEN ? fen : undefined;
}

/** Fen as the text of a yuan input: 1200 → `12`, 1234 → `12.34`, 1230 → `12.3`. */
export function fenToYuanText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const cents = fen % 100;
  if (cents === 0) return String(fen / 100);
  return `${Math.floor(fen / 100)}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** A whole, non-negative count (stock, threshold) typed by a person; empty is `fallback`. */
export function parseCount(text: string, fallback?: number): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return fallback;
  if (!/^\d{1,8}$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return n <= 10_000_000 ? n : undefined;
}
