import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, createPasswordHasher, manualClock, type Platform } from '@tuike/core';
import { createApp } from '@tuike/api';
import { openTestPlatform, type TestPlatform } from './testing/test-platform';
import { cleanupStaleSignups, LATEST_SHOP_SCHEMA, signup, type ControlPlane, type SignupStep } from './index';

const hasher = createPasswordHasher('crash-test-pepper');
const steps: SignupStep[] = ['recorded', 'provisioned', 'migrated', 'seeded'];
const input = { email: 'crash@example.com', password: 'crash-pass-1', shopName: 'Crash Shop', slug: 'crashshop' };

let dataDir: string;
let clock: ReturnType<typeof manualClock>;
let platform: Platform;
let control: ControlPlane;

let env: TestPlatform;
beforeEach(async () => {
  env = await openTestPlatform('crash');
  ({ dataDir, clock, platform, control } = env);
});
afterEach(() => env.close());

const crashAt = (step: SignupStep) => (at: SignupStep) => { if (at === step) throw new Error(`crash at ${at}`); };
const rows = async (sql: string, args: (string | number)[] = []) => (await control.client.execute({ sql, args })).rows;
const dbFile = (dbName: string) => join(dataDir, 'shops', `${dbName}.db`);

async function crashedSignup(step: SignupStep) {
  await expect(signup(platform, control, input, { hasher, faultAt: crashAt(step) })).rejects.toThrow(`crash at ${step}`);
  const [tenant] = await rows('SELECT * FROM tenants WHERE slug = ?', [input.slug]);
  expect(tenant).toMatchObject({ status: 'provisioning' });
  return tenant!;
}

/** The owner signs in to the shop admin over HTTP with the signup password. */
async function ownerLogin(password = input.password) {
  const app = await createApp(platform, { passwordPepper: 'crash-test-pepper', tenantCacheTtlMs: 0 });
  const res = await app.request(`http://${input.slug}.localhost/api/admin/auth/login`, {
    method: 'POST',
    headers: { host: `${input.slug}.localhost`, origin: `http://${input.slug}.localhost`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: input.email, password }),
  }, { clientIp: '203.0.113.7' });
  return { status: res.status, body: await res.json() as { staff?: { roles: { builtin: string }[] } } };
}

describe('signup interrupted by a crash', () => {
  it.each(steps)('leaves a provisioning shop that is not served when it crashes after %s', async (step) => {
    await crashedSignup(step);
    const login = await ownerLogin();
    expect(login.status).toBe(503);
    expect(login.body).toMatchObject({ error: { code: 'SHOP_PROVISIONING' } });
  });

  it.each(steps)('completes when the same signup is retried after a crash after %s', async (step) => {
    const crashed = await crashedSignup(step);
    const result = await signup(platform, control, input, { hasher });
    expect(result.tenant).toMatchObject({ id: crashed.id, slug: input.slug, status: 'active' });
    expect(await rows('SELECT id, status FROM tenants')).toEqual([expect.objectContaining({ id: crashed.id, status: 'active' })]);
    expect(await rows('SELECT id FROM accounts')).toHaveLength(1);
    expect(existsSync(dbFile(String(crashed.db_name)))).toBe(true);

    const shop = await platform.databases.shop({ name: String(crashed.db_name) });
    expect((await shop.execute('SELECT count(*) AS n FROM staff')).rows[0]!.n).toBe(1);
    expect((await shop.execute('SELECT count(*) AS n FROM roles WHERE builtin IS NOT NULL')).rows[0]!.n).toBe(4);
    expect((await shop.execute('SELECT count(*) AS n FROM settings')).rows[0]!.n).toBe(4);
    expect((await shop.execute('SELECT count(*) AS n FROM __migrations')).rows[0]!.n).toBe(LATEST_SHOP_SCHEMA);

    const login = await ownerLogin();
    expect(login.status).toBe(200);
    expect(login.body.staff?.roles.map((r) => r.builtin)).toEqual(['super_admin']);
  });

  it.each(steps)('is removed by cleanupStaleSignups after a crash after %s, freeing the slug and the email', async (step) => {
    const crashed = await crashedSignup(step);
    clock.advance(16 * 60_000);
    expect(await cleanupStaleSignups(platform, control, 15 * 60_000)).toBe(1);
    expect(await rows('SELECT id FROM tenants')).toEqual([]);
    expect(await rows('SELECT id FROM accounts')).toEqual([]);
    expect(existsSync(dbFile(String(crashed.db_name)))).toBe(false);
    expect(existsSync(`${dbFile(String(crashed.db_name))}-wal`)).toBe(false);

    const again = await signup(platform, control, { ...input, password: 'another-pass-2' }, { hasher });
    expect(again.tenant.status).toBe('active');
    expect(again.tenant.id).not.toBe(crashed.id);
    expect((await ownerLogin('another-pass-2')).status).toBe(200);
  });

  it('blocks the slug for a different signup while the crashed one is still resumable', async () => {
    await crashedSignup('migrated');
    await expect(signup(platform, control, { ...input, email: 'other@example.com' }, { hasher })).rejects.toMatchObject({ code: 'SLUG_TAKEN' });
  });

  it('does not resume a crashed signup for someone who does not know its password', async () => {
    await crashedSignup('provisioned');
    const err = await signup(platform, control, { ...input, password: 'guessing-pass-3' }, { hasher }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('EMAIL_TAKEN');
    expect(await rows('SELECT status FROM tenants')).toEqual([expect.objectContaining({ status: 'provisioning' })]);
  });

  it('keeps a crashed signup younger than the cutoff, and every active shop', async () => {
    await signup(platform, control, { ...input, slug: 'healthy', email: 'healthy@example.com' }, { hasher });
    const crashed = await crashedSignup('seeded');
    clock.advance(10 * 60_000);
    expect(await cleanupStaleSignups(platform, control, 15 * 60_000)).toBe(0);
    expect(await rows('SELECT slug FROM tenants ORDER BY slug')).toEqual([expect.objectContaining({ slug: 'crashshop' }), expect.objectContaining({ slug: 'healthy' })]);
    expect(existsSync(dbFile(String(crashed.db_name)))).toBe(true);
    clock.advance(6 * 60_000);
    expect(await cleanupStaleSignups(platform, control, 15 * 60_000)).toBe(1);
    expect(await rows('SELECT slug, status FROM tenants')).toEqual([expect.objectContaining({ slug: 'healthy', status: 'active' })]);
    expect(await rows('SELECT email FROM accounts')).toEqual([expect.objectContaining({ email: 'healthy@example.com' })]);
  });

  it('keeps the account when it owns another shop', async () => {
    const owner = await signup(platform, control, { ...input, slug: 'first-shop' }, { hasher });
    // A second shop of the same account, left half-made by a crash (signup itself refuses a second
    // shop per email, so the row is written as the platform would for an existing merchant).
    await control.client.execute({
      sql: `INSERT INTO tenants (id, slug, name, status, plan_id, owner_account_id, db_name, schema_version, created_at, updated_at)
            VALUES ('t2', 'second-shop', 'Second', 'provisioning', 'free', ?, 'shop-second', 0, ?, ?)`,
      args: [owner.account.id, clock.now(), clock.now()],
    });
    clock.advance(60 * 60_000);
    expect(await cleanupStaleSignups(platform, control, 15 * 60_000)).toBe(1);
    expect(await rows('SELECT slug FROM tenants')).toEqual([expect.objectContaining({ slug: 'first-shop' })]);
    expect(await rows('SELECT id FROM accounts')).toEqual([expect.objectContaining({ id: owner.account.id })]);
  });
});
