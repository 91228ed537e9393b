/**
 * A shop is addressed by host (`{slug}.localhost`) or by path (`/s/{slug}/…` on the platform host).
 * Under path routing every page link and API call is prefixed with that `/s/{slug}`; the router
 * gets it as its `base`, and the API client prefixes it itself.
 */
const SHOP_PATH = /^\/s\/[^/]+(?=\/|$)/;

export function basePathOf(pathname: string): string {
  return SHOP_PATH.exec(pathname)?.[0] ?? '';
}

/** The base of the page the browser is on (client only). */
export const currentBasePath = (): string => basePathOf(window.location.pathname);
