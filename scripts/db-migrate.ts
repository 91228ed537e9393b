// `npm run db:migrate`: migrate the control plane, then every shop behind, with a progress bar.
// Exits non-zero if any shop failed; running it again resumes with the shops still behind.
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { openControlPlane, migrateAllShops, LATEST_SHOP_SCHEMA } from '@tuike/tenancy';
import { createNodePlatform } from '@tuike/api/node';
import { createEdgePlatform } from '@tuike/api/edge';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const concurrency = Number(arg('concurrency') ?? 8);
const platform = process.env.LIBSQL_CONTROL_URL
  ? createEdgePlatform(process.env)
  : createNodePlatform({ dataDir: process.env.TUIKE_DATA_DIR ?? join(process.cwd(), 'data'), timers: false, maxOpenShops: concurrency * 2 });

const started = performance.now();
const control = await openControlPlane(platform);
const bar = new SingleBar({ format: 'shops [{bar}] {value}/{total} {percentage}% eta {eta}s', stream: process.stderr }, Presets.shades_classic);
let barStarted = false;
const result = await migrateAllShops(platform, control, {
  concurrency,
  onProgress(done, total) {
    if (!barStarted) { bar.start(total, 0); barStarted = true; }
    bar.update(done);
  },
});
if (barStarted) bar.stop();
await platform.databases.close();
const seconds = (performance.now() - started) / 1000;
console.log(`schema v${LATEST_SHOP_SCHEMA}: ${result.migrated} migrated, ${result.failed.length} failed, ${result.total} behind (${seconds.toFixed(1)} s)`);
for (const f of result.failed) console.error(`  ✗ ${f.slug}: ${f.error}`);
process.exit(result.failed.length ? 1 : 0);
