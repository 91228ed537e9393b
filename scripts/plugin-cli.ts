// The plugin author's CLI: `npm run plugin -- publish <dir>` (and `register`, once per account).
//
//   publish <dir> [--dry-run]   imports the plugin's definition from <dir>/src/index.ts, checks it
//                               as the platform will, bundles the entry with esbuild (the SDK stays
//                               external: it is the only import a bundle may have), signs in,
//                               creates the listing if the account has none for this id, uploads the
//                               version (manifest + the bundle's sha256, size and entry) and submits
//                               it for review. --dry-run stops after the bundle.
//   register                    gives the signed-in account the author role.
//
// Environment: TUIKE_PLATFORM_URL (e.g. http://localhost:8787), TUIKE_AUTHOR_EMAIL,
// TUIKE_AUTHOR_PASSWORD. The listing is made from the definition's name and description, and from
// an optional "tuike" field in <dir>/package.json: { category, summary, description, screenshots }.
// Prints what it did and a last line of JSON; on failure prints `error CODE: message` and exits 1
// (2 for a usage or configuration mistake).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PluginDefinitionError, type PluginDefinition } from '@tuike/plugin-sdk';
import { manifestJson } from '@tuike/plugin-sdk/engine';
import { validateManifest } from '@tuike/plugin-runtime';

export interface CliIo {
  fetch: typeof fetch;
  env: Record<string, string | undefined>;
  cwd: string;
  out(line: string): void;
  err(line: string): void;
}

/** A failure with the stable code the CLI exits with. */
class CliError extends Error {
  constructor(readonly code: string, message: string, readonly details: string[] = [], readonly exitCode = 1) {
    super(message);
  }
}

const ENTRY = 'src/index.ts';
/** What a plugin bundle may import: the SDK, provided by the platform. Anything else is bundled or refused. */
const allowedImports = [/^@tuike\/plugin-sdk(\/.*)?$/];

const looksLikePlugin = (x: unknown): x is PluginDefinition =>
  typeof x === 'object' && x !== null && typeof (x as PluginDefinition).id === 'string' && typeof (x as PluginDefinition).tablePrefix === 'string' && typeof (x as PluginDefinition).hooks === 'object';

/** The plugin's definition: the default export, or its one exported definition. */
async function loadDefinition(dir: string): Promise<PluginDefinition> {
  const entry = join(dir, ENTRY);
  if (!existsSync(entry)) throw new CliError('PLUGIN_ENTRY_NOT_FOUND', `no ${ENTRY} in ${dir}`, [], 2);
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(entry).href) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof PluginDefinitionError) {
      throw new CliError(e.problems[0]?.code ?? 'PLUGIN_MANIFEST_INVALID', 'the plugin definition is refused', e.problems.map((p) => `${p.code} at ${p.path}: ${p.message}`));
    }
    throw new CliError('PLUGIN_ENTRY_FAILED', `importing ${entry} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (looksLikePlugin(module.default)) return module.default;
  const found = Object.values(module).filter(looksLikePlugin);
  if (found.length !== 1) throw new CliError('PLUGIN_NOT_EXPORTED', `${ENTRY} must export one plugin definition (definePlugin), as its default export or alone; found ${found.length}`);
  return found[0]!;
}

export interface BundleMeta {
  sha256: string;
  size: number;
  entry: string;
}

/** Bundles the plugin entry (ESM, no Node built-ins, SDK external) and measures the bytes. */
export async function bundlePlugin(dir: string): Promise<BundleMeta & { code: Uint8Array }> {
  let result;
  try {
    result = await build({
      entryPoints: [join(dir, ENTRY)],
      absWorkingDir: dir,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2022',
      // Kept external so the import check below names them (a Node built-in, the SDK); all else is bundled.
      external: ['@tuike/plugin-sdk', '@tuike/plugin-sdk/*', 'node:*'],
      write: false,
      metafile: true,
      legalComments: 'none',
      logLevel: 'silent',
      outfile: 'plugin.mjs',
    });
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
    throw new CliError('PLUGIN_BUNDLE_FAILED', 'esbuild could not bundle the plugin (a bundle cannot use Node built-ins)', errors.map((x) => `${x.location ? `${x.location.file}:${x.location.line}: ` : ''}${x.text}`));
  }
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  const foreign = [...new Set(imports.filter((p) => !allowedImports.some((a) => a.test(p))))];
  if (foreign.length) throw new CliError('PLUGIN_BUNDLE_IMPORTS', 'a plugin bundle may import only @tuike/plugin-sdk', foreign);
  const code = result.outputFiles[0]!.contents;
  return { code, sha256: createHash('sha256').update(code).digest('hex'), size: code.byteLength, entry: ENTRY };
}

interface ApiAnswer {
  status: number;
  body: any;
}

/** A small client of the platform API that keeps the session cookie and sends the Origin the API asks for. */
function platformClient(io: CliIo, baseUrl: string) {
  const origin = new URL(baseUrl).origin;
  let cookie = '';
  return async function call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    let res: Response;
    try {
      res = await io.fetch(`${origin}${path}`, {
        method,
        headers: { origin, accept: 'application/json', 'accept-language': 'en', ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new CliError('PLATFORM_UNREACHABLE', `${method} ${origin}${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const session = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('tk_platform='));
    if (session) cookie = session;
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  };
}

/** Throws the API's error (its code, message and problems) unless the answer is one of `ok`. */
function expectOk(answer: ApiAnswer, what: string, ok: number[] = [200, 201]): ApiAnswer {
  if (ok.includes(answer.status)) return answer;
  const error = (answer.body as { error?: { code?: string; message?: string; details?: { problems?: { code: string; path: string; message: string }[] } } } | null)?.error;
  const problems = (error?.details?.problems ?? []).map((p) => `${p.code} at ${p.path}: ${p.message}`);
  throw new CliError(error?.code ?? `HTTP_${answer.status}`, `${what}: ${error?.message ?? `HTTP ${answer.status}`}`, problems);
}

function settingFrom(io: CliIo, name: string): string {
  const value = io.env[name]?.trim();
  if (!value) throw new CliError('CLI_CONFIG_MISSING', `set ${name}`, [], 2);
  return value;
}

async function signIn(io: CliIo) {
  const call = platformClient(io, settingFrom(io, 'TUIKE_PLATFORM_URL'));
  const email = settingFrom(io, 'TUIKE_AUTHOR_EMAIL');
  expectOk(await call('POST', '/api/platform/login', { email, password: settingFrom(io, 'TUIKE_AUTHOR_PASSWORD') }), 'signing in');
  return call;
}

/** The listing made from the definition and the package's optional "tuike" field. */
function listingFor(dir: string, def: PluginDefinition) {
  const pkgFile = join(dir, 'package.json');
  const extra = (existsSync(pkgFile) ? (JSON.parse(readFileSync(pkgFile, 'utf8')) as { tuike?: Record<string, unknown> }).tuike : undefined) ?? {};
  const described = def.description ?? def.name;
  return {
    id: def.id,
    name: def.name,
    summary: extra.summary ?? described,
    description: extra.description ?? described,
    screenshots: extra.screenshots ?? [],
    category: extra.category ?? 'other',
  };
}

async function publish(dir: string, dryRun: boolean, io: CliIo) {
  const def = await loadDefinition(dir);
  const verdict = validateManifest(def);
  if (!verdict.ok) throw new CliError(verdict.errors[0]!.code, 'the platform would refuse this plugin', verdict.errors.map((e) => `${e.code} at ${e.path}: ${e.message}`));
  const bundle = await bundlePlugin(dir);
  const meta = { sha256: bundle.sha256, size: bundle.size, entry: bundle.entry };
  io.out(`${def.id} ${def.version}: bundle ${meta.size} bytes, sha256 ${meta.sha256}`);
  if (dryRun) return { plugin: def.id, version: def.version, status: 'dry-run', ...meta };

  const call = await signIn(io);
  const mine = expectOk(await call('GET', '/api/platform/plugins/mine'), 'listing your plugins');
  if (!(mine.body.plugins as { id: string }[]).some((p) => p.id === def.id)) {
    expectOk(await call('POST', '/api/platform/plugins', listingFor(dir, def)), `creating the listing ${def.id}`);
    io.out(`listing ${def.id} created`);
  }
  const path = `/api/platform/plugins/${def.id}/versions`;
  const versionPath = `${path}/${encodeURIComponent(def.version)}`;
  const upload = { manifest: manifestJson(def), bundle: meta };
  const added = await call('POST', path, upload);
  if (added.status === 409 && added.body?.error?.code === 'PLUGIN_VERSION_EXISTS') {
    const existing = expectOk(await call('GET', versionPath), `reading version ${def.version}`).body.version as { status: string; bundle: BundleMeta };
    if (existing.status !== 'draft') {
      if (existing.bundle.sha256 !== meta.sha256) expectOk(added, `uploading version ${def.version} (already ${existing.status}, with another bundle)`);
      io.out(`version ${def.version} is already ${existing.status} with this bundle`);
      return { plugin: def.id, version: def.version, status: existing.status, ...meta };
    }
    expectOk(await call('PUT', versionPath, upload), `replacing draft ${def.version}`);
    io.out(`draft ${def.version} replaced`);
  } else {
    expectOk(added, `uploading version ${def.version}`);
    io.out(`version ${def.version} uploaded`);
  }
  const submitted = expectOk(await call('POST', `${versionPath}/submit`), `submitting version ${def.version}`);
  io.out(`version ${def.version} submitted for review`);
  return { plugin: def.id, version: def.version, status: submitted.body.version.status as string, ...meta };
}

const usage = 'usage: npm run plugin -- publish <plugin dir> [--dry-run] | npm run plugin -- register';

/** Runs the CLI; resolves to the exit code. */
export async function runPluginCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    let result: Record<string, unknown>;
    if (command === 'publish') {
      const dirs = rest.filter((a) => !a.startsWith('--'));
      const unknown = rest.filter((a) => a.startsWith('--') && a !== '--dry-run');
      if (dirs.length !== 1 || unknown.length) throw new CliError('CLI_USAGE', usage, [], 2);
      // npm runs scripts in the repository root; INIT_CWD is where the author typed the command.
      result = await publish(resolve(io.env.INIT_CWD ?? io.cwd, dirs[0]!), rest.includes('--dry-run'), io);
    } else if (command === 'register' && rest.length === 0) {
      const call = await signIn(io);
      result = { account: expectOk(await call('POST', '/api/platform/plugins/author'), 'taking the author role').body.account };
    } else {
      throw new CliError('CLI_USAGE', usage, [], 2);
    }
    io.out(JSON.stringify(result));
    return 0;
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    io.err(`error ${e.code}: ${e.message}`);
    for (const d of e.details) io.err(`  ${d}`);
    return e.exitCode;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runPluginCli(process.argv.slice(2), { fetch, env: process.env, cwd: process.cwd(), out: (l) => console.log(l), err: (l) => console.error(l) })
    .then((code) => { process.exitCode = code; })
    .catch((e: unknown) => {
      console.error('error INTERNAL:', e);
      process.exitCode = 1;
    });
}
