import { systemClock, type Clock, type Platform } from '@tuike/core';
import { createIntervalScheduler } from '@tuike/db-runtime';
import { createFileDatabases } from '@tuike/db-runtime/node';
import { createFileBlobStore } from '@tuike/blobs/node';
import { join } from 'node:path';

export interface NodePlatformOptions {
  /** Folder of the libSQL files (control.db, shops/*.db). */
  dataDir: string;
  maxOpenShops?: number;
  clock?: Clock;
  /** Run scheduled jobs on timers (the server) or only when asked (tests). */
  timers?: boolean;
}

/** The embedded default: libSQL files, in-process timers. No accounts, no servers. */
export function createNodePlatform(opts: NodePlatformOptions): Platform {
  return {
    databases: createFileDatabases({ dir: opts.dataDir, maxOpen: opts.maxOpenShops }),
    clock: opts.clock ?? systemClock,
    blobs: createFileBlobStore({ dir: join(opts.dataDir, 'blobs') }),
    scheduler: createIntervalScheduler({ timers: opts.timers ?? true, onError: (name, e) => console.error(`[tuike] job ${name} failed`, e) }),
  };
}
