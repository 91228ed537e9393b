import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Platform accounts: merchants (and later plugin authors, platform operators). */
export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  roles: text('roles', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  createdAt: integer('created_at').notNull(),
});

export const accountSessions = sqliteTable('account_sessions', {
  id: text('id').primaryKey(),
  subjectId: text('subject_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('account_sessions_subject').on(t.subjectId)]);

export const plans = sqliteTable('plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  limits: text('limits', { mode: 'json' }).$type<Record<string, number>>().notNull(),
});

export const tenantStatuses = ['provisioning', 'active', 'suspended'] as const;

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  status: text('status', { enum: tenantStatuses }).notNull(),
  planId: text('plan_id').notNull().references(() => plans.id),
  ownerAccountId: text('owner_account_id').notNull().references(() => accounts.id),
  dbName: text('db_name').notNull().unique(),
  schemaVersion: integer('schema_version').notNull().default(0),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('tenants_status', sql`${t.status} in ('provisioning','active','suspended')`),
  index('tenants_owner').on(t.ownerAccountId),
  index('tenants_status_created').on(t.status, t.createdAt),
]);

/** Custom domains mapped to a shop, lowercased without port. */
export const domains = sqliteTable('domains', {
  hostname: text('hostname').primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('domains_tenant').on(t.tenantId)]);

/** Fixed-window counters for signup and platform login throttling. */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});
