import type { DatabaseProvisioner } from './http-databases';
import { createTursoPlatformClient, type TursoPlatformClientOptions } from './turso-platform';

/** Turso: one database per shop, created through the Platform API (createDatabase is retry-safe). */
export function tursoProvisioner(opts: TursoPlatformClientOptions): DatabaseProvisioner {
  const client = createTursoPlatformClient(opts);
  return {
    async create(name) { await client.createDatabase(name); },
    async drop(name) { await client.deleteDatabase(name); },
  };
}

/**
 * Self-hosted sqld (and our local libSQL HTTP server): namespaces through the admin API,
 * `POST /v1/namespaces/{name}/create` and `DELETE /v1/namespaces/{name}`. An existing namespace
 * counts as created, so a retried signup goes on.
 */
export function sqldAdminProvisioner(adminUrl: string, opts: { authToken?: string; fetch?: typeof fetch } = {}): DatabaseProvisioner {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(opts.authToken ? { authorization: `Bearer ${opts.authToken}` } : {}) };
  const call = async (method: string, path: string, okStatuses: number[]) => {
    const res = await doFetch(new URL(path, adminUrl), { method, headers, body: method === 'POST' ? '{}' : undefined });
    if (!res.ok && !okStatuses.includes(res.status)) throw new Error(`sqld admin ${method} ${path} → ${res.status} ${await res.text()}`);
    await res.body?.cancel();
  };
  return {
    create: (name) => call('POST', `/v1/namespaces/${encodeURIComponent(name)}/create`, [409]),
    drop: (name) => call('DELETE', `/v1/namespaces/${encodeURIComponent(name)}`, [404]),
  };
}
