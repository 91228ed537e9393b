import { createClient, type Client } from '@libsql/client';
import { closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseLocator, DatabasesPort } from '@tuike/core';
import { HandleLru } from './lru';
import { withWriteQueue, type QueuedClient } from './write-queue';
import { assertDatabaseName } from './database-name';
import { installStatementCache } from './statement-cache';

export interface FileDatabasesOptions {
  /** Root folder: control.db at the top, one file per shop under shops/. */
  dir: string;
  /** How many shop databases stay open at once. */
  maxOpen?: number;
}

/** The embedded default: libSQL files on local disk, no accounts, no servers. */
export function createFileDatabases(opts: FileDatabasesOptions): DatabasesPort {
  installStatementCache();
  const shopsDir = join(opts.dir, 'shops');
  mkdirSync(shopsDir, { recursive: true });
  const pathOf = (name: string) => join(shopsDir, `${assertDatabaseName(name)}.db`);
  /** Opens in progress, with how many callers asked for a lease while waiting. */
  const opening = new Map<string, { promise: Promise<QueuedClient>; leases: number }>();
  const lru = new HandleLru<QueuedClient>(opts.maxOpen ?? 500, (c) => c.pending > 0, (c) => c.close());
  let control: Promise<Client> | undefined;

  async function open(path: string): Promise<QueuedClient> {
    // The busy timeout covers other processes on the same file (db:migrate beside the server, the
    // libSQL HTTP server); within this process the write queue already keeps writers apart.
    // One connection per file. The client's pool would open another for every query issued while
    // one is borrowed — a borrow spans an await, so four reads started together hold four — and
    // connections of one file take turns, each turn starting with a page cache the others' commits
    // made stale (and prepared statements to make again). Every call runs synchronously on it, so
    // one loses nothing; queries simply wait their turn. Nothing here opens an interactive
    // transaction (group commit runs as one batch), which would hold it across awaits.
    const client = withWriteQueue(createClient({ url: `file:${path}`, timeout: 5000, concurrency: 1 }), { groupCommit: true });
    // WAL lets readers run beside the single writer and survives a crash mid-commit.
    await client.execute('PRAGMA journal_mode=WAL');
    return client;
  }

  function get(name: string, lease: boolean): Promise<QueuedClient> {
    const cached = lru.get(name);
    if (cached) {
      if (lease) cached.retain();
      return Promise.resolve(cached);
    }
    let pending = opening.get(name);
    if (!pending) {
      const path = pathOf(name);
      if (!existsSync(path)) return Promise.reject(new Error(`shop database ${name} does not exist`));
      // Concurrent first requests for one shop share one open; leases are taken before the
      // handle enters the LRU, so it is busy from its first moment there.
      const entry = { leases: 0 } as { leases: number; promise: Promise<QueuedClient> };
      entry.promise = open(path)
        .then((client) => {
          for (let i = 0; i < entry.leases; i++) client.retain();
          lru.set(name, client);
          return client;
        })
        .finally(() => opening.delete(name));
      opening.set(name, entry);
      pending = entry;
    }
    if (lease) pending.leases++;
    return pending.promise;
  }

  return {
    control() {
      control ??= open(join(opts.dir, 'control.db'));
      return control;
    },
    shop: (locator: DatabaseLocator) => get(locator.name, false),
    lease: (locator: DatabaseLocator) => get(locator.name, true),
    async provision(name) {
      // An empty file is an empty SQLite database; creating it without opening a connection
      // spares a native open/close (libsql-js keeps ~160 KB of every connection it ever opened).
      closeSync(openSync(pathOf(name), 'a'));
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
