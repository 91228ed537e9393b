import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, protocolError } from './errors';
import { cursorEntries, runBatch, runPipeline, type HranaVersion } from './hrana-pipeline';
import { decodeCursorReqBody, decodePipelineReqBody, type PipelineRespBody } from './hrana-protocol';
import { DEFAULT_NAMESPACE, isValidNamespace } from './namespace-url';
import { LockWaiters } from './lock-waiters';
import { NamespaceStore } from './namespaces';
import { SqlConnection } from './sql-connection';
import { StreamRegistry, type Stream } from './streams';

export interface LibsqlHttpServerOptions {
  /** Folder of the databases: namespace `x` is the file `{dataDir}/x.db`. Created if missing. */
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** When set, Hrana and admin requests need `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** An idle stream is closed (rolling back its transaction) after this long. sqld uses 10 s. */
  streamIdleTimeoutMs?: number;
  /** How long a statement waits for another writer's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export interface LibsqlHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:8081`; use `namespaceUrl(url, name)` for a database. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function startLibsqlHttpServer(opts: LibsqlHttpServerOptions): Promise<LibsqlHttpServer> {
  const namespaces = new NamespaceStore(opts.dataDir);
  const streams = new StreamRegistry(opts.streamIdleTimeoutMs ?? 10_000);
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5_000;
  const host = opts.host ?? '127.0.0.1';
  const lockWaiters = new Map<string, LockWaiters>();

  function openConnection(namespace: string): SqlConnection {
    if (!namespaces.exists(namespace)) throw namespaceNotFound(namespace);
    let waiters = lockWaiters.get(namespace);
    if (!waiters) lockWaiters.set(namespace, (waiters = new LockWaiters()));
    try {
      return new SqlConnection(namespaces.fileOf(namespace), busyTimeoutMs, waiters);
    } catch (err) {
      // Deleted between the check and the open.
      if (!namespaces.exists(namespace)) throw namespaceNotFound(namespace);
      throw err;
    }
  }

  /** Runs `work` on the stream named by the baton; a failure that is not a SQL error closes it. */
  async function withStream<T>(namespace: string, baton: string | null, work: (stream: Stream) => Promise<T>): Promise<[T, string | null]> {
    const stream = streams.acquire(namespace, baton, () => openConnection(namespace));
    try {
      const result = await work(stream);
      return [result, streams.release(stream)];
    } catch (err) {
      streams.discard(stream);
      throw err;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';

    if (pathname === '/health') return sendText(res, 200, 'ok');

    const admin = /^\/v1\/namespaces\/([^/]+)(\/create)?$/.exec(pathname);
    if (admin) {
      checkAuth(req, opts.authToken);
      const name = validNamespace(admin[1] ?? '');
      if (admin[2] && method === 'POST') {
        if (!namespaces.create(name)) throw new HttpError(409, 'NAMESPACE_ALREADY_EXISTS', `Namespace \`${name}\` already exists`);
        return sendJson(res, 200, {});
      }
      if (!admin[2] && method === 'DELETE') {
        streams.closeNamespace(name);
        if (!namespaces.delete(name)) throw namespaceNotFound(name);
        return sendJson(res, 200, {});
      }
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}`);
    }

    let namespace = DEFAULT_NAMESPACE;
    let endpoint = pathname;
    const prefixed = /^\/ns\/([^/]+)(\/.*)?$/.exec(pathname);
    if (prefixed) {
      namespace = prefixed[1] ?? '';
      endpoint = prefixed[2] ?? '';
      if (/^(v2|v3|v3-protobuf)$/.test(namespace) && ['', '/pipeline', '/cursor'].includes(endpoint)) {
        // `http://host/ns/NAME` without the final slash: the client resolved `v2/pipeline` against
        // it and dropped NAME.
        throw new HttpError(404, 'NOT_FOUND', `No namespace in ${pathname}: namespace URLs must end with a slash (/ns/NAME/); build them with namespaceUrl()`);
      }
      validNamespace(namespace);
    }

    switch (`${method} ${endpoint}`) {
      case 'GET /':
        return sendText(res, 200, `libSQL dev server (Hrana over HTTP), namespace ${namespace}`);
      // Version probes carry no credentials (@libsql/client sends none), so they are not checked.
      case 'GET /v2': case 'GET /v3':
        return sendText(res, 200, '');
      case 'POST /v2/pipeline': case 'POST /v3/pipeline': {
        checkAuth(req, opts.authToken);
        const version: HranaVersion = endpoint.startsWith('/v3') ? 3 : 2;
        const body = decodePipelineReqBody(await readJson(req));
        const [results, baton] = await withStream(namespace, body.baton, (stream) => runPipeline(stream, body.requests, version));
        const resp: PipelineRespBody = { baton, base_url: null, results };
        return sendJson(res, 200, resp);
      }
      case 'POST /v3/cursor': {
        checkAuth(req, opts.authToken);
        const body = decodeCursorReqBody(await readJson(req));
        const [result, baton] = await withStream(namespace, body.baton, (stream) => runBatch(stream, body.steps, 3));
        // One JSON value per line: the cursor header, then the entries.
        const lines = [{ baton, base_url: null }, ...cursorEntries(result)].map((x) => `${JSON.stringify(x)}\n`);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(lines.join(''));
        return;
      }
      default:
        // Includes GET v3-protobuf: answering 404 makes a probing client fall back to JSON.
        throw new HttpError(404, 'NOT_FOUND', `No endpoint ${method} ${pathname}`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return sendJson(res, err.status, { message: err.message, code: err.code });
      console.error('libsql-http-server:', err);
      sendJson(res, 500, { message: `Internal server error: ${err instanceof Error ? err.message : String(err)}`, code: 'INTERNAL_ERROR' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => new Promise<void>((resolve, reject) => {
      streams.closeAll();
      server.close((err) => (err ? reject(err) : resolve()));
      // Keep-alive sockets of clients would otherwise hold close() open.
      server.closeAllConnections();
    }),
  };
}

function namespaceNotFound(name: string): HttpError {
  return new HttpError(404, 'NAMESPACE_NOT_FOUND', `Namespace \`${name}\` does not exist`);
}

function validNamespace(name: string): string {
  if (!isValidNamespace(name)) throw new HttpError(400, 'INVALID_NAMESPACE', `Invalid namespace name ${JSON.stringify(name)}: use 1-64 of [a-z0-9-_]`);
  return name;
}

function checkAuth(req: IncomingMessage, token: string | undefined): void {
  if (token === undefined) return;
  const given = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, 'UNAUTHORIZED', 'Unauthorized: missing or wrong `Authorization: Bearer` token');
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'REQUEST_TOO_LARGE', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buf);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw protocolError(`Cannot deserialize client message from JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  // Exactly `application/json`: @libsql/client compares the header verbatim before it reads an
  // error body as a Hrana Error (with a charset suffix it would show only "HTTP status 404").
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}
