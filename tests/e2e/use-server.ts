import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer } from './harness';

/**
 * One built server and one Chromium per test file, started before its tests and stopped after.
 * The returned object is filled in by beforeAll; read its fields inside tests.
 */
export function useServerAndBrowser() {
  const env = {} as { server: Awaited<ReturnType<typeof startServer>>; browser: Browser };
  beforeAll(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
