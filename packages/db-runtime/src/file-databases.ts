import { createClient, type Client } from '@libsql/client';
import { mkdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseLocator, DatabasesPort } from '@tuike/core';
import { HandleLru } from './lru';
import { withWriteQueue, type QueuedClient } from './write-queue';
import { assertDatabaseName } from './database-name';

export interface FileDatabasesOptions {
  /** Root folder: control.db at the top, one file per shop under shops/. */
  dir: string;
  /** How many shop databases stay open at once. */
  maxOpen?: number;
}

/** The embedded default: libSQL files on local disk, no accounts, no servers. */
export function createFileDatabases(opts: FileDatabasesOptions): DatabasesPort {
  const shopsDir = join(opts.dir, 'shops');
  mkdirSync(shopsDir, { recursive: true });
  const pathOf = (name: string) => join(shopsDir, `${assertDatabaseName(name)}.db`);
  const opening = new Map<string, Promise<QueuedClient>>();
  const lru = new HandleLru<QueuedClient>(opts.maxOpen ?? 500, (c) => c.pending > 0, (c) => c.close());
  let control: Promise<Client> | undefined;

  async function open(path: string): Promise<QueuedClient> {
    const client = withWriteQueue(createClient({ url: `file:${path}` }));
    // WAL lets readers run beside the single writer and survives a crash mid-commit.
    await client.execute('PRAGMA journal_mode=WAL');
    return client;
  }

  return {
    control() {
      control ??= open(join(opts.dir, 'control.db'));
      return control;
    },
    async shop(locator: DatabaseLocator) {
      const cached = lru.get(locator.name);
      if (cached) return cached;
      const path = pathOf(locator.name);
      if (!existsSync(path)) throw new Error(`shop database ${locator.name} does not exist`);
      // Concurrent first requests for one shop share one open.
      let pendingOpen = opening.get(locator.name);
      if (!pendingOpen) {
        pendingOpen = open(path).then((client) => { lru.set(locator.name, client); return client; })
          .finally(() => opening.delete(locator.name));
        opening.set(locator.name, pendingOpen);
      }
      return pendingOpen;
    },
    async provision(name) {
      const client = await open(pathOf(name));
      client.close();
      return { name };
    },
    async drop(locator) {
      lru.delete(locator.name);
      const path = pathOf(locator.name);
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
    openCount: () => lru.size,
    async close() {
      lru.clear();
      if (control) (await control).close();
      control = undefined;
    },
  };
}
