/**
 * Client for the part of Turso's Platform API that provisions one database per shop.
 *
 * Request and response shapes follow Turso's API reference:
 *   POST   /v1/organizations/{org}/databases                          (create)
 *   GET    /v1/organizations/{org}/databases/{name}                   (retrieve)
 *   DELETE /v1/organizations/{org}/databases/{name}                   (delete)
 *   POST   /v1/organizations/{org}/databases/{name}/auth/tokens       (create token)
 * Errors come back as `{ "error": "<message>" }` with the HTTP status.
 *
 * Only `fetch`, `URLSearchParams` and plain objects are used, so the module runs unchanged
 * in Node and in Cloudflare Workers.
 */

export const TURSO_DEFAULT_BASE_URL = 'https://api.turso.tech';

/** Turso: "Must contain only lowercase letters, numbers, dashes. No longer than 64 characters." */
export const TURSO_DATABASE_NAME_MAX_LENGTH = 64;
const DATABASE_NAME_PATTERN = /^[a-z0-9-]+$/;

export interface TursoDatabase {
  name: string;
  dbId: string;
  /** Connect with `libsql://${hostname}`. */
  hostname: string;
}

export type TursoTokenAuthorization = 'full-access' | 'read-only';

export interface CreateDatabaseTokenOptions {
  /** Turso duration such as `2w1d30m`; Turso defaults to `never`. */
  expiration?: string;
  /** Turso defaults to `full-access`. */
  authorization?: TursoTokenAuthorization;
}

export interface TursoPlatformClientOptions {
  /** Organization slug, as it appears in the API path. */
  organization: string;
  /** Platform API token, sent as `Authorization: Bearer <token>`. */
  apiToken: string;
  /** Group new databases are created in; it must already exist in Turso. */
  group: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}

export interface TursoPlatformClient {
  /** Creates the database; if it already exists in our group, returns the existing one. */
  createDatabase(name: string): Promise<TursoDatabase>;
  getDatabase(name: string): Promise<TursoDatabase | null>;
  /** Idempotent: a database that is already gone counts as deleted. */
  deleteDatabase(name: string): Promise<void>;
  /** Returns the JWT that authenticates libSQL connections to this database. */
  createDatabaseToken(name: string, options?: CreateDatabaseTokenOptions): Promise<string>;
}

/**
 * Any failure talking to Turso. `status` is the HTTP status, or undefined when no response
 * arrived (network failure); `tursoMessage` is the `error` field of Turso's response body.
 */
export class TursoApiError extends Error {
  override readonly name = 'TursoApiError';

  constructor(
    message: string,
    readonly status: number | undefined,
    readonly tursoMessage: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown before any request is sent, so a bad shop slug never reaches Turso. */
export class InvalidTursoDatabaseNameError extends RangeError {
  override readonly name = 'InvalidTursoDatabaseNameError';

  constructor(readonly databaseName: string) {
    super(
      `Invalid Turso database name ${JSON.stringify(databaseName)}: use only lowercase letters, ` +
        `digits and dashes, at most ${TURSO_DATABASE_NAME_MAX_LENGTH} characters`,
    );
  }
}

export function isValidTursoDatabaseName(name: string): boolean {
  return name.length <= TURSO_DATABASE_NAME_MAX_LENGTH && DATABASE_NAME_PATTERN.test(name);
}

function assertValidDatabaseName(name: string): void {
  if (!isValidTursoDatabaseName(name)) throw new InvalidTursoDatabaseNameError(name);
}

export function createTursoPlatformClient(options: TursoPlatformClientOptions): TursoPlatformClient {
  assertConfigured(options);
  const callTurso = createTransport(options);
  const databasesPath = `/v1/organizations/${encodeURIComponent(options.organization)}/databases`;
  const databasePath = (name: string) => `${databasesPath}/${encodeURIComponent(name)}`;

  async function retrieveDatabase(name: string): Promise<RetrievedDatabase | null> {
    const response = await callTurso('getDatabase', { method: 'GET', path: databasePath(name) });
    if (response.status === 404) return null;
    if (!isSuccess(response)) throw errorFromResponse('getDatabase', response);
    return parseDatabaseEnvelope('getDatabase', response);
  }

  // A 409 on create usually means an earlier attempt of ours succeeded but its answer was
  // lost, so we hand back that database and provisioning can simply be retried.
  async function adoptExistingDatabase(name: string, conflict: ApiResponse): Promise<TursoDatabase> {
    const existing = await retrieveDatabase(name);
    // Deleted between our create and our lookup: report the conflict and let the caller retry.
    if (existing === null) throw errorFromResponse('createDatabase', conflict);
    // Same name in another group is someone else's database (e.g. another environment
    // sharing the organization); adopting it would hand one shop another's data.
    if (existing.group !== undefined && existing.group !== options.group) {
      throw new TursoApiError(
        `Turso createDatabase failed with HTTP 409: database "${name}" already exists in group ` +
          `"${existing.group}", not in "${options.group}"`,
        409,
        extractErrorMessage(conflict.body),
      );
    }
    return existing.database;
  }

  return {
    async createDatabase(name) {
      assertValidDatabaseName(name);
      const response = await callTurso('createDatabase', {
        method: 'POST',
        path: databasesPath,
        json: { name, group: options.group },
      });
      if (response.status === 409) return adoptExistingDatabase(name, response);
      if (!isSuccess(response)) throw errorFromResponse('createDatabase', response);
      return parseDatabaseEnvelope('createDatabase', response).database;
    },

    async getDatabase(name) {
      assertValidDatabaseName(name);
      const retrieved = await retrieveDatabase(name);
      return retrieved?.database ?? null;
    },

    async deleteDatabase(name) {
      assertValidDatabaseName(name);
      const response = await callTurso('deleteDatabase', { method: 'DELETE', path: databasePath(name) });
      if (response.status === 404 || isSuccess(response)) return;
      throw errorFromResponse('deleteDatabase', response);
    },

    async createDatabaseToken(name, tokenOptions = {}) {
      assertValidDatabaseName(name);
      const path = `${databasePath(name)}/auth/tokens${tokenQueryString(tokenOptions)}`;
      const response = await callTurso('createDatabaseToken', { method: 'POST', path });
      if (!isSuccess(response)) throw errorFromResponse('createDatabaseToken', response);
      return parseJwt('createDatabaseToken', response);
    },
  };
}

function assertConfigured(options: TursoPlatformClientOptions): void {
  // Empty strings are what a missing environment variable usually turns into; fail at startup
  // rather than on the first shop signup.
  for (const key of ['organization', 'apiToken', 'group'] as const) {
    if (!options[key]) throw new TypeError(`createTursoPlatformClient: "${key}" must be a non-empty string`);
  }
}

function tokenQueryString(tokenOptions: CreateDatabaseTokenOptions): string {
  // Only send what the caller chose, so Turso's documented defaults apply otherwise.
  const query = new URLSearchParams();
  if (tokenOptions.expiration !== undefined) query.set('expiration', tokenOptions.expiration);
  if (tokenOptions.authorization !== undefined) query.set('authorization', tokenOptions.authorization);
  const encoded = query.toString();
  return encoded ? `?${encoded}` : '';
}

// ---------------------------------------------------------------------------------------------
// Transport: one place that sends a request and turns any failure into a TursoApiError.

interface ApiCall {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  json?: Record<string, unknown>;
}

interface ApiResponse {
  status: number;
  /** Parsed JSON, the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
}

type Operation = keyof TursoPlatformClient;

function createTransport(options: TursoPlatformClientOptions) {
  const baseUrl = (options.baseUrl ?? TURSO_DEFAULT_BASE_URL).replace(/\/+$/, '');
  // Wrapping the global instead of storing it: Workers throw "Illegal invocation" when
  // `fetch` is called detached from the global object.
  const fetchFn: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const authorization = `Bearer ${options.apiToken}`;

  return async function callTurso(operation: Operation, call: ApiCall): Promise<ApiResponse> {
    const headers: Record<string, string> = { Authorization: authorization };
    if (call.json) headers['Content-Type'] = 'application/json';
    const init: RequestInit = { method: call.method, headers };
    if (call.json) init.body = JSON.stringify(call.json);
    try {
      const response = await fetchFn(`${baseUrl}${call.path}`, init);
      return { status: response.status, body: parseBody(await response.text()) };
    } catch (cause) {
      throw new TursoApiError(
        `Turso ${operation} request failed: ${describeCause(cause)}`,
        undefined,
        undefined,
        { cause },
      );
    }
  };
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function isSuccess(response: ApiResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

function errorFromResponse(operation: Operation, response: ApiResponse): TursoApiError {
  const tursoMessage = extractErrorMessage(response.body);
  const detail = tursoMessage ? `: ${tursoMessage}` : '';
  return new TursoApiError(
    `Turso ${operation} failed with HTTP ${response.status}${detail}`,
    response.status,
    tursoMessage,
  );
}

// Longest non-JSON error body we quote; proxies in front of the API can answer with whole HTML pages.
const MAX_QUOTED_TEXT_LENGTH = 300;

function extractErrorMessage(body: unknown): string | undefined {
  if (isRecord(body) && typeof body.error === 'string') return body.error;
  if (typeof body === 'string') return body.trim().slice(0, MAX_QUOTED_TEXT_LENGTH);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Response parsing: the body is untrusted JSON, so check the fields we rely on.

interface RetrievedDatabase {
  database: TursoDatabase;
  /** Only the retrieve endpoint reports the group; create answers with Name/DbId/Hostname. */
  group: string | undefined;
}

function parseDatabaseEnvelope(operation: Operation, response: ApiResponse): RetrievedDatabase {
  const database = isRecord(response.body) ? response.body.database : undefined;
  if (
    isRecord(database) &&
    typeof database.Name === 'string' &&
    typeof database.DbId === 'string' &&
    typeof database.Hostname === 'string'
  ) {
    return {
      database: { name: database.Name, dbId: database.DbId, hostname: database.Hostname },
      group: typeof database.group === 'string' ? database.group : undefined,
    };
  }
  throw unexpectedShape(operation, response, '{ database: { Name, DbId, Hostname } }');
}

function parseJwt(operation: Operation, response: ApiResponse): string {
  if (isRecord(response.body) && typeof response.body.jwt === 'string') return response.body.jwt;
  throw unexpectedShape(operation, response, '{ jwt }');
}

function unexpectedShape(operation: Operation, response: ApiResponse, expected: string): TursoApiError {
  return new TursoApiError(
    `Turso ${operation} answered HTTP ${response.status} without the expected ${expected} body`,
    response.status,
    undefined,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
