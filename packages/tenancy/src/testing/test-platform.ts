import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '@tuike/core';
import { createNodePlatform } from '../../../../apps/api/src/platform-node';
import { openControlPlane } from '../control-plane';

/** Real libSQL files in a temp folder, a clock the test moves, the control plane open. */
export async function openTestPlatform(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `tuike-${prefix}-`));
  const clock = manualClock(Date.UTC(2026, 10, 1));
  const platform = createNodePlatform({ dataDir, clock, timers: false });
  const control = await openControlPlane(platform);
  return {
    dataDir, clock, platform, control,
    async close() {
      await platform.databases.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestPlatform = Awaited<ReturnType<typeof openTestPlatform>>;
