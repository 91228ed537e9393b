import { drizzle } from 'drizzle-orm/libsql';
import { eq } from 'drizzle-orm';
import type { Client } from '@libsql/client';
import { AppError, type Platform } from '@tuike/core';
import { domains, tenants } from '@tuike/db-control';
import { migrations as shopMigrations, schema as shopSchema } from '@tuike/db-tenant';
import { createMigrationGate, latestVersion, migrate } from '@tuike/db-runtime';
import type { ShopOrm } from '@tuike/staff';
import type { ControlPlane } from './control-plane';
import type { ShopAddress } from './shop-address';

export type TenantRecord = typeof tenants.$inferSelect;

export interface ShopHandle {
  tenant: TenantRecord;
  db: Client;
  orm: ShopOrm;
  /** Ends the request's lease on the database handle (see DatabasesPort.lease). */
  release(): void;
}

export const LATEST_SHOP_SCHEMA = latestVersion(shopMigrations);

/**
 * Finds the shop a request addresses and opens its database, migrating it first if its schema is
 * behind (once per shop, however many requests arrive together). Tenant rows are cached briefly:
 * a status change (suspension) takes effect within `cacheTtlMs`.
 */
export function createTenantDirectory(platform: Platform, control: ControlPlane, opts: { cacheTtlMs?: number } = {}) {
  const ttl = opts.cacheTtlMs ?? 5_000;
  const cache = new Map<string, { tenant: TenantRecord | null; at: number }>();
  const orms = new WeakMap<Client, ShopOrm>();
  const gate = createMigrationGate();

  async function cached(key: string, load: () => Promise<TenantRecord | null>): Promise<TenantRecord | null> {
    const hit = cache.get(key);
    const now = platform.clock.now();
    if (hit && now - hit.at < ttl) return hit.tenant;
    const tenant = await load();
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { tenant, at: now });
    return tenant;
  }

  const bySlug = (slug: string) => cached(`s:${slug}`, async () =>
    (await control.orm.select().from(tenants).where(eq(tenants.slug, slug)))[0] ?? null);

  const byDomain = (hostname: string) => cached(`d:${hostname}`, async () => {
    const [row] = await control.orm.select({ tenant: tenants }).from(domains)
      .innerJoin(tenants, eq(tenants.id, domains.tenantId)).where(eq(domains.hostname, hostname));
    return row?.tenant ?? null;
  });

  async function ensureSchema(tenant: TenantRecord, db: Client): Promise<void> {
    if (tenant.schemaVersion >= LATEST_SHOP_SCHEMA) return;
    const version = await gate(tenant.id, async () => {
      const { to } = await migrate(db, shopMigrations, () => platform.clock.now());
      await control.orm.update(tenants).set({ schemaVersion: to, updatedAt: platform.clock.now() }).where(eq(tenants.id, tenant.id));
      return to;
    });
    tenant.schemaVersion = version;
  }

  return {
    LATEST_SHOP_SCHEMA,

    async find(address: ShopAddress): Promise<TenantRecord | null> {
      if (address.kind === 'platform') return null;
      return address.kind === 'slug' ? bySlug(address.slug) : byDomain(address.hostname);
    },

    /** Opens an active shop; throws the stable error a request for it should get otherwise. */
    async open(tenant: TenantRecord | null): Promise<ShopHandle> {
      if (!tenant) throw new AppError('SHOP_NOT_FOUND');
      if (tenant.status === 'suspended') throw new AppError('SHOP_SUSPENDED');
      if (tenant.status === 'provisioning') throw new AppError('SHOP_PROVISIONING');
      const db = await platform.databases.lease({ name: tenant.dbName });
      try {
        await ensureSchema(tenant, db);
      } catch (e) {
        db.release();
        throw e;
      }
      let orm = orms.get(db);
      if (!orm) {
        orm = drizzle(db, { schema: shopSchema });
        orms.set(db, orm);
      }
      return { tenant, db, orm, release: () => db.release() };
    },

    /** Drops cached lookups for a slug (after signup, so a remembered miss is not served). */
    forget(slug: string): void {
      cache.delete(`s:${slug}`);
    },

    invalidate(): void {
      cache.clear();
    },
  };
}

export type TenantDirectory = ReturnType<typeof createTenantDirectory>;
