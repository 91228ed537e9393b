import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@solidjs/start/config';

/**
 * One app, two build targets, chosen by TUIKE_TARGET:
 *   node → nitro `node-server` in .output/node (libSQL files through the native binding)
 *   edge → nitro `cloudflare-module` in .output/edge (libSQL over HTTP, no Node-only code)
 * Each target has its own output folder, so one build never overwrites the other. The
 * intermediate .vinxi folder is shared: run the two builds one after the other, not at once.
 */
const here = dirname(fileURLToPath(import.meta.url));
const target = process.env.TUIKE_TARGET === 'edge' ? 'edge' : 'node';
const outputDir = join(here, '.output', target);
const output = { dir: outputDir, serverDir: join(outputDir, 'server'), publicDir: join(outputDir, 'public') };

/** `#api-app` is the one server module that differs per target; the other is never bundled. */
const apiAppModule = join(here, 'src/server', target === 'edge' ? 'app.edge.ts' : 'app.node.ts');

/** Runtimes that pick the Web (fetch) build of a package, e.g. `@libsql/client/web`. */
const workerConditions = ['workerd', 'worker', 'browser'];

/**
 * libsql loads its native binding with require(`@libsql/${platform}`), which the file tracer
 * cannot follow: name the installed platform packages so they are copied into .output/node.
 */
function nativeLibsqlFiles(): string[] {
  const fromClient = createRequire(createRequire(import.meta.url).resolve('@libsql/client'));
  const scope = join(dirname(fromClient.resolve('libsql')), '..', '@libsql');
  return readdirSync(scope)
    .filter((name) => /^(linux|darwin|win32)-/.test(name))
    .flatMap((name) => ['package.json', 'index.node'].map((file) => join(scope, name, file)))
    .filter((file) => existsSync(file));
}

const nodeServer = {
  preset: 'node-server',
  output,
  externals: { traceInclude: nativeLibsqlFiles() },
};

const edgeServer = {
  preset: 'cloudflare-module',
  output,
  // Both set explicitly: then nitro never reads a wrangler.toml from a parent folder (it would
  // merge the repository's into our output) and writes no wrangler.json of its own. The
  // deployment's wrangler.toml sets `main = apps/web/.output/edge/server/index.mjs`,
  // `assets = { directory = apps/web/.output/edge/public, binding = "ASSETS" }` and the
  // `nodejs_compat` flag (h3's AsyncLocalStorage needs node:async_hooks).
  cloudflare: { deployConfig: false, nodeCompat: true },
  // The Worker's scheduled() (Cron Trigger) runs the app's jobs.
  plugins: [join(here, 'src/server/scheduled-plugin.ts')],
};

export default defineConfig({
  ssr: true,
  middleware: './src/middleware.ts',
  server: target === 'edge' ? edgeServer : nodeServer,
  vite: ({ router }: { router: 'server' | 'client' | 'server-function' }) => ({
    resolve: { alias: { '#api-app': apiAppModule } },
    ...(target === 'edge' && router !== 'client'
      ? { ssr: { resolve: { conditions: workerConditions, externalConditions: workerConditions } } }
      : {}),
  }),
});
