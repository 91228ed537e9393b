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
