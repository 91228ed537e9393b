import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTursoStandin, type TursoStandin } from './testing/turso-standin.js';
import {
  createTursoPlatformClient,
  InvalidTursoDatabaseNameError,
  TursoApiError,
  type TursoPlatformClientOptions,
} from './turso-platform.js';

const ORGANIZATION = 'acme-shops';
const API_TOKEN = 'platform-token-for-tests';
const GROUP = 'shops';

let standin: TursoStandin;

beforeEach(async () => {
  standin = await startTursoStandin({ organization: ORGANIZATION, apiToken: API_TOKEN, groups: [GROUP, 'staging'] });
});

afterEach(async () => {
  await standin.close();
});

function clientFor(overrides: Partial<TursoPlatformClientOptions> = {}) {
  return createTursoPlatformClient({
    organization: ORGANIZATION,
    apiToken: API_TOKEN,
    group: GROUP,
    baseUrl: standin.url,
    ...overrides,
  });
}

/** Runs `action`, expecting it to reject with a TursoApiError, and returns that error. */
async function tursoErrorFrom(action: () => Promise<unknown>): Promise<TursoApiError> {
  const error = await action().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TursoApiError);
  return error as TursoApiError;
}

describe('createDatabase', () => {
  it('posts name and group to the organization databases path with a bearer token', async () => {
    const database = await clientFor().createDatabase('shop-42');

    expect(database).toEqual({
      name: 'shop-42',
      dbId: standin.databases.get('shop-42')?.dbId,
      hostname: `shop-42-${ORGANIZATION}.turso.io`,
    });
    expect(standin.requests).toHaveLength(1);
    const [request] = standin.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/v1/organizations/${ORGANIZATION}/databases`);
    expect(request?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({ name: 'shop-42', group: GROUP });
  });

  it('returns the existing database when it already exists (Turso answers 409), so retries are safe', async () => {
    const client = clientFor();
    const first = await client.createDatabase('shop-42');
    const again = await client.createDatabase('shop-42');

    expect(again).toEqual(first);
    expect(standin.databases.size).toBe(1);
    expect(standin.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      `POST /v1/organizations/${ORGANIZATION}/databases`,
      `POST /v1/organizations/${ORGANIZATION}/databases`,
      `GET /v1/organizations/${ORGANIZATION}/databases/shop-42`,
    ]);
  });

  it('refuses to adopt a same-named database that lives in another group', async () => {
    await clientFor({ group: 'staging' }).createDatabase('shop-42');

    const error = await tursoErrorFrom(() => clientFor().createDatabase('shop-42'));
    expect(error.status).toBe(409);
    expect(error.tursoMessage).toBe('database with name shop-42 already exists');
    expect(error.message).toContain('group "staging"');
  });

  it("surfaces Turso's 400 message when the group does not exist", async () => {
    const error = await tursoErrorFrom(() => clientFor({ group: 'no-such-group' }).createDatabase('shop-42'));
    expect(error.status).toBe(400);
    expect(error.tursoMessage).toBe('group not found');
  });

  it('surfaces 404 for an unknown organization', async () => {
    const error = await tursoErrorFrom(() => clientFor({ organization: 'someone-else' }).createDatabase('shop-42'));
    expect(error.status).toBe(404);
    expect(standin.requests[0]?.path).toBe('/v1/organizations/someone-else/databases');
  });
});

describe('getDatabase', () => {
  it('reads the database by name', async () => {
    const client = clientFor();
    const created = await client.createDatabase('shop-42');

    await expect(client.getDatabase('shop-42')).resolves.toEqual(created);
    const request = standin.requests.at(-1);
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`/v1/organizations/${ORGANIZATION}/databases/shop-42`);
    expect(request?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
    expect(request?.body).toBeUndefined();
  });

  it('returns null for a database that does not exist', async () => {
    await expect(clientFor().getDatabase('shop-missing')).resolves.toBeNull();
  });
});

describe('createDatabaseToken', () => {
  it('sends expiration and authorization as query parameters and returns the jwt', async () => {
    const client = clientFor();
    await client.createDatabase('shop-42');

    const jwt = await client.createDatabaseToken('shop-42', { expiration: '2w', authorization: 'read-only' });

    const issued = standin.databases.get('shop-42')?.tokens;
    expect(issued).toEqual([{ jwt, expiration: '2w', authorization: 'read-only' }]);
    const request = standin.requests.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(
      `/v1/organizations/${ORGANIZATION}/databases/shop-42/auth/tokens?expiration=2w&authorization=read-only`,
    );
    expect(request?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
  });

  it("leaves Turso's defaults (never expires, full access) when no options are given", async () => {
    const client = clientFor();
    await client.createDatabase('shop-42');

    await client.createDatabaseToken('shop-42');

    expect(standin.requests.at(-1)?.path).toBe(`/v1/organizations/${ORGANIZATION}/databases/shop-42/auth/tokens`);
    expect(standin.databases.get('shop-42')?.tokens[0]).toMatchObject({
      expiration: 'never',
      authorization: 'full-access',
    });
  });

  it('fails with 404 for an unknown database and 400 for a malformed expiration', async () => {
    const client = clientFor();
    const missing = await tursoErrorFrom(() => client.createDatabaseToken('shop-missing'));
    expect(missing.status).toBe(404);

    await client.createDatabase('shop-42');
    const malformed = await tursoErrorFrom(() => client.createDatabaseToken('shop-42', { expiration: 'soon' }));
    expect(malformed.status).toBe(400);
    expect(malformed.tursoMessage).toBe('Invalid expiration format');
  });
});

describe('deleteDatabase', () => {
  it('deletes the database, and deleting it again still succeeds', async () => {
    const client = clientFor();
    await client.createDatabase('shop-42');

    await client.deleteDatabase('shop-42');
    await client.deleteDatabase('shop-42');

    expect(standin.databases.has('shop-42')).toBe(false);
    await expect(client.getDatabase('shop-42')).resolves.toBeNull();
    const deletes = standin.requests.filter((request) => request.method === 'DELETE');
    expect(deletes.map((request) => request.path)).toEqual([
      `/v1/organizations/${ORGANIZATION}/databases/shop-42`,
      `/v1/organizations/${ORGANIZATION}/databases/shop-42`,
    ]);
    expect(deletes[0]?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
  });
});

describe('errors', () => {
  it('rejects a wrong API token with TursoApiError 401 on every operation', async () => {
    const client = clientFor({ apiToken: 'wrong-token' });

    for (const attempt of [
      () => client.createDatabase('shop-42'),
      () => client.getDatabase('shop-42'),
      () => client.deleteDatabase('shop-42'),
      () => client.createDatabaseToken('shop-42'),
    ]) {
      const error = await tursoErrorFrom(attempt);
      expect(error.status).toBe(401);
      expect(error.tursoMessage).toMatch(/unauthorized/i);
    }
    expect(standin.requests.every((request) => request.headers.authorization === 'Bearer wrong-token')).toBe(true);
  });

  it.each([
    ['uppercase', 'Shop-42'],
    ['underscore', 'shop_42'],
    ['space', 'shop 42'],
    ['path traversal', '../shop'],
    ['empty', ''],
    ['65 characters', 'a'.repeat(65)],
  ])('rejects an invalid name (%s) before sending any request', async (_reason, name) => {
    const client = clientFor();

    await expect(client.createDatabase(name)).rejects.toBeInstanceOf(InvalidTursoDatabaseNameError);
    await expect(client.getDatabase(name)).rejects.toBeInstanceOf(InvalidTursoDatabaseNameError);
    await expect(client.deleteDatabase(name)).rejects.toBeInstanceOf(InvalidTursoDatabaseNameError);
    await expect(client.createDatabaseToken(name)).rejects.toBeInstanceOf(InvalidTursoDatabaseNameError);
    expect(standin.requests).toEqual([]);
  });

  it('accepts a name of exactly 64 characters', async () => {
    const name = `shop-${'x'.repeat(59)}`;
    await expect(clientFor().createDatabase(name)).resolves.toMatchObject({ name });
  });

  it('wraps network failures in TursoApiError without a status', async () => {
    const closed = await startTursoStandin();
    await closed.close();

    const error = await tursoErrorFrom(() => clientFor({ baseUrl: closed.url }).getDatabase('shop-42'));
    expect(error.status).toBeUndefined();
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('reports a success response that lacks the documented fields', async () => {
    const fetchWithWrongShape: typeof fetch = async () => Response.json({ database: { name: 'shop-42' } });

    const error = await tursoErrorFrom(() => clientFor({ fetch: fetchWithWrongShape }).createDatabase('shop-42'));
    expect(error.status).toBe(200);
    expect(error.message).toContain('Hostname');
  });

  it('requires organization, apiToken and group up front', () => {
    expect(() => clientFor({ organization: '' })).toThrow(TypeError);
    expect(() => clientFor({ apiToken: '' })).toThrow(TypeError);
    expect(() => clientFor({ group: '' })).toThrow(TypeError);
  });
});

describe('baseUrl', () => {
  it('defaults to https://api.turso.tech and tolerates a trailing slash', async () => {
    const requestedUrls: string[] = [];
    const recordingFetch: typeof fetch = async (input) => {
      requestedUrls.push(String(input));
      return Response.json({ error: 'could not find database with name shop-42: record not found' }, { status: 404 });
    };

    await createTursoPlatformClient({ organization: ORGANIZATION, apiToken: API_TOKEN, group: GROUP, fetch: recordingFetch }).getDatabase('shop-42');
    await clientFor({ baseUrl: 'https://turso.example/', fetch: recordingFetch }).getDatabase('shop-42');

    expect(requestedUrls).toEqual([
      `https://api.turso.tech/v1/organizations/${ORGANIZATION}/databases/shop-42`,
      `https://turso.example/v1/organizations/${ORGANIZATION}/databases/shop-42`,
    ]);
  });
});
