import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestJson } from '@tuike/plugin-sdk/engine';
import { cookieHeader, createTestApp, type TestApp } from '../testing/test-app';
import { bundleOf, uploadOf, wishlist } from '../plugins/testing/sample-plugins';

const PLATFORM = 'localhost';
const REVIEWER = 'pp-reviewer@example.com';

let t: TestApp;
let seq = 0;
beforeAll(async () => {
  t = await createTestApp({ loginRateLimit: { max: 10_000, windowMs: 60_000 }, platformReviewers: [` ${REVIEWER.toUpperCase()} `] });
});
afterAll(async () => { await t.close(); });

interface Account { email: string; cookie: string }

/** A platform account (signed up with a shop, as every account is today), signed in. */
async function account(slug = `pp${++seq}`): Promise<Account> {
  const shop = await t.signupShop(slug, slug === 'ppreviewer' ? REVIEWER : undefined);
  const res = await t.request(PLATFORM, '/api/platform/login', { body: { email: shop.email, password: shop.password }, cookies: '' });
  expect(res.status).toBe(200);
  return { email: shop.email, cookie: cookieHeader(res.setCookies) };
}

async function author(): Promise<Account> {
  const a = await account();
  const res = await t.request(PLATFORM, '/api/platform/plugins/author', { method: 'POST', cookies: a.cookie });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.account.roles).toContain('author');
  return a;
}

const api = (who: Account | null, path: string, init: { method?: string; body?: unknown } = {}) =>
  t.request(PLATFORM, `/api/platform/plugins${path}`, { ...init, cookies: who?.cookie ?? '' });

const listing = (id: string) => ({
  id, name: { zh: '心愿单', en: 'Wishlist' }, summary: { zh: '收藏商品', en: 'Keep products' }, description: { zh: '收藏想买的商品，稍后再买', en: 'Keep products to buy later' },
  screenshots: ['https://example.com/wishlist-1.png'], category: 'sales',
});

/** A manifest of the wishlist plugin under another id (tables follow the id). */
function manifestFor(id: string, version = '1.0.0', patch: Record<string, unknown> = {}) {
  const m = manifestJson(wishlist(version));
  const prefix = `plg_${id.replace(/-/g, '_')}_`;
  return { ...m, id, migrations: m.migrations.map((s) => s.replaceAll('plg_wishlist_', prefix)), ...patch };
}

const versionsStored = async () => t.count(await t.control(), 'plugin_versions');

let reviewer: Account;
beforeAll(async () => { reviewer = await account('ppreviewer'); });

describe('the review flow', () => {
  it('takes a version from draft through submitted and approved to published, and lists it publicly', async () => {
    const a = await author();
    const created = await api(a, '', { body: listing('flow-list') });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.plugin).toMatchObject({ id: 'flow-list', category: 'sales', publishedVersion: null });

    const upload = { manifest: manifestFor('flow-list'), bundle: bundleOf('flow-list 1.0.0') };
    const added = await api(a, '/flow-list/versions', { body: upload });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.version).toMatchObject({ version: '1.0.0', status: 'draft', capabilities: ['catalog.read', 'routes'], bundle: upload.bundle });
    expect(added.body.version.manifest).toEqual(upload.manifest);
    expect((await api(null, '')).body.plugins.map((p: { id: string }) => p.id)).not.toContain('flow-list');

    const submitted = await api(a, '/flow-list/versions/1.0.0/submit', { method: 'POST' });
    expect(submitted.status).toBe(200);
    expect(submitted.body.version).toMatchObject({ status: 'submitted', submittedAt: t.clock.now() });

    const queue = await api(reviewer, '/queue');
    expect(queue.status).toBe(200);
    expect(queue.body.versions).toContainEqual(expect.objectContaining({ author: a.email, plugin: expect.objectContaining({ id: 'flow-list' }), version: expect.objectContaining({ version: '1.0.0' }) }));

    const approved = await api(reviewer, '/flow-list/versions/1.0.0/approve', { body: { note: 'looks fine' } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.version).toMatchObject({ status: 'approved', reviewNote: 'looks fine' });
    expect((await api(reviewer, '/queue')).body.versions.map((v: { plugin: { id: string } }) => v.plugin.id)).not.toContain('flow-list');
    expect((await api(null, '/flow-list')).status).toBe(404);

    const published = await api(reviewer, '/flow-list/versions/1.0.0/publish', { method: 'POST' });
    expect(published.status).toBe(200);
    expect(published.body.version).toMatchObject({ status: 'published', publishedAt: t.clock.now() });

    const market = await api(null, '');
    expect(market.status).toBe(200);
    expect(market.body.plugins.find((p: { id: string }) => p.id === 'flow-list')).toMatchObject({ publishedVersion: '1.0.0', version: { version: '1.0.0', capabilities: ['catalog.read', 'routes'] } });
    const detail = await api(null, '/flow-list');
    expect(detail.body).toMatchObject({ plugin: { id: 'flow-list', screenshots: ['https://example.com/wishlist-1.png'] }, versions: [{ version: '1.0.0', status: 'published' }] });

    const mine = await api(a, '/mine');
    expect(mine.body.plugins).toEqual([expect.objectContaining({ id: 'flow-list', versions: [expect.objectContaining({ version: '1.0.0', status: 'published' })] })]);
  });

  it('rejects with a note, and a rejected version can never be published', async () => {
    const a = await author();
    await api(a, '', { body: listing('flow-reject') });
    await api(a, '/flow-reject/versions', { body: { manifest: manifestFor('flow-reject'), bundle: bundleOf('r') } });
    await api(a, '/flow-reject/versions/1.0.0/submit', { method: 'POST' });
    expect((await api(reviewer, '/flow-reject/versions/1.0.0/reject', { body: {} })).status).toBe(400);
    const rejected = await api(reviewer, '/flow-reject/versions/1.0.0/reject', { body: { note: 'reads members it does not need' } });
    expect(rejected.body.version).toMatchObject({ status: 'rejected', reviewNote: 'reads members it does not need' });
    for (const step of ['approve', 'publish', 'submit']) {
      const who = step === 'submit' ? a : reviewer;
      const res = await api(who, `/flow-reject/versions/1.0.0/${step}`, { method: 'POST', body: {} });
      expect(res.status, step).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'PLUGIN_VERSION_STATE', details: { status: 'rejected' } });
    }
  });

  it('moves a version only along the flow: no approving a draft, no publishing before approval, one winner of two reviewers', async () => {
    const a = await author();
    await api(a, '', { body: listing('flow-order') });
    await api(a, '/flow-order/versions', { body: { manifest: manifestFor('flow-order'), bundle: bundleOf('o') } });
    expect((await api(reviewer, '/flow-order/versions/1.0.0/approve', { body: {} })).body.error.code).toBe('PLUGIN_VERSION_STATE');
    await api(a, '/flow-order/versions/1.0.0/submit', { method: 'POST' });
    expect((await api(reviewer, '/flow-order/versions/1.0.0/publish', { method: 'POST' })).body.error.code).toBe('PLUGIN_VERSION_STATE');
    const results = await Promise.all([
      api(reviewer, '/flow-order/versions/1.0.0/approve', { body: {} }),
      t.request(PLATFORM, '/api/platform/plugins/flow-order/versions/1.0.0/reject', { body: { note: 'no' }, cookies: reviewer.cookie }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await t.count(await t.control(), 'invariant_guards')).toBe(0);
  });

  it('keeps a submitted version immutable: no replacing it through the API, no changing its row in the database', async () => {
    const a = await author();
    await api(a, '', { body: listing('flow-frozen') });
    const first = { manifest: manifestFor('flow-frozen'), bundle: bundleOf('first') };
    await api(a, '/flow-frozen/versions', { body: first });
    const replaced = await api(a, '/flow-frozen/versions/1.0.0', { method: 'PUT', body: { manifest: first.manifest, bundle: bundleOf('second') } });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body.version.bundle).toEqual(bundleOf('second'));
    await api(a, '/flow-frozen/versions/1.0.0/submit', { method: 'POST' });
    const again = await api(a, '/flow-frozen/versions/1.0.0', { method: 'PUT', body: { manifest: first.manifest, bundle: bundleOf('third') } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'PLUGIN_VERSION_STATE', details: { status: 'submitted' } });
    const control = await t.control();
    await expect(control.execute({ sql: `UPDATE plugin_versions SET bundle = '{}' WHERE plugin_id = 'flow-frozen'`, args: [] })).rejects.toThrow(/immutable/);
    await expect(control.execute({ sql: `UPDATE plugin_versions SET status = 'published' WHERE plugin_id = 'flow-frozen'`, args: [] })).rejects.toThrow(/skips the review/);
    await expect(control.execute({ sql: `DELETE FROM plugin_versions WHERE plugin_id = 'flow-frozen'`, args: [] })).rejects.toThrow(/only a draft/);
    const row = (await api(a, '/flow-frozen/versions/1.0.0')).body.version;
    expect(row).toMatchObject({ status: 'submitted', bundle: bundleOf('second') });
  });

  it('takes only versions above the published one, and publishes only upwards', async () => {
    const a = await author();
    await api(a, '', { body: listing('flow-semver') });
    const release = async (version: string) => {
      expect((await api(a, '/flow-semver/versions', { body: { manifest: manifestFor('flow-semver', version), bundle: bundleOf(version) } })).status, version).toBe(201);
      await api(a, `/flow-semver/versions/${version}/submit`, { method: 'POST' });
      await api(reviewer, `/flow-semver/versions/${version}/approve`, { body: {} });
    };
    await release('1.0.0');
    await release('1.2.0');
    await release('1.10.0-beta.2');
    expect((await api(reviewer, '/flow-semver/versions/1.10.0-beta.2/publish', { method: 'POST' })).status).toBe(200);
    // 1.2.0 ranks below 1.10.0-beta.2 (numbers, not text): publishing it now would go down.
    const down = await api(reviewer, '/flow-semver/versions/1.2.0/publish', { method: 'POST' });
    expect(down.status).toBe(409);
    expect(down.body.error).toMatchObject({ code: 'PLUGIN_VERSION_NOT_NEWER', details: { published: '1.10.0-beta.2' } });
    const before = await versionsStored();
    for (const version of ['1.9.9', '1.10.0-beta.1', '1.10.0-beta.2']) {
      const res = await api(a, '/flow-semver/versions', { body: { manifest: manifestFor('flow-semver', version), bundle: bundleOf(version) } });
      expect(res.status, version).toBe(409);
      expect(res.body.error.code, version).toBe('PLUGIN_VERSION_NOT_NEWER');
    }
    expect((await api(a, '/flow-semver/versions', { body: { manifest: manifestFor('flow-semver', '1.10.0'), bundle: bundleOf('x') } })).status).toBe(201);
    const twin = await api(a, '/flow-semver/versions', { body: { manifest: manifestFor('flow-semver', '1.10.0+build.5'), bundle: bundleOf('y') } });
    expect(twin.status).toBe(409);
    expect(twin.body.error.code).toBe('PLUGIN_VERSION_EXISTS');
    expect(await versionsStored()).toBe(before + 1);
    expect((await api(null, '/flow-semver')).body.plugin.publishedVersion).toBe('1.10.0-beta.2');
  });

  it('never lets the published version go down when two versions are published at the same moment', async () => {
    const a = await author();
    for (let round = 0; round < 4; round++) {
      const id = `race-pub-${round}`;
      await api(a, '', { body: listing(id) });
      for (const version of ['1.1.0', '1.2.0']) {
        await api(a, `/${id}/versions`, { body: { manifest: manifestFor(id, version), bundle: bundleOf(version) } });
        await api(a, `/${id}/versions/${version}/submit`, { method: 'POST' });
        await api(reviewer, `/${id}/versions/${version}/approve`, { body: {} });
      }
      const [higher, lower] = await Promise.all([
        api(reviewer, `/${id}/versions/1.2.0/publish`, { method: 'POST' }),
        api(reviewer, `/${id}/versions/1.1.0/publish`, { method: 'POST' }),
      ]);
      expect(higher.status).toBe(200);
      expect([200, 409]).toContain(lower.status);
      if (lower.status === 409) expect(lower.body.error.code).toBe('PLUGIN_VERSION_NOT_NEWER');
      expect((await api(null, `/${id}`)).body.plugin.publishedVersion, `round ${round}`).toBe('1.2.0');
      const statuses = (await api(a, '/mine')).body.plugins.find((p: { id: string }) => p.id === id).versions.map((v: { version: string; status: string }) => `${v.version} ${v.status}`);
      expect(statuses).toEqual(['1.2.0 published', lower.status === 200 ? '1.1.0 published' : '1.1.0 approved']);
    }
  });
});

describe('a version the runtime refuses is refused with its code, and nothing is stored', () => {
  let a: Account;
  beforeAll(async () => {
    a = await author();
    expect((await api(a, '', { body: listing('refused') })).status).toBe(201);
  });

  it.each([
    ['an unknown capability', { capabilities: ['catalog.read', 'routes', 'payments.refund'] }, 400, 'PLUGIN_CAPABILITY_UNKNOWN'],
    ['a migration touching a table outside its prefix', { migrations: ['CREATE TABLE plg_refused_items (id TEXT PRIMARY KEY); DROP TABLE members'] }, 400, 'PLUGIN_TABLE_OUTSIDE_PREFIX'],
    ['a migration writing a core table', { migrations: ['UPDATE products SET price = 0'] }, 400, 'PLUGIN_TABLE_OUTSIDE_PREFIX'],
    ['a migration with a PRAGMA', { migrations: ['PRAGMA foreign_keys = OFF'] }, 400, 'PLUGIN_SQL_FORBIDDEN'],
    ['an invalid semver', { version: '1.0' }, 400, 'PLUGIN_MANIFEST_INVALID'],
    ['an engine range this platform is outside of', { engine: '^2.0.0' }, 409, 'PLUGIN_ENGINE_MISMATCH'],
    ['a hook its capabilities do not grant', { hooks: ['pricing'] }, 400, 'PLUGIN_CAPABILITY_MISSING'],
    ['a settings form the SDK could not have made', { settings: [{ key: 'n', type: 'number', label: { zh: 'n', en: 'n' }, required: true, min: 5, max: 1, integer: true }] }, 400, 'PLUGIN_MANIFEST_INVALID'],
    ['a manifest of another plugin', { id: 'wishlist', migrations: manifestJson(wishlist()).migrations }, 400, 'PLUGIN_MANIFEST_INVALID'],
    ['no manifest at all', null, 400, 'PLUGIN_MANIFEST_INVALID'],
  ])('%s', async (_, patch, status, code) => {
    const before = await versionsStored();
    const manifest = patch === null ? 'not a manifest' : manifestFor('refused', '1.0.0', patch);
    const res = await api(a, '/refused/versions', { body: { manifest, bundle: bundleOf('refused') } });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details.problems[0]).toMatchObject({ code, path: expect.any(String), message: expect.any(String) });
    expect(await versionsStored()).toBe(before);
  });

  it('answers in the caller\'s language from the shared catalog', async () => {
    const res = await t.request(PLATFORM, '/api/platform/plugins/refused/versions', {
      body: { manifest: manifestFor('refused', '1.0.0', { engine: '^2.0.0' }), bundle: bundleOf('x') }, cookies: a.cookie, headers: { 'accept-language': 'en' },
    });
    expect(res.body.error.message).toBe('The plugin does not support this platform version');
  });

  it('refuses malformed bundle metadata with VALIDATION_FAILED', async () => {
    const res = await api(a, '/refused/versions', { body: { manifest: manifestFor('refused'), bundle: { sha256: 'abc', size: 0, entry: '../x' } } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('who may do what', () => {
  it('asks for a signed-in account (401) everywhere but the public listing', async () => {
    expect((await api(null, '')).status).toBe(200);
    for (const [method, path] of [['POST', ''], ['GET', '/mine'], ['GET', '/queue'], ['POST', '/author'], ['POST', '/x1/versions'], ['POST', '/x1/versions/1.0.0/approve']] as const) {
      const res = await api(null, path, { method, body: method === 'POST' ? {} : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('gives an account without the author role 403 on author routes, and without the reviewer role 403 on review routes', async () => {
    const merchant = await account();
    const before = { plugins: await t.count(await t.control(), 'plugins'), versions: await versionsStored() };
    for (const [method, path, body] of [['POST', '', listing('not-yet')], ['GET', '/mine', undefined], ['POST', '/refused/versions', uploadOf(wishlist())]] as const) {
      const res = await api(merchant, path, { method, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { role: 'author' } });
    }
    const a = await author();
    for (const step of ['approve', 'reject', 'publish']) {
      const res = await api(a, `/refused/versions/1.0.0/${step}`, { method: 'POST', body: { note: 'x' } });
      expect(res.status, step).toBe(403);
      expect(res.body.error.details).toEqual({ role: 'reviewer' });
    }
    expect((await api(a, '/queue')).status).toBe(403);
    expect({ plugins: await t.count(await t.control(), 'plugins'), versions: await versionsStored() }).toEqual(before);
  });

  it('lets only the plugin\'s author change its listing or add versions, and no reviewer review their own plugin', async () => {
    const owner = await author();
    const other = await author();
    await api(owner, '', { body: listing('owned') });
    expect((await api(other, '/owned', { method: 'PATCH', body: { category: 'other' } })).status).toBe(403);
    expect((await api(other, '/owned/versions', { body: { manifest: manifestFor('owned'), bundle: bundleOf('o') } })).status).toBe(403);
    expect((await api(owner, '/owned', { method: 'PATCH', body: { category: 'members' } })).body.plugin.category).toBe('members');

    // The reviewer turns author: their own plugin needs another reviewer.
    expect((await api(reviewer, '/author', { method: 'POST' })).status).toBe(200);
    await api(reviewer, '', { body: listing('self-made') });
    await api(reviewer, '/self-made/versions', { body: { manifest: manifestFor('self-made'), bundle: bundleOf('s') } });
    await api(reviewer, '/self-made/versions/1.0.0/submit', { method: 'POST' });
    const self = await api(reviewer, '/self-made/versions/1.0.0/approve', { body: {} });
    expect(self.status).toBe(403);
    expect(self.body.error.details).toEqual({ reason: 'own-plugin' });
    expect((await api(other, '/self-made/versions/1.0.0')).status).toBe(403);
    expect((await api(reviewer, '/owned/versions/1.0.0')).status).toBe(404);
  });

  it('keeps ids unique, and away from the words the routes use', async () => {
    const a = await author();
    expect((await api(a, '', { body: listing('unique-id') })).status).toBe(201);
    for (const id of ['unique-id', 'mine', 'queue', 'author']) {
      const res = await api(a, '', { body: listing(id) });
      expect(res.status, id).toBe(409);
      expect(res.body.error.code).toBe('PLUGIN_ID_TAKEN');
    }
    expect((await api(a, '', { body: listing('Bad_Id') })).status).toBe(400);
  });

  it('serves the marketplace API on the platform host only', async () => {
    await t.signupShop('pphost');
    expect((await t.request('pphost.localhost', '/api/platform/plugins')).status).toBe(404);
    expect((await t.request('localhost', '/s/pphost/api/platform/plugins')).status).toBe(404);
  });
});
