import { systemClock, type Clock, type Platform } from '@tuike/core';
import { createIntervalScheduler } from '@tuike/db-runtime';
import { createFileDatabases } from '@tuike/db-runtime/node';
import { createFileBlobStore } from '@tuike/blobs/node';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createVmSandbox } from '@tuike/plugin-runtime/node';
import type { AppConfig } from './context';
import { faultyDemo } from './plugins/demo-faults';
import { firstPartyPlugins } from './plugins/first-party';
import { createPluginRegistry } from './plugins/registry';

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

/**
 * For browser tests of flows driven by time (freeze periods, settlement, order timeouts): the
 * system clock plus the milliseconds written in `path`, re-read when the file changes. Only used
 * when TUIKE_CLOCK_OFFSET_FILE is set, which the test harness does and a deployment never does.
 */
export function offsetFileClock(path: string): Clock {
  let seen = '';
  let offset = 0;
  return {
    now() {
      try {
        const stat = statSync(path);
        const stamp = `${stat.mtimeMs}:${stat.size}`;
        if (stamp !== seen) {
          seen = stamp;
          offset = Number(readFileSync(path, 'utf8').trim()) || 0;
        }
      } catch {
        offset = 0;
      }
      return Date.now() + offset;
    },
  };
}


/**
 * What the Node server adds to the app's config: a watchdog that stops a plugin hook at its
 * budget (node:vm), and — only with TUIKE_TEST_PLUGINS=1, as the browser tests run it — the
 * deliberately faulty demo plugin beside the first-party ones.
 */
export function nodeAppConfig(env: Record<string, unknown>): Partial<AppConfig> {
  return {
    hookSandbox: () => createVmSandbox(),
    ...(env.TUIKE_TEST_PLUGINS === '1' ? { pluginRegistry: createPluginRegistry({ firstParty: [...firstPartyPlugins, faultyDemo] }) } : {}),
  };
}
