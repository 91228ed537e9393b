import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestJson } from '@tuike/plugin-sdk/engine';
import { bundlePlugin, runPluginCli, type CliIo } from '../../../../scripts/plugin-cli';
import { createTestApp, type TestApp } from '../testing/test-app';

const ROOT = resolve(__dirname, '../../../..');
// Inside the repository, so a fixture's `@tuike/plugin-sdk` import resolves as a plugin package's does.
const FIXTURES = join(ROOT, 'node_modules', '.cache', `tuike-plugin-cli-test-${process.pid}`);
const REVIEWER = 'cli-reviewer@example.com';

/** Writes a plugin package with `src/index.ts` = `source`; returns its folder. */
function fixture(name: string, source: string, pkg?: Record<string, unknown>) {
  const dir = join(FIXTURES, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'index.ts'), source);
  if (pkg) writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  return dir;
}

const pluginSource = (id: string, version: string, extra = '') => `
import { definePlugin, defineSettings, field } from '@tuike/plugin-sdk';
${extra}
export default definePlugin({
  id: '${id}',
  name: { zh: '打卡', en: 'Punch card' },
  description: { zh: '买满十次送一次', en: 'Buy ten, get one' },
  version: '${version}',
  engine: '^1.0.0',
  capabilities: ['events.order'],
  settings: defineSettings({ punches: field.number({ label: { zh: '次数', en: 'Punches' }, default: 10, min: 1, integer: true }) }),
  migrations: ['CREATE TABLE plg_${id.replace(/-/g, '_')}_cards (member_id TEXT PRIMARY KEY, punches INTEGER NOT NULL DEFAULT 0)'],
  hooks: { events: { 'order.paid': async () => {} } },
});
`;

let t: TestApp;
let author: { email: string; password: string };
beforeAll(async () => {
  t = await createTestApp({ loginRateLimit: { max: 10_000, windowMs: 60_000 }, platformReviewers: [REVIEWER] });
  author = await t.signupShop('cliauthor');
});
afterAll(async () => {
  await t.close();
  rmSync(FIXTURES, { recursive: true, force: true });
});

/** Runs the CLI in this process against the in-process app. */
async function cli(argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    fetch: (input, init) => Promise.resolve(t.app.request(input as string, init, { clientIp: '127.0.0.1' })),
    env: { TUIKE_PLATFORM_URL: 'http://localhost', TUIKE_AUTHOR_EMAIL: author.email, TUIKE_AUTHOR_PASSWORD: author.password, ...env },
    cwd: ROOT,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  };
  const code = await runPluginCli(argv, io);
  return { code, out, err, result: code === 0 ? JSON.parse(out.at(-1)!) : null };
}

const storedVersion = async (id: string, version: string) =>
  (await (await t.control()).execute({ sql: 'SELECT status, manifest, bundle FROM plugin_versions WHERE plugin_id = ? AND version = ?', args: [id, version] })).rows[0];

describe('npm run plugin -- publish <dir>', () => {
  it('refuses an account that is not an author, and publishes once `register` gave it the role', async () => {
    const dir = fixture('punch-card', pluginSource('punch-card', '1.0.0'), { name: 'punch-card', tuike: { category: 'members', summary: { zh: '集次卡', en: 'Punch cards' } } });
    const refused = await cli(['publish', dir]);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/^error FORBIDDEN: listing your plugins/);
    expect(await storedVersion('punch-card', '1.0.0')).toBeUndefined();

    expect((await cli(['register'])).code).toBe(0);
    const run = await cli(['publish', dir]);
    expect(run.code, run.err.join('\n')).toBe(0);
    expect(run.out).toEqual(expect.arrayContaining(['listing punch-card created', 'version 1.0.0 uploaded', 'version 1.0.0 submitted for review']));

    // The bundle is reproducible: the stored digest is the one esbuild gives for the same entry.
    const bundle = await bundlePlugin(dir);
    expect(run.result).toEqual({ plugin: 'punch-card', version: '1.0.0', status: 'submitted', sha256: bundle.sha256, size: bundle.size, entry: 'src/index.ts' });
    const row = await storedVersion('punch-card', '1.0.0');
    expect(row).toMatchObject({ status: 'submitted' });
    expect(JSON.parse(String(row!.bundle))).toEqual({ sha256: bundle.sha256, size: bundle.size, entry: 'src/index.ts' });
    const { default: def } = await import(join(dir, 'src', 'index.ts'));
    expect(JSON.parse(String(row!.manifest))).toEqual(manifestJson(def));
    const listing = (await (await t.control()).execute("SELECT category, summary FROM plugins WHERE id = 'punch-card'")).rows[0];
    expect(listing).toMatchObject({ category: 'members', summary: JSON.stringify({ zh: '集次卡', en: 'Punch cards' }) });
    // The bundle imports nothing but the SDK, which the platform provides.
    expect(new TextDecoder().decode(bundle.code)).toMatch(/from "@tuike\/plugin-sdk"/);
  });

  it('is safe to run again: a submitted version with the same bundle is left as it is', async () => {
    const again = await cli(['publish', join(FIXTURES, 'punch-card')]);
    expect(again.code, again.err.join('\n')).toBe(0);
    expect(again.out).toContain('version 1.0.0 is already submitted with this bundle');
    expect(again.result.status).toBe('submitted');
  });

  it('stops before the network on a definition the platform would refuse, with the runtime\'s code', async () => {
    const dir = fixture('bad-tables', pluginSource('bad-tables', '1.0.0').replace("migrations: ['", "migrations: ['DROP TABLE orders', '"));
    const run = await cli(['publish', dir], { TUIKE_PLATFORM_URL: 'http://unreachable.invalid' });
    expect(run.code).toBe(1);
    expect(run.err[0]).toBe('error PLUGIN_TABLE_OUTSIDE_PREFIX: the plugin definition is refused');
    expect(run.err[1]).toMatch(/PLUGIN_TABLE_OUTSIDE_PREFIX at migrations\[0\]/);
  });

  it('refuses a bundle that imports anything but the SDK', async () => {
    const dir = fixture('fs-user', pluginSource('fs-user', '1.0.0', "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;"));
    const run = await cli(['publish', dir, '--dry-run']);
    expect(run.code).toBe(1);
    expect(run.err).toEqual(['error PLUGIN_BUNDLE_IMPORTS: a plugin bundle may import only @tuike/plugin-sdk', '  node:fs']);
  });

  it('reports the API\'s code when the platform refuses the version', async () => {
    const dir = fixture('punch-card-old', pluginSource('punch-card', '1.0.0').replace("'events.order'", "'events.order', 'orders.read'"));
    const run = await cli(['publish', dir]);
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(/^error PLUGIN_VERSION_EXISTS: uploading version 1\.0\.0 \(already submitted, with another bundle\)/);
  });

  it('checks and bundles without signing in on --dry-run, and explains usage and missing settings with exit code 2', async () => {
    const dry = await cli(['publish', join(FIXTURES, 'punch-card'), '--dry-run'], { TUIKE_AUTHOR_PASSWORD: undefined });
    expect(dry.code).toBe(0);
    expect(dry.result).toMatchObject({ plugin: 'punch-card', status: 'dry-run' });
    expect((await cli(['publish'])).code).toBe(2);
    expect((await cli(['publish', join(FIXTURES, 'nowhere')])).err[0]).toMatch(/^error PLUGIN_ENTRY_NOT_FOUND/);
    const missing = await cli(['publish', join(FIXTURES, 'punch-card')], { TUIKE_AUTHOR_PASSWORD: '' });
    expect(missing).toMatchObject({ code: 2, err: ['error CLI_CONFIG_MISSING: set TUIKE_AUTHOR_PASSWORD'] });
    const wrong = await cli(['publish', join(FIXTURES, 'punch-card')], { TUIKE_AUTHOR_PASSWORD: 'not-the-password-1' });
    expect(wrong.err[0]).toMatch(/^error INVALID_CREDENTIALS/);
  });
});

describe('the CLI as authors run it, against a started server', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [k, value] of Object.entries(req.headers)) for (const x of [value].flat()) if (x !== undefined) headers.append(k, x);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const response = await t.app.fetch(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined }), { clientIp: '127.0.0.1' });
      response.headers.forEach((value, key) => { if (key !== 'set-cookie') res.setHeader(key, value); });
      res.setHeader('set-cookie', response.headers.getSetCookie());
      res.writeHead(response.status);
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await new Promise((ok) => server.close(ok)); });

  const runCli = (args: string[], over: Record<string, string> = {}) => new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const env = { ...process.env, TUIKE_PLATFORM_URL: url, TUIKE_AUTHOR_EMAIL: author.email, TUIKE_AUTHOR_PASSWORD: author.password, ...over };
    // What `npm run plugin --` runs after its install check (left out: a test never installs packages).
    execFile(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/plugin-cli.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });

  it('publishes and submits a version, printing the result; the version then waits for review', async () => {
    const dir = fixture('punch-card-2', pluginSource('punch-card', '1.1.0'));
    const run = await runCli(['publish', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ plugin: 'punch-card', version: '1.1.0', status: 'submitted' });
    expect((await storedVersion('punch-card', '1.1.0'))?.status).toBe('submitted');
  }, 60_000);

  it('exits non-zero with the error code when the platform refuses', async () => {
    const stranger = await t.signupShop('clistranger');
    const run = await runCli(['publish', join(FIXTURES, 'punch-card-2')], { TUIKE_AUTHOR_EMAIL: stranger.email, TUIKE_AUTHOR_PASSWORD: stranger.password });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error FORBIDDEN: listing your plugins/m);
    expect(run.stdout).not.toMatch(/uploaded|submitted/);
  }, 60_000);
});
