import type { Context } from 'hono';
import type { AppEnv } from '../context';

/** The shop's path prefix: `/s/{slug}` under path routing, empty on its own host. */
export function shopBasePath(c: Context<AppEnv>): string {
  const address = c.get('address');
  return address.kind === 'platform' ? '' : address.basePath;
}

/** An absolute URL inside this shop, as the visitor reached it (host and path prefix kept). */
export function shopUrl(c: Context<AppEnv>, path: string): string {
  const url = new URL(c.req.url);
  return `${url.protocol}//${c.req.header('host') ?? url.host}${shopBasePath(c)}${path}`;
}
