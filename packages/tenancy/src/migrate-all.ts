import { eq, lt, and, ne } from 'drizzle-orm';
import type { Platform } from '@tuike/core';
import { tenants } from '@tuike/db-control';
import { migrations as shopMigrations } from '@tuike/db-tenant';
import { migrate } from '@tuike/db-runtime';
import type { ControlPlane } from './control-plane';
import { LATEST_SHOP_SCHEMA } from './tenant-directory';

export interface MigrateAllResult {
  total: number;
  migrated: number;
  failed: { slug: string; error: string }[];
}

/**
 * Brings every shop behind the latest schema up to date, `concurrency` shops at a time. Each shop's
 * version is recorded in the control plane as it finishes, so a re-run after a failure resumes
 * with exactly the shops still behind.
 */
export async function migrateAllShops(platform: Platform, control: ControlPlane, opts: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<MigrateAllResult> {
  const behind = await control.orm.select({ id: tenants.id, slug: tenants.slug, dbName: tenants.dbName }).from(tenants)
    .where(and(lt(tenants.schemaVersion, LATEST_SHOP_SCHEMA), ne(tenants.status, 'provisioning')));
  const result: MigrateAllResult = { total: behind.length, migrated: 0, failed: [] };
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < behind.length) {
      const shop = behind[next++]!;
      try {
        const db = await platform.databases.lease({ name: shop.dbName });
        const { to } = await migrate(db, shopMigrations, () => platform.clock.now()).finally(() => db.release());
        await control.orm.update(tenants).set({ schemaVersion: to, updatedAt: platform.clock.now() }).where(eq(tenants.id, shop.id));
        result.migrated++;
      } catch (e) {
        result.failed.push({ slug: shop.slug, error: e instanceof Error ? e.message : String(e) });
      }
      opts.onProgress?.(++done, behind.length);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  return result;
}
