import { createApp } from '@tuike/api';
import { createEdgePlatform } from '@tuike/api/edge';
import type { FetchEvent } from '@solidjs/start/server';
import { apiConfig, once, type ApiHandler } from './api-entry';

interface CloudflareContext {
  cloudflare?: { env?: Record<string, unknown> };
}

/**
 * nitro's cloudflare-module entry puts the Worker's `env` on the h3 event's context
 * (event.context.cloudflare.env); SolidStart's FetchEvent keeps the h3 event as nativeEvent.
 */
function workerEnv(event: FetchEvent): Record<string, unknown> {
  const env = (event.nativeEvent.context as CloudflareContext).cloudflare?.env;
  if (!env) throw new Error('[tuike] no Cloudflare env on the request: is this the cloudflare-module build?');
  return env;
}

let app: (() => ReturnType<typeof createApp>) | undefined;

/** Edge target: libSQL over HTTP; the env is the same for every request of an isolate. */
export const handleApi: ApiHandler = async (event) => {
  const env = workerEnv(event);
  app ??= once(() => createApp(createEdgePlatform(env), apiConfig(env)));
  const clientIp = event.request.headers.get('cf-connecting-ip') ?? undefined;
  return (await app()).fetch(event.request, { clientIp });
};
