/**
 * A local stand-in for the database endpoints of Turso's Platform API, for tests.
 *
 * It answers with the status codes and JSON shapes from Turso's API reference, independently of
 * our client, so client tests exercise the protocol rather than the client's own assumptions.
 * Every request is recorded so tests can assert exactly what was sent.
 *
 * Node only (node:http); the client under test is the part that must run in Workers.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandinTokenAuthorization = 'full-access' | 'read-only';

export interface StandinToken {
  jwt: string;
  expiration: string;
  authorization: StandinTokenAuthorization;
}

export interface StandinDatabase {
  name: string;
  dbId: string;
  hostname: string;
  group: string;
  /** Tokens issued for this database, in order, so tests can check what was asked for. */
  tokens: StandinToken[];
}

export interface RecordedRequest {
  method: string;
  /** Path and query string exactly as received, e.g. `/v1/organizations/acme/databases`. */
  path: string;
  /** Node lower-cases header names: read `headers.authorization`. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
}

export interface TursoStandinOptions {
  organization?: string;
  apiToken?: string;
  /** Groups that exist; creating a database in any other group fails as it does on Turso. */
  groups?: string[];
}

export interface TursoStandin {
  /** Base URL to hand to the client as `baseUrl`. */
  url: string;
  close(): Promise<void>;
  /** Live state keyed by database name; tests may inspect or seed it. */
  databases: Map<string, StandinDatabase>;
  requests: RecordedRequest[];
}

export const STANDIN_DEFAULTS = {
  organization: 'standin-org',
  apiToken: 'standin-platform-token',
  groups: ['default'],
} as const;

// The stand-in enforces the documented name rule itself rather than trusting the client.
const DATABASE_NAME_PATTERN = /^[a-z0-9-]{1,64}$/;
// Turso durations look like `2w1d30m`; `never` is the documented default.
const EXPIRATION_PATTERN = /^(never|(\d+[wdhms])+)$/;
const DEFAULT_EXPIRATION = 'never';
const DEFAULT_AUTHORIZATION: StandinTokenAuthorization = 'full-access';
// Values reported for fields our client does not use, so responses have the documented shape.
const STANDIN_REGION = 'aws-us-east-1';
const STANDIN_LIBSQL_VERSION = '0.24.32';

interface StandinState {
  organization: string;
  apiToken: string;
  groups: ReadonlySet<string>;
  databases: Map<string, StandinDatabase>;
}

interface ParsedRequest {
  method: string;
  url: URL;
  authorization: string | undefined;
  body: unknown;
}

interface StandinReply {
  status: number;
  body: unknown;
}

export async function startTursoStandin(options: TursoStandinOptions = {}): Promise<TursoStandin> {
  const state: StandinState = {
    organization: options.organization ?? STANDIN_DEFAULTS.organization,
    apiToken: options.apiToken ?? STANDIN_DEFAULTS.apiToken,
    groups: new Set(options.groups ?? STANDIN_DEFAULTS.groups),
    databases: new Map(),
  };
  const requests: RecordedRequest[] = [];

  const server = createServer((request, response) => {
    void handle(state, requests, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    databases: state.databases,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

async function handle(
  state: StandinState,
  requests: RecordedRequest[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const body = parseBody(await readBody(request));
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    // Recorded before any checks, so tests also see the requests that were rejected.
    requests.push({ method, path, headers: request.headers, body });
    const url = new URL(path, 'http://standin.invalid');
    reply(response, route(state, { method, url, authorization: request.headers.authorization, body }));
  } catch (error) {
    reply(response, errorReply(500, `standin failure: ${String(error)}`));
  }
}

// ---------------------------------------------------------------------------------------------
// Routing

function route(state: StandinState, request: ParsedRequest): StandinReply {
  if (request.authorization !== `Bearer ${state.apiToken}`) {
    return errorReply(401, 'Unauthorized: invalid or expired auth token');
  }
  const [v1, organizations, organization, databases, name, ...rest] = pathSegments(request.url);
  if (v1 !== 'v1' || organizations !== 'organizations' || databases !== 'databases') {
    return errorReply(404, 'not found');
  }
  if (organization !== state.organization) return errorReply(404, 'organization not found');
  if (name === undefined) return routeCollection(state, request);
  if (rest.length === 0) return routeDatabase(state, request, name);
  if (rest.join('/') === 'auth/tokens') return routeTokens(state, request, name);
  return errorReply(404, 'not found');
}

function routeCollection(state: StandinState, request: ParsedRequest): StandinReply {
  if (request.method === 'POST') return createDatabase(state, request.body);
  if (request.method === 'GET') return listDatabases(state, request.url);
  return errorReply(405, 'method not allowed');
}

function routeDatabase(state: StandinState, request: ParsedRequest, name: string): StandinReply {
  if (request.method === 'GET') return retrieveDatabase(state, name);
  if (request.method === 'DELETE') return deleteDatabase(state, name);
  return errorReply(405, 'method not allowed');
}

function routeTokens(state: StandinState, request: ParsedRequest, name: string): StandinReply {
  if (request.method === 'POST') return createToken(state, request.url, name);
  return errorReply(405, 'method not allowed');
}

function pathSegments(url: URL): Array<string | undefined> {
  return url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
}

// ---------------------------------------------------------------------------------------------
// Endpoints

/** POST /v1/organizations/{org}/databases  body { name, group } → { database: { DbId, Hostname, Name } } */
function createDatabase(state: StandinState, body: unknown): StandinReply {
  if (!isRecord(body)) return errorReply(400, 'request body must be a JSON object');
  const { name, group } = body;
  if (typeof name !== 'string' || !DATABASE_NAME_PATTERN.test(name)) {
    return errorReply(400, 'invalid database name: use lowercase letters, numbers and dashes, at most 64 characters');
  }
  if (typeof group !== 'string' || group === '') return errorReply(400, 'group is required');
  if (!state.groups.has(group)) return errorReply(400, 'group not found');
  if (state.databases.has(name)) return errorReply(409, `database with name ${name} already exists`);

  const database: StandinDatabase = {
    name,
    dbId: randomUUID(),
    hostname: `${name}-${state.organization}.turso.io`,
    group,
    tokens: [],
  };
  state.databases.set(name, database);
  return { status: 200, body: { database: { DbId: database.dbId, Hostname: database.hostname, Name: database.name } } };
}

/** GET /v1/organizations/{org}/databases[?group=] → { databases: Database[] } */
function listDatabases(state: StandinState, url: URL): StandinReply {
  const group = url.searchParams.get('group');
  const listed = [...state.databases.values()].filter((database) => group === null || database.group === group);
  return { status: 200, body: { databases: listed.map(toDatabaseResource) } };
}

/** GET /v1/organizations/{org}/databases/{name} → { database: Database } */
function retrieveDatabase(state: StandinState, name: string): StandinReply {
  const database = state.databases.get(name);
  if (!database) return databaseNotFound(name);
  return { status: 200, body: { database: toDatabaseResource(database) } };
}

/** DELETE /v1/organizations/{org}/databases/{name} → { database: name } */
function deleteDatabase(state: StandinState, name: string): StandinReply {
  if (!state.databases.delete(name)) return databaseNotFound(name);
  return { status: 200, body: { database: name } };
}

/** POST /v1/organizations/{org}/databases/{name}/auth/tokens?expiration=&authorization= → { jwt } */
function createToken(state: StandinState, url: URL, name: string): StandinReply {
  const database = state.databases.get(name);
  if (!database) return databaseNotFound(name);
  const expiration = url.searchParams.get('expiration') ?? DEFAULT_EXPIRATION;
  if (!EXPIRATION_PATTERN.test(expiration)) return errorReply(400, 'Invalid expiration format');
  const authorization = url.searchParams.get('authorization') ?? DEFAULT_AUTHORIZATION;
  if (!isTokenAuthorization(authorization)) {
    return errorReply(400, 'authorization must be one of full-access, read-only');
  }
  const token: StandinToken = { jwt: fakeJwt(database, authorization), expiration, authorization };
  database.tokens.push(token);
  return { status: 200, body: { jwt: token.jwt } };
}

// ---------------------------------------------------------------------------------------------
// Resource shapes

/** The documented `Database` object, with plausible values for fields we do not model. */
function toDatabaseResource(database: StandinDatabase): Record<string, unknown> {
  return {
    Name: database.name,
    DbId: database.dbId,
    Hostname: database.hostname,
    block_reads: false,
    block_writes: false,
    allow_attach: false,
    regions: [STANDIN_REGION],
    primaryRegion: STANDIN_REGION,
    type: 'logical',
    version: STANDIN_LIBSQL_VERSION,
    group: database.group,
    sleeping: false,
  };
}

function databaseNotFound(name: string): StandinReply {
  return errorReply(404, `could not find database with name ${name}: record not found`);
}

/** Turso's error bodies are `{ "error": "<message>" }`. */
function errorReply(status: number, message: string): StandinReply {
  return { status, body: { error: message } };
}

// Shaped like a JWT so code that splits it still works; it is not signed and grants nothing.
function fakeJwt(database: StandinDatabase, authorization: StandinTokenAuthorization): string {
  const header = { alg: 'EdDSA', typ: 'JWT' };
  const claims = { a: authorization === 'read-only' ? 'ro' : 'rw', id: database.dbId, jti: randomUUID() };
  return [header, claims, 'standin'].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.');
}

function isTokenAuthorization(value: string): value is StandinTokenAuthorization {
  return value === 'full-access' || value === 'read-only';
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function reply(response: ServerResponse, { status, body }: StandinReply): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
