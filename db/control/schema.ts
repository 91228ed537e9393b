import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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

/**
 * A condition a batch must keep (CHECK holds = 1): the batch inserts a row whose `holds` is the
 * condition's truth value — `changes() = 1` after a guarded UPDATE — so a transition that lost a
 * race rolls the whole batch back. The rows are deleted again in the same batch.
 */
export const invariantGuards = sqliteTable('invariant_guards', {
  name: text('name').notNull(),
  holds: integer('holds').notNull(),
}, (t) => [check('invariant_guards_holds', sql`${t.holds} = 1`)]);

// ─── Plugin marketplace (G2) ─────────────────────────────────────────────────────────────────

/**
 * What an account may do on the platform, kept in `accounts.roles`. `author` publishes plugins
 * (an account takes it itself, POST /api/platform/plugins/author); `reviewer` is a platform
 * operator who reviews and publishes versions — never stored by the API: the deployment names its
 * reviewers in PLATFORM_REVIEWERS (emails), or an operator writes the role into the row.
 */
export const platformRoles = ['merchant', 'author', 'reviewer'] as const;
export type PlatformRole = (typeof platformRoles)[number];

export const pluginCategories = ['marketing', 'sales', 'distribution', 'members', 'operations', 'analytics', 'other'] as const;
export type PluginCategory = (typeof pluginCategories)[number];

export type LocalizedText = { zh: string; en: string };

/** A third-party plugin's listing; its id is the manifest id (tables `plg_{id}_…`). */
export const plugins = sqliteTable('plugins', {
  id: text('id').primaryKey(),
  authorAccountId: text('author_account_id').notNull().references(() => accounts.id),
  name: text('name', { mode: 'json' }).$type<LocalizedText>().notNull(),
  summary: text('summary', { mode: 'json' }).$type<LocalizedText>().notNull(),
  description: text('description', { mode: 'json' }).$type<LocalizedText>().notNull(),
  /** Blob keys or https URLs of screenshots, in display order. */
  screenshots: text('screenshots', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  category: text('category', { enum: pluginCategories }).notNull(),
  /** The newest published version; shops install and upgrade to it. */
  publishedVersion: text('published_version'),
  /** Its precedence key (see version-key.ts): a publish must raise it, guarded in its batch. */
  publishedVersionKey: text('published_version_key'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('plugins_category', sql`${t.category} in ('marketing','sales','distribution','members','operations','analytics','other')`),
  check('plugins_published_pair', sql`(${t.publishedVersion} is null) = (${t.publishedVersionKey} is null)`),
  index('plugins_author').on(t.authorAccountId),
  index('plugins_published').on(t.publishedVersionKey),
]);

export const pluginVersionStatuses = ['draft', 'submitted', 'approved', 'rejected', 'published'] as const;
export type PluginVersionStatus = (typeof pluginVersionStatuses)[number];

/** What the author's CLI measured of the bundle it built (esbuild, SDK external). */
export type PluginBundleMeta = { sha256: string; size: number; entry: string };

/**
 * One uploaded version: draft → submitted → approved | rejected; approved → published. Its
 * manifest and bundle never change once submitted, so what a reviewer approved is what runs.
 */
export const pluginVersions = sqliteTable('plugin_versions', {
  pluginId: text('plugin_id').notNull().references(() => plugins.id, { onDelete: 'cascade' }),
  version: text('version').notNull(),
  /** Precedence key of `version`: two versions equal under semver (build metadata) cannot coexist. */
  versionKey: text('version_key').notNull(),
  status: text('status', { enum: pluginVersionStatuses }).notNull(),
  /** The manifest as `manifestJson` gives it (platform-normalised). */
  manifest: text('manifest', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  capabilities: text('capabilities', { mode: 'json' }).$type<string[]>().notNull(),
  bundle: text('bundle', { mode: 'json' }).$type<PluginBundleMeta>().notNull(),
  reviewNote: text('review_note'),
  reviewerAccountId: text('reviewer_account_id').references(() => accounts.id),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  submittedAt: integer('submitted_at'),
  reviewedAt: integer('reviewed_at'),
  publishedAt: integer('published_at'),
}, (t) => [
  primaryKey({ columns: [t.pluginId, t.version] }),
  uniqueIndex('plugin_versions_precedence').on(t.pluginId, t.versionKey),
  check('plugin_versions_status', sql`${t.status} in ('draft','submitted','approved','rejected','published')`),
  index('plugin_versions_queue').on(t.status, t.submittedAt),
]);
