import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import type { Client } from '@libsql/client';
import { migrations, plans, schema } from '@tuike/db-control';
import { migrate } from '@tuike/db-runtime';
import type { Platform } from '@tuike/core';

export type ControlOrm = LibSQLDatabase<typeof schema>;

export const defaultPlans = [
  { id: 'free', name: '免费版 Free', limits: { products: 200, staff: 5, plugins: 3 } },
  { id: 'pro', name: '专业版 Pro', limits: { products: 100_000, staff: 100, plugins: 50 } },
];

export interface ControlPlane {
  client: Client;
  orm: ControlOrm;
}

/** Opens the control-plane database, bringing its schema and plan list up to date (idempotent). */
export async function openControlPlane(platform: Platform): Promise<ControlPlane> {
  const client = await platform.databases.control();
  await migrate(client, migrations, () => platform.clock.now());
  const orm = drizzle(client, { schema });
  await orm.insert(plans).values(defaultPlans).onConflictDoNothing();
  return { client, orm };
}
