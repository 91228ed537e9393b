import { createClient, type Client } from '@libsql/client';
import type { DatabasesPort } from '@tuike/core';
import { HandleLru } from './lru';
import { withWriteQueue, type QueuedClient } from './write-queue';
import { assertDatabaseName } from './database-name';

/** Creates and removes shop databases on the server side (Turso Platform API, or sqld's admin API). */
export interface DatabaseProvisioner {
  create(name: string): Promise<void>;
  drop(name: string): Promise<void>;
}

export interface HttpDatabasesOptions {
  /** URL of the control-plane database. */
  controlUrl: string;
  /** Shop database URL with `{name}` in it, e.g. `libsql://{name}-myorg.turso.io`. */
  shopUrlTemplate: string;
  authToken?: string;
  provisioner: DatabaseProvisioner;
  maxOpen?: number;
  fetch?: typeof fetch;
}

/**
 * libSQL over HTTP (Turso or sqld). Each request is a Hrana pipeline over fetch, so this runs in
 * workerd. HTTP clients hold no socket while idle; the LRU bounds the per-client state.
 */
export function createHttpDatabases(opts: HttpDatabasesOptions): DatabasesPort {
  const connect = (url: string): QueuedClient =>
    withWriteQueue(createClient({ url, authToken: opts.authToken, ...(opts.fetch ? { fetch: opts.fetch } : {}) }));
  const lru = new HandleLru<QueuedClient>(opts.maxOpen ?? 1000, (c) => c.pending > 0, (c) => c.close());
  let control: Client | undefined;
  const urlOf = (name: string) => opts.shopUrlTemplate.replaceAll('{name}', assertDatabaseName(name));

  function get(name: string): QueuedClient {
    let client = lru.get(name);
    if (!client) {
      client = connect(urlOf(name));
      lru.set(name, client);
    }
    return client;
  }

  return {
    async control() {
      control ??= connect(opts.controlUrl);
      return control;
    },
    shop: async (locator) => get(locator.name),
    async lease(locator) {
      const client = get(locator.name);
      client.retain();
      return client;
    },
    async provision(name) {
      await opts.provisioner.create(assertDatabaseName(name));
      return { name };
    },
    async drop(locator) {
      lru.delete(locator.name);
      await opts.provisioner.drop(locator.name);
    },
    openCount: () => lru.size,
    async close() {
      lru.clear();
      control?.close();
      control = undefined;
    },
  };
}
