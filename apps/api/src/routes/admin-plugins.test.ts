import type { Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginDefinition } from '@tuike/plugin-sdk';
import { cookieHeader, createTestApp, type TestApp } from '../testing/test-app';
import { createPluginRegistry, type PluginRegistry } from '../plugins/registry';
import { broken, bundleOf, greeter, stamps, uploadOf, wishlist } from '../plugins/testing/sample-plugins';

const PLATFORM = 'localhost';
const REVIEWER = 'ap-reviewer@example.com';

/** The deployment's bundled plugins; a test "deploys" a newer stamps by swapping the list. */
let bundled: PluginDefinition[] = [stamps('1.0.0'), greeter];
const thirdParty = createPluginRegistry({ thirdParty: [{ definition: wishlist('1.0.0'), sha256: bundleOf('wishlist@1.0.0').sha256 }] });
const registry: PluginRegistry = { firstParty: () => bundled, approvedBundle: (ref) => thirdParty.approvedBundle(ref) };

let t: TestApp;
let shopA: { host: string; cookie: string; db: Client };
let shopB: { host: string; cookie: string; db: Client };
let authorCookie: string;
let reviewerCookie: string;

async function shop(slug: string) {
  const { ownerCookie } = await t.signupAndLogin(slug);
  return { host: `${slug}.localhost`, cookie: ownerCookie, db: await t.shopDb(slug) };
}

async function platformLogin(slug: string, email?: string) {
  const s = await t.signupShop(slug, email);
  const res = await t.request(PLATFORM, '/api/platform/login', { body: { email: s.email, password: s.password }, cookies: '' });
  return cookieHeader(res.setCookies);
}

beforeAll(async () => {
  t = await createTestApp({ loginRateLimit: { max: 10_000, windowMs: 60_000 }, pluginRegistry: registry, platformReviewers: [REVIEWER] });
  shopA = await shop('plugshopa');
  shopB = await shop('plugshopb');
  authorCookie = await platformLogin('plugauthor');
  await t.request(PLATFORM, '/api/platform/plugins/author', { method: 'POST', cookies: authorCookie });
  reviewerCookie = await platformLogin('plugreviewer', REVIEWER);
  const listed = await t.request(PLATFORM, '/api/platform/plugins', {
    body: { id: 'wishlist', name: { zh: '心愿单', en: 'Wishlist' }, summary: { zh: '收藏', en: 'Keep' }, description: { zh: '收藏商品', en: 'Keep products' }, category: 'sales' }, cookies: authorCookie,
  });
  expect(listed.status).toBe(201);
});
afterAll(async () => { await t.close(); });

type Shop = typeof shopA;
const admin = (s: Shop, path: string, init: { method?: string; body?: unknown } = {}) =>
  t.request(s.host, `/api/admin/plugins${path}`, { ...init, cookies: s.cookie });

const market = (path: string, cookie: string, init: { method?: string; body?: unknown } = {}) =>
  t.request(PLATFORM, `/api/platform/plugins${path}`, { ...init, cookies: cookie });

/** Uploads a wishlist version and takes it through review up to `until`. */
async function releaseWishlist(version: string, until: 'draft' | 'submitted' | 'approved' | 'published', seed = `wishlist@${version}`) {
  const added = await market('/wishlist/versions', authorCookie, { body: uploadOf(wishlist(version), seed) });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  const steps = ['submitted', 'approved', 'published'] as const;
  for (const step of steps.slice(0, steps.indexOf(until as (typeof steps)[number]) + 1)) {
    const [path, cookie] = step === 'submitted' ? ['submit', authorCookie] : step === 'approved' ? ['approve', reviewerCookie] : ['publish', reviewerCookie];
    const res = await market(`/wishlist/versions/${version}/${path}`, cookie, { method: 'POST', body: {} });
    expect(res.status, `${version} ${path}`).toBe(200);
  }
}

const tablesOf = async (db: Client, prefix: string) =>
  (await db.execute({ sql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ORDER BY name`, args: [`${prefix}%`] })).rows.map((r) => String(r.name));
const ledger = async (db: Client, id: string) =>
  (await db.execute({ sql: 'SELECT step, version, applied_at FROM plugin_migrations WHERE plugin_id = ? ORDER BY step', args: [id] })).rows.map((r) => ({ step: Number(r.step), version: String(r.version), appliedAt: Number(r.applied_at) }));
const installRow = async (db: Client, id: string) => (await db.execute({ sql: 'SELECT * FROM plugin_installs WHERE plugin_id = ?', args: [id] })).rows[0];
const pluginAudits = async (db: Client, id: string) =>
  (await db.execute({ sql: `SELECT action, before, after FROM audit_log WHERE entity = 'plugin' AND entity_id = ? ORDER BY created_at, rowid`, args: [id] })).rows
    .map((r) => ({ action: String(r.action), before: r.before === null ? null : JSON.parse(String(r.before)), after: r.after === null ? null : JSON.parse(String(r.after)) }));

describe('the shop\'s marketplace', () => {
  it('lists the bundled first-party plugins with their capabilities, nothing installed', async () => {
    const res = await admin(shopB, '');
    expect(res.status).toBe(200);
    expect(res.body.plugins.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['stamps', 'greeter']));
    expect(res.body.plugins.find((p: { id: string }) => p.id === 'stamps')).toMatchObject({
      source: 'first_party', available: '1.0.0', capabilities: ['events.order'], installed: null, upgradeAvailable: false, runnable: true, name: { en: 'Stamp cards' },
    });
    const detail = await admin(shopB, '/stamps');
    expect(detail.body.plugin.manifest).toMatchObject({ id: 'stamps', migrations: [expect.stringContaining('plg_stamps_cards')], events: ['order.paid'] });
    expect((await admin(shopB, '/no-such-plugin')).status).toBe(404);
  });
});

describe('installing a first-party plugin', () => {
  it('runs its migrations in this shop only, with a ledger row per step and an audit row', async () => {
    const res = await admin(shopA, '/stamps/install', { body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ install: { version: '1.0.0', source: 'first_party', enabled: true, critical: false, failures: 0 }, appliedSteps: [0] });
    expect(await tablesOf(shopA.db, 'plg_stamps_')).toEqual(['plg_stamps_cards']);
    expect(await ledger(shopA.db, 'stamps')).toEqual([{ step: 0, version: '1.0.0', appliedAt: t.clock.now() }]);
    expect(await pluginAudits(shopA.db, 'stamps')).toEqual([{ action: 'install', before: null, after: { version: '1.0.0', source: 'first_party', enabled: true, steps: [0] } }]);
    // Another shop has neither the table nor the install: one shop's data never reaches another's plugin.
    expect(await tablesOf(shopB.db, 'plg_')).toEqual([]);
    expect(await t.count(shopB.db, 'plugin_installs')).toBe(0);
    expect((await admin(shopB, '')).body.plugins.find((p: { id: string }) => p.id === 'stamps').installed).toBeNull();
    expect((await admin(shopA, '')).body.plugins.find((p: { id: string }) => p.id === 'stamps').installed).toMatchObject({ version: '1.0.0' });
  });

  it('is idempotent: installing again changes nothing, also when two installs race', async () => {
    await shopA.db.execute(`INSERT INTO plg_stamps_cards (member_id, stamps) VALUES ('m1', 3)`);
    const audits = await t.count(shopA.db, 'audit_log');
    const again = await admin(shopA, '/stamps/install', { body: {} });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ install: { version: '1.0.0' }, appliedSteps: [] });
    expect(await t.count(shopA.db, 'audit_log')).toBe(audits);
    expect(await t.count(shopA.db, 'plg_stamps_cards')).toBe(1);

    const raced = await Promise.all([admin(shopB, '/stamps/install', { body: {} }), admin(shopB, '/stamps/install', { body: {} })]);
    expect(raced.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(await ledger(shopB.db, 'stamps')).toHaveLength(1);
    expect(await pluginAudits(shopB.db, 'stamps')).toHaveLength(1);
    expect((await admin(shopB, '/stamps/uninstall', { body: { keepData: false } })).status).toBe(200);
  });

  it('refuses another version of an installed plugin, and a version the deployment does not bundle', async () => {
    expect((await admin(shopA, '/stamps/install', { body: { version: '1.1.0' } })).body.error.code).toBe('PLUGIN_VERSION_NOT_FOUND');
    expect((await admin(shopB, '/stamps/install', { body: { version: '0.9.0' } })).body.error.code).toBe('PLUGIN_VERSION_NOT_FOUND');
    expect(await t.count(shopB.db, 'plugin_installs')).toBe(0);
  });
});

describe('configuring', () => {
  it('returns the form generated from the settings schema, with the values (defaults filled)', async () => {
    const res = await admin(shopA, '/stamps/settings');
    expect(res.status).toBe(200);
    expect(res.body.values).toEqual({ stampsPerCard: 10, reward: 500 });
    expect(res.body.form).toEqual([
      expect.objectContaining({ key: 'stampsPerCard', type: 'number', integer: true, min: 1, max: 50, default: 10, required: false, label: { zh: 'Stamps per card', en: 'Stamps per card' } }),
      expect.objectContaining({ key: 'reward', type: 'money-fen', min: 0, default: 500 }),
    ]);
  });

  it('stores settings the schema accepts, and audits the change', async () => {
    const res = await admin(shopA, '/stamps/settings', { method: 'PUT', body: { values: { stampsPerCard: 8 } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.values).toEqual({ stampsPerCard: 8, reward: 500 });
    expect(JSON.parse(String((await installRow(shopA.db, 'stamps'))!.settings))).toEqual({ stampsPerCard: 8, reward: 500 });
    expect((await pluginAudits(shopA.db, 'stamps')).at(-1)).toEqual({ action: 'configure', before: { stampsPerCard: 10, reward: 500 }, after: { stampsPerCard: 8, reward: 500 } });
  });

  it.each([
    ['a number out of range', { stampsPerCard: 0 }],
    ['a fraction where a whole number is asked', { stampsPerCard: 2.5 }],
    ['negative money', { reward: -1 }],
    ['the wrong type', { stampsPerCard: '8' }],
  ])('refuses %s with PLUGIN_SETTINGS_INVALID and changes nothing', async (_, values) => {
    const before = { row: JSON.stringify(await installRow(shopA.db, 'stamps')), audit: await t.count(shopA.db, 'audit_log') };
    const res = await admin(shopA, '/stamps/settings', { method: 'PUT', body: { values } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'PLUGIN_SETTINGS_INVALID', details: { issues: [expect.objectContaining({ path: Object.keys(values)[0] })] } });
    expect({ row: JSON.stringify(await installRow(shopA.db, 'stamps')), audit: await t.count(shopA.db, 'audit_log') }).toEqual(before);
  });

  it('installs a plugin with a required setting disabled, refuses enabling it until configured', async () => {
    const res = await admin(shopA, '/greeter/install', { body: {} });
    expect(res.status).toBe(201);
    expect(res.body.install.enabled).toBe(false);
    const refused = await admin(shopA, '/greeter', { method: 'PATCH', body: { enabled: true } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'PLUGIN_SETTINGS_INVALID', details: { issues: [expect.objectContaining({ path: 'message' })] } });
    expect((await admin(shopA, '/greeter/settings', { method: 'PUT', body: { values: { message: '', tone: 'warm' } } })).status).toBe(400);
    expect((await admin(shopA, '/greeter/settings', { method: 'PUT', body: { values: { message: 'Hello', tone: 'loud' } } })).status).toBe(400);
    const set = await admin(shopA, '/greeter/settings', { method: 'PUT', body: { values: { message: 'Hello' } } });
    expect(set.body.values).toEqual({ message: 'Hello', tone: 'warm' });
    expect((await admin(shopA, '/greeter', { method: 'PATCH', body: { enabled: true } })).body.install.enabled).toBe(true);
  });
});

describe('enable, disable, critical', () => {
  it('disabling clears the circuit breaker, and every change is audited', async () => {
    await shopA.db.execute(`UPDATE plugin_installs SET failures = 5, switched_off_at = 123, switched_off_reason = 'timeouts' WHERE plugin_id = 'stamps'`);
    const off = await admin(shopA, '/stamps', { method: 'PATCH', body: { enabled: false } });
    expect(off.status).toBe(200);
    expect(off.body.install).toMatchObject({ enabled: false, failures: 0, switchedOffAt: null, switchedOffReason: null });
    expect((await pluginAudits(shopA.db, 'stamps')).at(-1)).toMatchObject({ action: 'update', before: { enabled: true, failures: 5, switchedOffAt: 123 }, after: { enabled: false, failures: 0, switchedOffAt: null } });

    const critical = await admin(shopA, '/stamps', { method: 'PATCH', body: { enabled: true, critical: true, position: 20 } });
    expect(critical.body.install).toMatchObject({ enabled: true, critical: true, position: 20 });
    const row = await installRow(shopA.db, 'stamps');
    expect(row).toMatchObject({ enabled: 1, critical: 1, position: 20, failures: 0, switched_off_at: null });
    const audits = await t.count(shopA.db, 'audit_log');
    expect((await admin(shopA, '/stamps', { method: 'PATCH', body: { critical: true } })).status).toBe(200);
    expect(await t.count(shopA.db, 'audit_log')).toBe(audits);
    expect((await admin(shopB, '/stamps', { method: 'PATCH', body: { enabled: true } })).body.error.code).toBe('PLUGIN_NOT_INSTALLED');
  });
});

describe('upgrading', () => {
  it('runs only the new migration steps when the deployment ships a newer first-party version', async () => {
    const firstStep = (await ledger(shopA.db, 'stamps'))[0]!;
    expect((await admin(shopA, '/stamps/upgrade', { body: {} })).body.error.code).toBe('PLUGIN_NO_UPGRADE');
    bundled = [stamps('1.1.0'), greeter];
    try {
      expect((await admin(shopA, '')).body.plugins.find((p: { id: string }) => p.id === 'stamps')).toMatchObject({ upgradeAvailable: true, runnable: false });
      t.clock.advance(60_000);
      const res = await admin(shopA, '/stamps/upgrade', { body: {} });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ install: { version: '1.1.0', enabled: true }, appliedSteps: [1], needsSettings: false });
      expect(await ledger(shopA.db, 'stamps')).toEqual([firstStep, { step: 1, version: '1.1.0', appliedAt: t.clock.now() }]);
      expect(await tablesOf(shopA.db, 'plg_stamps_')).toEqual(['plg_stamps_cards', 'plg_stamps_rewards']);
      expect(await t.count(shopA.db, 'plg_stamps_cards')).toBe(1);
      expect(JSON.parse(String((await installRow(shopA.db, 'stamps'))!.settings))).toEqual({ stampsPerCard: 8, reward: 500, expiryDays: 365 });
      expect((await pluginAudits(shopA.db, 'stamps')).at(-1)).toEqual({ action: 'upgrade', before: { version: '1.0.0', enabled: true }, after: { version: '1.1.0', enabled: true, steps: [1] } });
      expect((await admin(shopA, '')).body.plugins.find((p: { id: string }) => p.id === 'stamps')).toMatchObject({ upgradeAvailable: false, runnable: true });
      expect((await admin(shopA, '/stamps/upgrade', { body: {} })).body.error.code).toBe('PLUGIN_NO_UPGRADE');
    } finally {
      bundled = [stamps('1.0.0'), greeter];
    }
  });
});

describe('uninstalling', () => {
  it('with keepData=true keeps the tables and the ledger; a later install runs no step and finds the data', async () => {
    await shopA.db.execute(`INSERT INTO plg_stamps_rewards (id, member_id, amount) VALUES ('r1', 'm1', 500)`);
    const res = await admin(shopA, '/stamps/uninstall', { body: { keepData: true } });
    expect(res.status).toBe(200);
    expect(res.body.droppedTables).toEqual([]);
    expect(await installRow(shopA.db, 'stamps')).toBeUndefined();
    expect(await tablesOf(shopA.db, 'plg_stamps_')).toEqual(['plg_stamps_cards', 'plg_stamps_rewards']);
    expect(await ledger(shopA.db, 'stamps')).toHaveLength(2);
    expect((await pluginAudits(shopA.db, 'stamps')).at(-1)).toEqual({ action: 'uninstall', before: { version: '1.1.0', enabled: true }, after: { keepData: true, dropped: [] } });

    bundled = [stamps('1.1.0'), greeter];
    try {
      const back = await admin(shopA, '/stamps/install', { body: {} });
      expect(back.status).toBe(201);
      expect(back.body.appliedSteps).toEqual([]);
      expect(await t.count(shopA.db, 'plg_stamps_rewards')).toBe(1);
    } finally {
      bundled = [stamps('1.0.0'), greeter];
    }
  });

  it('with keepData=false drops only the plugin\'s own tables, and its ledger', async () => {
    // Data kept by another plugin whose prefix nests in this one's (stamps-pro: plg_stamps_pro_…) is not this plugin's.
    await shopA.db.batch([
      'CREATE TABLE plg_stamps_pro_cards (id TEXT)',
      `INSERT INTO plugin_migrations (plugin_id, step, version, applied_at) VALUES ('stamps-pro', 0, '1.0.0', 0)`,
    ], 'write');
    const res = await admin(shopA, '/stamps/uninstall', { body: { keepData: false } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.droppedTables).toEqual(['plg_stamps_rewards', 'plg_stamps_cards']);
    expect(await tablesOf(shopA.db, 'plg_stamps')).toEqual(['plg_stamps_pro_cards']);
    expect(await ledger(shopA.db, 'stamps')).toEqual([]);
    expect(await ledger(shopA.db, 'stamps-pro')).toHaveLength(1);
    expect(await installRow(shopA.db, 'stamps')).toBeUndefined();
    expect(await t.count(shopA.db, 'plugin_installs', "plugin_id = 'greeter'")).toBe(1);
    expect((await pluginAudits(shopA.db, 'stamps')).at(-1)).toEqual({ action: 'uninstall', before: { version: '1.1.0', enabled: true }, after: { keepData: false, dropped: ['plg_stamps_rewards', 'plg_stamps_cards'] } });
    expect((await admin(shopA, '/stamps/uninstall', { body: { keepData: false } })).body.error.code).toBe('PLUGIN_NOT_INSTALLED');
    await shopA.db.batch(['DROP TABLE plg_stamps_pro_cards', `DELETE FROM plugin_migrations WHERE plugin_id = 'stamps-pro'`], 'write');
  });

  it('removes data an earlier uninstall kept, on request', async () => {
    await admin(shopB, '/stamps/install', { body: {} });
    await admin(shopB, '/stamps/uninstall', { body: { keepData: true } });
    expect(await tablesOf(shopB.db, 'plg_stamps_')).toEqual(['plg_stamps_cards']);
    expect((await admin(shopB, '/stamps/uninstall', { body: { keepData: true } })).body.error.code).toBe('PLUGIN_NOT_INSTALLED');
    const res = await admin(shopB, '/stamps/uninstall', { body: { keepData: false } });
    expect(res.body.droppedTables).toEqual(['plg_stamps_cards']);
    expect(await tablesOf(shopB.db, 'plg_')).toEqual([]);
  });
});

describe('when things go wrong', () => {
  it('installs nothing at all when SQLite refuses a migration step the analyser let through', async () => {
    bundled = [stamps('1.0.0'), greeter, broken];
    try {
      const audits = await t.count(shopB.db, 'audit_log');
      const res = await admin(shopB, '/broken/install', { body: {} });
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'PLUGIN_MIGRATION_FAILED', details: { steps: [0, 1], message: expect.stringContaining('already exists') } });
      // Step 0 ran fine, yet it is gone with the rest: the steps, the ledger and the install are one batch.
      expect(await tablesOf(shopB.db, 'plg_broken_')).toEqual([]);
      expect(await ledger(shopB.db, 'broken')).toEqual([]);
      expect(await installRow(shopB.db, 'broken')).toBeUndefined();
      expect(await t.count(shopB.db, 'audit_log')).toBe(audits);
    } finally {
      bundled = [stamps('1.0.0'), greeter];
    }
  });

  it('still lets the merchant switch off and uninstall a plugin the deployment no longer ships', async () => {
    bundled = [stamps('1.0.0')];
    try {
      const listed = (await admin(shopA, '')).body.plugins.find((p: { id: string }) => p.id === 'greeter');
      expect(listed).toMatchObject({ source: 'first_party', available: null, runnable: false, installed: { enabled: true } });
      expect((await admin(shopA, '/greeter', { method: 'PATCH', body: { enabled: false } })).body.install.enabled).toBe(false);
      expect((await admin(shopA, '/greeter', { method: 'PATCH', body: { enabled: true } })).body.error.code).toBe('PLUGIN_NOT_FOUND');
      expect((await admin(shopA, '/greeter/settings')).body.error.code).toBe('PLUGIN_NOT_FOUND');
    } finally {
      bundled = [stamps('1.0.0'), greeter];
    }
    expect((await admin(shopA, '/greeter', { method: 'PATCH', body: { enabled: true } })).body.install.enabled).toBe(true);
  });
});

describe('third-party plugins', () => {
  it('cannot be installed before review approves and publishes a version', async () => {
    await releaseWishlist('1.0.0', 'submitted');
    const before = { installs: await t.count(shopA.db, 'plugin_installs'), audit: await t.count(shopA.db, 'audit_log') };
    const refused = async () => {
      for (const body of [{}, { version: '1.0.0' }]) {
        const res = await admin(shopA, '/wishlist/install', { body });
        expect(res.status, JSON.stringify(body)).toBe(409);
        expect(res.body.error.code).toBe('PLUGIN_VERSION_NOT_INSTALLABLE');
      }
      expect(await tablesOf(shopA.db, 'plg_wishlist_')).toEqual([]);
      expect({ installs: await t.count(shopA.db, 'plugin_installs'), audit: await t.count(shopA.db, 'audit_log') }).toEqual(before);
    };
    await refused();
    expect((await admin(shopA, '')).body.plugins.map((p: { id: string }) => p.id)).not.toContain('wishlist');
    expect((await market('/wishlist/versions/1.0.0/approve', reviewerCookie, { body: {} })).status).toBe(200);
    await refused();
  });

  it('installs a published version from its reviewed manifest, and runs code only for the approved bundle', async () => {
    expect((await market('/wishlist/versions/1.0.0/publish', reviewerCookie, { method: 'POST' })).status).toBe(200);
    const listed = (await admin(shopA, '')).body.plugins.find((p: { id: string }) => p.id === 'wishlist');
    expect(listed).toMatchObject({ source: 'marketplace', available: '1.0.0', category: 'sales', capabilities: ['catalog.read', 'routes'], installed: null, runnable: true });

    const res = await admin(shopA, '/wishlist/install', { body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ install: { version: '1.0.0', source: 'marketplace', enabled: true }, appliedSteps: [0] });
    expect(await tablesOf(shopA.db, 'plg_wishlist_')).toEqual(['plg_wishlist_items']);
    expect(await tablesOf(shopB.db, 'plg_wishlist_')).toEqual([]);
    expect((await admin(shopA, '/wishlist/settings')).body.values).toEqual({ maxItems: 50, share: true });
    expect((await admin(shopA, '/wishlist/settings', { method: 'PUT', body: { values: { maxItems: 501 } } })).body.error.code).toBe('PLUGIN_SETTINGS_INVALID');
  });

  it('upgrades to a newer published version running only its new steps; a bundle nobody approved never runs', async () => {
    // 1.1.0 is published with a bundle the registry does not hold: installable (data), not runnable (code).
    await releaseWishlist('1.1.0', 'published', 'a different bundle');
    const listed = (await admin(shopA, '')).body.plugins.find((p: { id: string }) => p.id === 'wishlist');
    expect(listed).toMatchObject({ available: '1.1.0', upgradeAvailable: true, installed: { version: '1.0.0' }, runnable: true });
    const res = await admin(shopA, '/wishlist/upgrade', { body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ install: { version: '1.1.0' }, appliedSteps: [1] });
    expect(await tablesOf(shopA.db, 'plg_wishlist_')).toEqual(['plg_wishlist_items', 'plg_wishlist_shares']);
    expect(await ledger(shopA.db, 'wishlist')).toEqual([expect.objectContaining({ step: 0, version: '1.0.0' }), expect.objectContaining({ step: 1, version: '1.1.0' })]);
    expect((await admin(shopA, '')).body.plugins.find((p: { id: string }) => p.id === 'wishlist')).toMatchObject({ upgradeAvailable: false, runnable: false });
  });

  it('refuses an install whose tables would nest with a plugin the shop already has', async () => {
    const cookie = authorCookie;
    await market('', cookie, { body: { id: 'wishlist-pro', name: { zh: '心愿单', en: 'Wishlist pro' }, summary: { zh: '收藏', en: 'Keep' }, description: { zh: '收藏', en: 'Keep' }, category: 'sales' } });
    const pro = uploadOf(wishlist('1.0.0'));
    const manifest = { ...pro.manifest, id: 'wishlist-pro', migrations: ['CREATE TABLE plg_wishlist_pro_items (id TEXT PRIMARY KEY)'] };
    expect((await market('/wishlist-pro/versions', cookie, { body: { manifest, bundle: pro.bundle } })).status).toBe(201);
    await market('/wishlist-pro/versions/1.0.0/submit', cookie, { method: 'POST' });
    await market('/wishlist-pro/versions/1.0.0/approve', reviewerCookie, { body: {} });
    await market('/wishlist-pro/versions/1.0.0/publish', reviewerCookie, { method: 'POST' });
    const res = await admin(shopA, '/wishlist-pro/install', { body: {} });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PLUGIN_ID_CONFLICT');
    expect(await tablesOf(shopA.db, 'plg_wishlist_pro')).toEqual([]);
    expect((await admin(shopB, '/wishlist-pro/install', { body: {} })).status).toBe(201);
  });
});

describe('the plugin registry gate', () => {
  it('hands out third-party code only for the approved digest and the stored manifest', () => {
    const def = wishlist('1.0.0');
    const ok = { pluginId: 'wishlist', version: '1.0.0', sha256: bundleOf('wishlist@1.0.0').sha256, manifest: uploadOf(def).manifest };
    expect(registry.approvedBundle(ok)).toBe(thirdParty.approvedBundle(ok));
    expect(registry.approvedBundle(ok)?.id).toBe('wishlist');
    expect(registry.approvedBundle({ ...ok, sha256: bundleOf('tampered').sha256 })).toBeNull();
    expect(registry.approvedBundle({ ...ok, manifest: { ...ok.manifest, capabilities: ['catalog.read', 'routes', 'orders.read'] } })).toBeNull();
    expect(registry.approvedBundle({ ...ok, version: '1.1.0' })).toBeNull();
  });

  it('refuses to start with an unsound, duplicated or unhashed entry', () => {
    expect(() => createPluginRegistry({ firstParty: [greeter, greeter] })).toThrow(/twice/);
    expect(() => createPluginRegistry({ thirdParty: [{ definition: wishlist(), sha256: 'nope' }] })).toThrow(/sha256/);
    expect(() => createPluginRegistry({ firstParty: [greeter], thirdParty: [{ definition: greeter, sha256: bundleOf('g').sha256 }] })).toThrow(/first-party/);
    expect(() => createPluginRegistry({ firstParty: [{ ...greeter, engine: '^9.0.0' }] })).toThrow(/PLUGIN_ENGINE_MISMATCH/);
  });
});
