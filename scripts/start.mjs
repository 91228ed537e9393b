// `npm start`: install what is missing, build what is stale, seed the demo shop, serve.
import { execSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstall } from './ensure-install.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8787);
const dataDir = process.env.TUIKE_DATA_DIR ?? join(root, 'data');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TUIKE_DATA_DIR: dataDir };

ensureInstall();
console.log('[tuike] building (cached when nothing changed)…');
execSync('npx turbo run build:node --filter=@tuike/web --output-logs=errors-only', { cwd: root, stdio: 'inherit', env });
const seeded = execSync('npx tsx scripts/seed-demo.ts', { cwd: root, env, encoding: 'utf8' });
const owner = JSON.parse(seeded.trim().split('\n').at(-1));

const server = spawn(process.execPath, [join(root, 'apps/web/.output/node/server/index.mjs')], {
  cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...env, PORT: String(port), NITRO_PORT: String(port) },
});
server.stdout.on('data', (chunk) => process.stdout.write(chunk));
server.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));

const base = `http://localhost:${port}`;
console.log(`
  推客 Tuike is running on the embedded default (libSQL files in ${dataDir})

  Storefront   http://demo.localhost:${port}/        (or ${base}/s/demo/)
  Shop admin   http://demo.localhost:${port}/admin   (or ${base}/s/demo/admin)
               owner: ${owner.email}  password: ${owner.password}
  Platform     ${base}/                  sign up a new shop: ${base}/platform/signup
`);
