// Installs dependencies when node_modules is missing or older than the lockfile, so that
// `npm start` and `npm test` work on a fresh clone with nothing but Node and npm.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.tuike-install-stamp');

export function ensureInstall() {
  const want = existsSync(lock) ? createHash('sha256').update(readFileSync(lock)).digest('hex') : 'no-lock';
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  // npm keeps its own record of the last install; one newer than the lockfile means `npm ci` or
  // `npm install` already ran for this lockfile (CI does that before `npm test`).
  const hidden = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(hidden) && existsSync(lock) && statSync(hidden).mtimeMs >= statSync(lock).mtimeMs) {
    writeFileSync(stamp, want);
    return;
  }
  console.log('[tuike] installing dependencies…');
  execSync(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, want);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureInstall();
