import { and, eq, lt } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { AppError, isStrongPassword, isUniqueViolation, newId, type PasswordHasher, type Platform } from '@tuike/core';
import { accounts, tenants } from '@tuike/db-control';
import { migrations as shopMigrations, schema as shopSchema, settings } from '@tuike/db-tenant';
import { migrate, shopDatabaseName } from '@tuike/db-runtime';
import { auditInsert, OWNER_STAFF_ID, ownerSeedQueries } from '@tuike/staff';
import type { ControlPlane } from './control-plane';
import { assertSlug } from './slug';
import { LATEST_SHOP_SCHEMA } from './tenant-directory';

export interface SignupInput {
  email: string;
  password: string;
  shopName: string;
  slug: string;
}

/** The points between steps where a crash can happen; tests inject failures there. */
export type SignupStep = 'recorded' | 'provisioned' | 'migrated' | 'seeded';

export interface SignupOptions {
  hasher: PasswordHasher;
  /** The signing-up client's IP, for the shop's first audit row. */
  ip?: string | null;
  faultAt?: (step: SignupStep) => void;
}

export const defaultShopSettings = (shopName: string) => ({
  shopName,
  locale: 'zh-CN',
  timezone: 'Asia/Shanghai',
  currency: 'CNY',
});

/**
 * Signup (A1): account + shop row (status 'provisioning') in one control-plane batch, then the
 * shop database is provisioned, migrated and seeded — each step idempotent — and only then the
 * shop turns 'active'. A crash between steps leaves a 'provisioning' shop that the same signup
 * retried completes, or that `cleanupStaleSignups` removes.
 */
export async function signup(platform: Platform, control: ControlPlane, input: SignupInput, opts: SignupOptions) {
  const email = input.email.trim().toLowerCase();
  const slug = assertSlug(input.slug);
  if (!isStrongPassword(input.password)) throw new AppError('WEAK_PASSWORD');
  const now = platform.clock.now();

  const resumed = await findResumableSignup(control, email, slug, input.password, opts.hasher);
  let tenant = resumed?.tenant;
  let account = resumed?.account;
  if (!tenant || !account) {
    const [existingAccount] = await control.orm.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
    if (existingAccount) throw new AppError('EMAIL_TAKEN');
    const [existingTenant] = await control.orm.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
    if (existingTenant) throw new AppError('SLUG_TAKEN');
    const accountId = newId();
    const tenantId = newId();
    account = { id: accountId, email, passwordHash: await opts.hasher.hash(input.password), roles: ['merchant'], createdAt: now };
    tenant = {
      id: tenantId, slug, name: input.shopName.trim(), status: 'provisioning' as const, planId: 'free', ownerAccountId: accountId,
      dbName: shopDatabaseName(tenantId), schemaVersion: 0, createdAt: now, updatedAt: now,
    };
    try {
      await control.orm.batch([control.orm.insert(accounts).values(account), control.orm.insert(tenants).values(tenant)]);
    } catch (e) {
      // Two signups raced past the reads above: the database's UNIQUE constraints pick one winner.
      if (isUniqueViolation(e, 'tenants.slug')) throw new AppError('SLUG_TAKEN');
      if (isUniqueViolation(e, 'accounts.email')) throw new AppError('EMAIL_TAKEN');
      throw e;
    }
  }
  opts.faultAt?.('recorded');

  await platform.databases.provision(tenant.dbName);
  opts.faultAt?.('provisioned');
  const db = await platform.databases.lease({ name: tenant.dbName });
  try {
    await migrate(db, shopMigrations, () => now);
    opts.faultAt?.('migrated');
    const orm = drizzle(db, { schema: shopSchema });
    const settingRows = Object.entries(defaultShopSettings(tenant.name)).map(([key, value]) => ({ key, value, updatedAt: now }));
    const ownerName = email.split('@')[0] ?? email;
    // The shop's history starts with its own creation; the fixed id keeps a retried seed single.
    const created = auditInsert(orm, { staffId: OWNER_STAFF_ID, staffName: ownerName, ip: opts.ip ?? null },
      { entity: 'shop', entityId: tenant.slug, action: 'create', before: null, after: { name: tenant.name, slug: tenant.slug, plan: tenant.planId } }, now, `${tenant.id}-created`);
    await orm.batch([
      ...ownerSeedQueries(orm, { email, name: ownerName, passwordHash: account.passwordHash }, now),
      orm.insert(settings).values(settingRows).onConflictDoNothing(),
      created.onConflictDoNothing(),
    ]);
  } finally {
    db.release();
  }
  opts.faultAt?.('seeded');

  await control.orm.update(tenants)
    .set({ status: 'active', schemaVersion: LATEST_SHOP_SCHEMA, updatedAt: platform.clock.now() })
    .where(eq(tenants.id, tenant.id));
  return { account: { id: account.id, email }, tenant: { ...tenant, status: 'active' as const, schemaVersion: LATEST_SHOP_SCHEMA } };
}

/** A retried signup (same email, slug and password) picks up a shop left half-made by a crash. */
async function findResumableSignup(control: ControlPlane, email: string, slug: string, password: string, hasher: PasswordHasher) {
  const [row] = await control.orm.select({ account: accounts, tenant: tenants }).from(tenants)
    .innerJoin(accounts, eq(accounts.id, tenants.ownerAccountId))
    .where(and(eq(tenants.slug, slug), eq(accounts.email, email), eq(tenants.status, 'provisioning')));
  if (!row || !(await hasher.verify(password, row.account.passwordHash))) return null;
  return row;
}

/** Removes shops a crash left in 'provisioning' longer than `olderThanMs`, with their database. */
export async function cleanupStaleSignups(platform: Platform, control: ControlPlane, olderThanMs = 15 * 60_000) {
  const cutoff = platform.clock.now() - olderThanMs;
  const stale = await control.orm.select().from(tenants).where(and(eq(tenants.status, 'provisioning'), lt(tenants.createdAt, cutoff)));
  for (const t of stale) {
    await platform.databases.drop({ name: t.dbName });
    const others = await control.orm.select({ id: tenants.id }).from(tenants).where(eq(tenants.ownerAccountId, t.ownerAccountId));
    await control.orm.batch([
      control.orm.delete(tenants).where(and(eq(tenants.id, t.id), eq(tenants.status, 'provisioning'))),
      ...(others.length === 1 ? [control.orm.delete(accounts).where(eq(accounts.id, t.ownerAccountId))] : []),
    ]);
  }
  return stale.length;
}
