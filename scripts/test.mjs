// `npm test`: install what is missing, then every lane — unit/integration (Node, real libSQL files),
// the build, the edge lane (the built Worker in workerd against a libSQL HTTP server) and the
// browser lane (Chromium driven by playwright-core). Prints one `N passed, N failed` line at the end.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstall } from './ensure-install.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const reports = join(root, 'tests', '.tmp', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

ensureInstall();

const lanes = [
  { name: 'unit+integration', config: 'vitest.config.ts' },
  { name: 'build', run: 'npx turbo run build --output-logs=errors-only' },
  { name: 'edge (workerd)', config: 'tests/edge/vitest.config.ts' },
  { name: 'browser (chromium)', config: 'tests/e2e/vitest.config.ts' },
];

let passed = 0;
let failed = 0;
for (const lane of lanes) {
  console.log(`\n=== ${lane.name} ===`);
  if (lane.run) {
    try { execSync(lane.run, { cwd: root, stdio: 'inherit', env }); } catch { failed++; console.error(`✗ ${lane.name} failed`); break; }
    continue;
  }
  const out = join(reports, `${lane.name.replace(/\W+/g, '-')}.json`);
  const r = spawnSync('npx', ['vitest', 'run', '--config', lane.config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], { cwd: root, stdio: 'inherit', env });
  if (existsSync(out)) {
    const json = JSON.parse(readFileSync(out, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests + (json.numFailedTestSuites ?? 0);
  } else if (r.status !== 0) {
    failed++;
  }
  if (r.status !== 0 && failed === 0) failed++;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
