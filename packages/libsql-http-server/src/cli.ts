#!/usr/bin/env tsx
/**
 * Runs the server standalone:
 *   tsx packages/libsql-http-server/src/cli.ts --data ./data/shops --port 8081 [--host 127.0.0.1] [--token X]
 */
import { parseArgs } from 'node:util';
import { startLibsqlHttpServer } from './index';

const usage = 'usage: cli.ts --data <dir> [--port 8081] [--host 127.0.0.1] [--token <auth token>]';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '8081' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const port = Number(values.port);
if (values.help || !values.data || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const server = await startLibsqlHttpServer({ dataDir: values.data, port, host: values.host, authToken: values.token });
console.log(`libSQL HTTP server listening on ${server.url}`);
console.log(`  databases: ${values.data}/<name>.db, one per namespace`);
console.log(`  client URL: ${server.url}/ns/<name>/   (namespaceUrl(url, name); keep the final slash)`);
console.log(`  create:     curl -X POST ${server.url}/v1/namespaces/<name>/create${values.token ? " -H 'authorization: Bearer <token>'" : ''}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  });
}
