import type { FetchEvent } from '@solidjs/start/server';
import type { AppConfig } from '@tuike/api';

/** What `#api-app` (app.node.ts or app.edge.ts, picked at build time) provides. */
export type ApiHandler = (event: FetchEvent) => Promise<Response>;

/** Runs the app's scheduled jobs for the edge Cron Trigger; on Node, timers run them instead. */
export type ScheduledRunner = (event: FetchEvent) => Promise<Response>;

export const notFound = (): Response => new Response(null, { status: 404 });

/** Reads a string setting from process.env (Node) or the Worker's env (edge). */
export function setting(env: Record<string, unknown>, key: string): string | undefined {
  const value = env[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The API's config, the same on both targets: PLATFORM_DOMAIN, PASSWORD_PEPPER, PLATFORM_REVIEWERS. */
export function apiConfig(env: Record<string, unknown>): Partial<AppConfig> {
  const domains = (setting(env, 'PLATFORM_DOMAIN') ?? 'localhost').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
  const pepper = setting(env, 'PASSWORD_PEPPER');
  // Platform operators who review marketplace plugins, by account email (comma-separated).
  const reviewers = (setting(env, 'PLATFORM_REVIEWERS') ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  return {
    platformDomains: domains,
    platformReviewers: reviewers,
    ...(pepper ? { passwordPepper: pepper } : {}),
    clientIp: (_request, bindings) => bindings.clientIp ?? null,
  };
}

/**
 * Builds the API app once per process or isolate and reuses it. A failed start is forgotten,
 * so the next request tries again instead of failing forever.
 */
export function once<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
