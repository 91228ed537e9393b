import { systemClock, type Platform } from '@tuike/core';
import { createR2BlobStore, type R2BucketLike } from '@tuike/blobs';
import { createHttpDatabases, createIntervalScheduler, sqldAdminProvisioner, tursoProvisioner, type DatabaseProvisioner } from '@tuike/db-runtime';

/** The Worker's environment: vars and secrets from wrangler.toml / `wrangler secret`. */
export interface EdgeEnv {
  LIBSQL_CONTROL_URL: string;
  /** Shop database URL with `{name}`, e.g. `libsql://{name}-myorg.turso.io`. */
  LIBSQL_SHOP_URL_TEMPLATE: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Turso Platform API (production) … */
  TURSO_API_TOKEN?: string;
  TURSO_ORG?: string;
  TURSO_GROUP?: string;
  /** … or a self-hosted sqld's admin API (and the local libSQL HTTP server). */
  LIBSQL_ADMIN_URL?: string;
}

function str(env: Record<string, unknown>, key: keyof EdgeEnv): string | undefined {
  const value = env[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function provisionerFrom(env: Record<string, unknown>): DatabaseProvisioner {
  const turso = { apiToken: str(env, 'TURSO_API_TOKEN'), organization: str(env, 'TURSO_ORG'), group: str(env, 'TURSO_GROUP') ?? 'default' };
  if (turso.apiToken && turso.organization) return tursoProvisioner({ apiToken: turso.apiToken, organization: turso.organization, group: turso.group });
  const admin = str(env, 'LIBSQL_ADMIN_URL');
  if (admin) return sqldAdminProvisioner(admin, { authToken: str(env, 'LIBSQL_AUTH_TOKEN') });
  throw new Error('Set TURSO_API_TOKEN + TURSO_ORG (Turso) or LIBSQL_ADMIN_URL (sqld) to provision shop databases');
}

function bucketFrom(env: Record<string, unknown>): R2BucketLike {
  const bucket = env.BLOBS as Partial<R2BucketLike> | undefined;
  if (!bucket || typeof bucket.put !== 'function' || typeof bucket.get !== 'function') throw new Error('Bind an R2 bucket as BLOBS');
  return bucket as R2BucketLike;
}

/** Edge adapters: libSQL over HTTP, scheduled jobs run by the Cron Trigger. */
export function createEdgePlatform(env: Record<string, unknown>): Platform {
  const controlUrl = str(env, 'LIBSQL_CONTROL_URL');
  const shopUrlTemplate = str(env, 'LIBSQL_SHOP_URL_TEMPLATE');
  if (!controlUrl || !shopUrlTemplate) throw new Error('LIBSQL_CONTROL_URL and LIBSQL_SHOP_URL_TEMPLATE must be set');
  return {
    databases: createHttpDatabases({ controlUrl, shopUrlTemplate, authToken: str(env, 'LIBSQL_AUTH_TOKEN'), provisioner: provisionerFrom(env) }),
    clock: systemClock,
    blobs: createR2BlobStore(bucketFrom(env)),
    scheduler: createIntervalScheduler({ timers: false, onError: (name, e) => console.error(`[tuike] job ${name} failed`, e) }),
  };
}
