/**
 * Shortens text to what a provider field accepts, counting characters (code points), not UTF-16
 * units, so a Chinese name or an emoji is never cut in half. Providers refuse over-long text
 * outright; a shortened description is the lesser harm.
 */
export const clip = (s: string, max: number) => Array.from(s).slice(0, max).join('');
