import { createApp } from '@tuike/api';
import { createEdgePlatform } from '@tuike/api/edge';
import type { FetchEvent } from '@solidjs/start/server';
import { apiConfig, notFound, once, type ApiHandler, type ScheduledRunner } from './api-entry';

/**
 * nitro's cloudflare-module entry puts what the Worker received on the h3 event's context
 * (`event.context.cloudflare`: env, the original request, the execution context); SolidStart's
 * FetchEvent keeps the h3 event as `nativeEvent`.
 */
interface CloudflareContext {
  cloudflare?: { env?: Record<string, unknown>; request?: Request; scheduled?: boolean };
}

const cloudflareOf = (event: FetchEvent) => (event.nativeEvent.context as CloudflareContext).cloudflare;

function workerEnv(event: FetchEvent): Record<string, unknown> {
  const env = cloudflareOf(event)?.env;
  if (!env) throw new Error('[tuike] no Cloudflare env on the request: is this the cloudflare-module build?');
  return env;
}

/**
 * The request for the API, addressed by the URL the Worker received. nitro rebuilds the request
 * from its Host header and without TLS information, so the scheme would read http:, and under
 * Miniflare's dispatchFetch the Host header is Miniflare's loopback address; on Cloudflare the
 * Host header always equals the URL's host, so setting it is only a correction.
 */
async function apiRequest(event: FetchEvent): Promise<Request> {
  const received = cloudflareOf(event)?.request;
  if (!received) return event.request;
  const origin = new URL(received.url);
  const inner = new URL(event.request.url);
  const headers = new Headers(event.request.headers);
  headers.set('host', origin.host);
  const method = event.request.method;
  const body = method === 'GET' || method === 'HEAD' ? undefined : await event.request.arrayBuffer();
  return new Request(new URL(inner.pathname + inner.search, origin.origin), { method, headers, body });
}

let app: (() => ReturnType<typeof createApp>) | undefined;

/** The isolate's one API app; the env is the same for every request of an isolate. */
function apiApp(event: FetchEvent) {
  const env = workerEnv(event);
  app ??= once(() => createApp(createEdgePlatform(env), apiConfig(env)));
  return app();
}

/** Edge target: libSQL over HTTP. */
export const handleApi: ApiHandler = async (event) => {
  const api = await apiApp(event);
  const clientIp = event.request.headers.get('cf-connecting-ip') ?? undefined;
  return api.fetch(await apiRequest(event), { clientIp });
};

/** Only the Cron Trigger's in-process request carries the `scheduled` marker (scheduled-plugin.ts). */
export const runScheduledJobs: ScheduledRunner = async (event) => {
  if (cloudflareOf(event)?.scheduled !== true) return notFound();
  await (await apiApp(event)).services.platform.scheduler.runAll();
  return new Response(null, { status: 204 });
};
