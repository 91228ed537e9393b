/**
 * Where a request says its shop is. The shop comes only from the host or the `/s/{slug}` path —
 * never from a header, query or body the client controls.
 */
export type ShopAddress =
  | { kind: 'slug'; slug: string; basePath: string }
  | { kind: 'domain'; hostname: string; basePath: string }
  | { kind: 'platform' };

const PATH_PREFIX = /^\/s\/([^/]+)(?=\/|$)/;

/** A malformed escape can name no shop: keep it as typed, so the lookup simply finds nothing. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function hostnameOf(host: string): string {
  return host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

/**
 * @param platformDomains the platform's own host names, e.g. ['localhost', 'tuike.example'];
 *   `{slug}.{domain}` is a shop, the bare domain (or www) is the platform, anything else is
 *   looked up as a custom domain.
 */
export function resolveShopAddress(url: URL, host: string, platformDomains: readonly string[]): ShopAddress {
  const pathMatch = PATH_PREFIX.exec(url.pathname);
  if (pathMatch) return { kind: 'slug', slug: decodeSegment(pathMatch[1]!).toLowerCase(), basePath: pathMatch[0] };
  const hostname = hostnameOf(host);
  for (const domain of platformDomains) {
    if (hostname === domain || hostname === `www.${domain}`) return { kind: 'platform' };
    if (hostname.endsWith(`.${domain}`)) {
      const label = hostname.slice(0, -domain.length - 1);
      if (!label.includes('.')) return { kind: 'slug', slug: label, basePath: '' };
    }
  }
  if (hostname === '127.0.0.1' || hostname === '[::1]') return { kind: 'platform' };
  return { kind: 'domain', hostname, basePath: '' };
}
