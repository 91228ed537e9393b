import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Shop settings as key → JSON value (shop name, locale, time zone, …). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const roles = sqliteTable('roles', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Built-in roles carry their catalog key ('super_admin', …) and cannot be edited. */
  builtin: text('builtin').unique(),
  permissions: text('permissions', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const staff = sqliteTable('staff', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
  isOwner: integer('is_owner', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [check('staff_status', sql`${t.status} in ('active','disabled')`)]);

export const staffRoles = sqliteTable('staff_roles', {
  staffId: text('staff_id').notNull().references(() => staff.id, { onDelete: 'cascade' }),
  roleId: text('role_id').notNull().references(() => roles.id),
}, (t) => [primaryKey({ columns: [t.staffId, t.roleId] }), index('staff_roles_role').on(t.roleId)]);

/** Sessions of staff and members (kind), stored by SHA-256 of the token. */
export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['staff', 'member'] }).notNull(),
  subjectId: text('subject_id').notNull(),
  expiresAt: integer('expires_at').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  check('sessions_kind', sql`${t.kind} in ('staff','member')`),
  index('sessions_subject').on(t.kind, t.subjectId),
]);

/** One-time tickets that carry a fresh signup from the platform host to the shop's own host. */
export const loginTickets = sqliteTable('login_tickets', {
  id: text('id').primaryKey(),
  staffId: text('staff_id').notNull().references(() => staff.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at').notNull(),
});

export const memberChannels = ['wechat', 'h5', 'app'] as const;

export const members = sqliteTable('members', {
  id: text('id').primaryKey(),
  username: text('username').unique(),
  passwordHash: text('password_hash'),
  nickname: text('nickname').notNull(),
  avatarUrl: text('avatar_url'),
  channel: text('channel', { enum: memberChannels }).notNull(),
  status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  check('members_channel', sql`${t.channel} in ('wechat','h5','app')`),
  check('members_status', sql`${t.status} in ('active','disabled')`),
  index('members_created').on(t.createdAt),
]);

/**
 * External identities of a member: a WeChat openid (per app id, with its unionid when the app is
 * bound to an open platform account) or a verified phone number. One subject maps to one member.
 */
export const memberIdentities = sqliteTable('member_identities', {
  id: text('id').primaryKey(),
  memberId: text('member_id').notNull().references(() => members.id, { onDelete: 'cascade' }),
  provider: text('provider', { enum: ['wechat', 'phone'] }).notNull(),
  appId: text('app_id').notNull().default(''),
  subject: text('subject').notNull(),
  unionId: text('union_id'),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  check('member_identities_provider', sql`${t.provider} in ('wechat','phone')`),
  uniqueIndex('member_identities_subject').on(t.provider, t.appId, t.subject),
  index('member_identities_union').on(t.unionId),
  index('member_identities_member').on(t.memberId),
]);

/** Who did what to which entity, with the state before and after; written in the mutation's batch. */
export const auditLog = sqliteTable('audit_log', {
  id: text('id').primaryKey(),
  staffId: text('staff_id'),
  staffName: text('staff_name').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  action: text('action').notNull(),
  before: text('before', { mode: 'json' }),
  after: text('after', { mode: 'json' }),
  ip: text('ip'),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  index('audit_log_created').on(t.createdAt),
  index('audit_log_entity').on(t.entity, t.createdAt),
  index('audit_log_staff').on(t.staffId, t.createdAt),
]);

/** Fixed-window counters for login throttling, per shop. */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

/**
 * Invariants that span rows ("a shop keeps one active super admin") are checked inside the batch
 * that could break them: the batch inserts a row whose `holds` is the invariant's truth value, the
 * CHECK rejects a false one and the whole batch rolls back, whatever ran concurrently. The rows
 * are deleted again in the same batch, so the table stays empty.
 */
export const invariantGuards = sqliteTable('invariant_guards', {
  name: text('name').notNull(),
  holds: integer('holds').notNull(),
}, (t) => [check('invariant_guards_holds', sql`${t.holds} = 1`)]);
