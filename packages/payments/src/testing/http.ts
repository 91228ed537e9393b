import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a stand-in saw, so tests can assert on the exact bytes the adapter sent. */
export interface RecordedRequest {
  method: string;
  /** path + query, as signed */
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface LocalServer {
  /** http://127.0.0.1:<port> — loopback only */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Holds a reply back, e.g. to make a client time out on a request the stand-in did carry out. */
export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A node:http server on an ephemeral loopback port that hands each request to `handle`. */
export async function startLocalServer(handle: (req: RecordedRequest) => Promise<Reply>): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: flatHeaders(req), body: await readBody(req) };
      requests.push(recorded);
      let reply: Reply;
      try {
        reply = await handle(recorded);
      } catch (e) {
        reply = { status: 500, body: JSON.stringify({ code: 'STAND_IN_ERROR', message: String(e) }) };
      }
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(reply.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // fetch keeps connections alive; without this close() waits out their idle timeout.
        server.closeAllConnections();
      }),
  };
}
