import type { Client } from '@libsql/client';
import type { Clock } from './clock';

/**
 * Runtime ports. Entry points (Node server, Worker) build them and pass them into createApp;
 * nothing imports an adapter globally, so the same code runs embedded and on the edge.
 */

/** Where a shop's database lives: a name the adapter turns into a file path or a URL. */
export interface DatabaseLocator {
  name: string;
}

/** A shop database client that a request leases, so the LRU never closes it mid-request. */
export interface ShopClient extends Client {
  retain(): void;
  release(): void;
}

export interface DatabasesPort {
  /** The control-plane database (tenants, domains, plans, accounts, marketplace). */
  control(): Promise<Client>;
  /** A shop's database client; opened lazily and kept in a bounded LRU. */
  shop(locator: DatabaseLocator): Promise<ShopClient>;
  /**
   * The same client, retained for the caller until it calls release(): the lease is taken the
   * moment the handle leaves the LRU, so no other shop's open can evict it in between.
   */
  lease(locator: DatabaseLocator): Promise<ShopClient>;
  /** Creates the shop database if it does not exist (idempotent: a retried signup calls it again). */
  provision(name: string): Promise<DatabaseLocator>;
  /** Removes a shop database (idempotent). */
  drop(locator: DatabaseLocator): Promise<void>;
  /** How many shop databases are open now (for tests and benchmarks of the LRU bound). */
  openCount(): number;
  close(): Promise<void>;
}

export interface SchedulerPort {
  /** Runs fn every intervalMs (embedded: a timer; edge: a Cron Trigger calls runDue). */
  every(name: string, intervalMs: number, fn: () => Promise<void>): void;
  /** Runs every registered job now; the Worker's scheduled() handler calls this. */
  runAll(): Promise<void>;
  stop(): void;
}

/** Images now; posters and backups later. Embedded: files under ./data; edge: R2. */
export interface BlobsPort {
  put(key: string, body: Uint8Array, meta: { contentType: string }): Promise<void>;
  get(key: string): Promise<{ body: Uint8Array; contentType: string } | null>;
  delete(key: string): Promise<void>;
}

export interface Platform {
  databases: DatabasesPort;
  clock: Clock;
  scheduler: SchedulerPort;
  blobs: BlobsPort;
}
