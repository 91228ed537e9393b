import { createMiddleware } from '@solidjs/start/middleware';
import type { FetchEvent } from '@solidjs/start/server';
import { handleApi } from '#api-app';
import { basePathOf } from './lib/base';

/** Error codes of GET /api/shop that make a shop page answer with the same HTTP status. */
const PAGE_STATUS: Record<string, number> = { SHOP_NOT_FOUND: 404, SHOP_SUSPENDED: 403 };

const isPageRequest = (request: Request, pathname: string): boolean =>
  request.method === 'GET' &&
  (request.headers.get('accept') ?? '').includes('text/html') &&
  !/^(?:\/s\/[^/]+)?\/(?:api|_build|_server)(?:\/|$)/.test(pathname);

/**
 * Pages render in the browser, but a page of an unknown or suspended shop should still answer
 * 404 / 403 (crawlers, monitors). Ask the API about the shop the same way the page will.
 */
async function shopPageStatus(event: FetchEvent) {
  const url = new URL(event.request.url);
  if (!isPageRequest(event.request, url.pathname)) return;
  const probe = new Request(new URL(`${basePathOf(url.pathname)}/api/shop`, url), {
    headers: { host: event.request.headers.get('host') ?? url.host, accept: 'application/json' },
  });
  try {
    const response = await handleApi({ ...event, request: probe });
    if (response.ok) return;
    const body: unknown = await response.json();
    const code = typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object' && body.error !== null && 'code' in body.error ? body.error.code : undefined;
    const status = typeof code === 'string' ? PAGE_STATUS[code] : undefined;
    if (status) event.response.status = status;
  } catch {
    // The page itself will show the error; the status stays 200.
  }
}

export default createMiddleware({ onRequest: [shopPageStatus] });
