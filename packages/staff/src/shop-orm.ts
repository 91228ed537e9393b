import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { schema } from '@tuike/db-tenant';

export type ShopOrm = LibSQLDatabase<typeof schema>;
