import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const root = join(import.meta.dirname, '..', '..');
export const screenshotDir = join(root, 'tests', 'screenshots');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * The built Node server (what `npm start` runs) on a free port over a fresh data folder. Browser
 * tests get the test clock (an offset file re-checked on every reading of the time) and the test
 * plugins; `asDeployed` leaves both out, for benchmarks that should measure what a shop runs.
 */
export async function startServer(opts: { asDeployed?: boolean } = {}) {
  const entry = join(root, 'apps/web/.output/node/server/index.mjs');
  if (!existsSync(entry)) throw new Error('build first: npm run build');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tuike-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [...(process.env.TUIKE_SERVER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TUIKE_SERVER_PROFILE}`] : []), entry], {
    env: {
      ...process.env, PORT: String(port), NITRO_PORT: String(port), TUIKE_DATA_DIR: dataDir,
      ...(opts.asDeployed ? {} : { TUIKE_CLOCK_OFFSET_FILE: join(dataDir, 'clock-offset'), TUIKE_TEST_PLUGINS: '1' }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => { log += d; });
  child.stderr?.on('data', (d) => { log += d; });
  const base = `http://localhost:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, base, dataDir,
    log: () => log,
    /** Moves the server's clock forward (freeze periods, settlement, timeouts); the server reads the offset file. */
    advanceClock(ms: number) {
      const file = join(dataDir, 'clock-offset');
      const current = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
      writeFileSync(file, String(current + ms));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium (.ci/run does)`);
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

