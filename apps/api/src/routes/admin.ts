import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import { AppError, isCheckViolation, isStrongPassword, isUniqueViolation, newId } from '@tuike/core';
import { roles, settings, staff, staffRoles } from '@tuike/db-tenant';
import type { BatchItem } from 'drizzle-orm/batch';
import type { ErrorCode } from '@tuike/core';
import {
  assertPermissions, assertRolesExist, assertWithinOwnGrant, auditInsert, listAudit, listRoles, listStaff,
  otherActiveSuperAdmins, permissionCatalog, permissionsOfRoles, superAdminRemainsGuard, SUPER_ADMIN_ROLE_ID, type AuditEntry,
} from '@tuike/staff';
import type { AppEnv } from '../context';
import { json, query } from '../http/json-body';
import { actorOf, permit } from '../http/staff-auth';

type Batchable = BatchItem<'sqlite'>;

/** Which constraint failures of a batch mean which client error (a lost race, not a bug). */
type ConstraintErrors = { unique?: Record<string, ErrorCode>; guard?: ErrorCode };

/** Applies an admin change and its audit row in one batch: the change is never unaudited. */
async function commitAudited(c: Context<AppEnv>, changes: Batchable[], entry: AuditEntry, errors: ConstraintErrors = {}) {
  const { orm } = c.get('shop');
  const now = c.get('services').platform.clock.now();
  try {
    await orm.batch([auditInsert(orm, actorOf(c), entry, now), ...changes]);
  } catch (e) {
    for (const [column, code] of Object.entries(errors.unique ?? {})) if (isUniqueViolation(e, column)) throw new AppError(code);
    if (errors.guard && isCheckViolation(e, 'invariant_guards')) throw new AppError(errors.guard);
    throw e;
  }
}

const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40));
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Millis = v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number));
const AuditQuery = v.object({
  entity: v.optional(v.pipe(v.string(), v.maxLength(40))),
  action: v.optional(v.pipe(v.string(), v.maxLength(40))),
  staffId: v.optional(Id),
  from: v.optional(Millis),
  to: v.optional(Millis),
  cursor: v.optional(Id),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(100)), '50'),
});
const RoleInput = v.strictObject({ name: Name, permissions: v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(100)) });
const RolePatch = v.strictObject({ name: v.optional(Name), permissions: v.optional(RoleInput.entries.permissions) });
const StaffInput = v.strictObject({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email()),
  name: Name,
  password: v.pipe(v.string(), v.maxLength(128)),
  roleIds: v.pipe(v.array(Id), v.maxLength(20)),
});
const StaffPatch = v.strictObject({
  name: v.optional(Name),
  roleIds: v.optional(StaffInput.entries.roleIds),
  status: v.optional(v.picklist(['active', 'disabled'])),
});
const SettingsPatch = v.strictObject({
  shopName: v.optional(Name),
  locale: v.optional(v.picklist(['zh-CN', 'en'])),
  timezone: v.optional(v.pipe(v.string(), v.maxLength(64), v.check((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'unknown time zone'))),
});

const readSettings = async (c: Context<AppEnv>) =>
  Object.fromEntries((await c.get('shop').orm.select().from(settings)).map((s) => [s.key, s.value]));

/** The shop admin API (F1, F2). Every route declares its permission with permit(). */
export const adminRoutes = new Hono<AppEnv>()
  .get('/me', permit('self'), async (c) => {
    const { tenant } = c.get('shop');
    return c.json({ staff: c.get('staff'), shop: { slug: tenant.slug, name: tenant.name, plan: tenant.planId, status: tenant.status } });
  })
  .get('/permissions', permit('roles.view'), (c) => c.json({ permissions: Object.entries(permissionCatalog).map(([key, label]) => ({ key, ...label })) }))
  .get('/audit', permit('audit.view'), query(AuditQuery), async (c) => {
    const q = c.req.valid('query');
    return c.json(await listAudit(c.get('shop').orm, { ...q, limit: Number(q.limit) }));
  })
  .get('/settings', permit('settings.view'), async (c) => c.json({ settings: await readSettings(c) }))
  .patch('/settings', permit('settings.manage'), json(SettingsPatch), async (c) => {
    const patch = c.req.valid('json');
    const before = await readSettings(c);
    const now = c.get('services').platform.clock.now();
    const { orm } = c.get('shop');
    const changes = Object.entries(patch).filter(([, value]) => value !== undefined)
      .map(([key, value]) => orm.insert(settings).values({ key, value, updatedAt: now }).onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } }));
    if (changes.length === 0) return c.json({ settings: before });
    await commitAudited(c, changes, { entity: 'settings', entityId: 'shop', action: 'update', before, after: { ...before, ...patch } });
    return c.json({ settings: await readSettings(c) });
  })
  .get('/roles', permit('roles.view'), async (c) => c.json({ roles: await listRoles(c.get('shop').orm) }))
  .post('/roles', permit('roles.manage'), json(RoleInput), async (c) => {
    const input = c.req.valid('json');
    const now = c.get('services').platform.clock.now();
    const { orm } = c.get('shop');
    const role = { id: newId(), name: input.name, builtin: null, permissions: assertPermissions(input.permissions), createdAt: now, updatedAt: now };
    assertWithinOwnGrant(c.get('staff').permissions, role.permissions);
    const [clash] = await orm.select({ id: roles.id }).from(roles).where(eq(roles.name, role.name));
    if (clash) throw new AppError('ROLE_NAME_TAKEN');
    await commitAudited(c, [orm.insert(roles).values(role)], { entity: 'role', entityId: role.id, action: 'create', before: null, after: role },
      { unique: { 'roles.name': 'ROLE_NAME_TAKEN' } });
    return c.json({ role }, 201);
  })
  .patch('/roles/:id', permit('roles.manage'), json(RolePatch), async (c) => {
    const { orm } = c.get('shop');
    const [before] = await orm.select().from(roles).where(eq(roles.id, c.req.param('id')));
    if (!before) throw new AppError('NOT_FOUND');
    if (before.builtin) throw new AppError('ROLE_BUILTIN');
    const patch = c.req.valid('json');
    assertWithinOwnGrant(c.get('staff').permissions, [...before.permissions, ...(patch.permissions ?? [])]);
    const after = {
      ...before,
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.permissions ? { permissions: assertPermissions(patch.permissions) } : {}),
      updatedAt: c.get('services').platform.clock.now(),
    };
    if (patch.name && patch.name !== before.name) {
      const [clash] = await orm.select({ id: roles.id }).from(roles).where(eq(roles.name, patch.name));
      if (clash) throw new AppError('ROLE_NAME_TAKEN');
    }
    await commitAudited(c, [orm.update(roles).set(after).where(eq(roles.id, before.id))], { entity: 'role', entityId: before.id, action: 'update', before, after },
      { unique: { 'roles.name': 'ROLE_NAME_TAKEN' } });
    return c.json({ role: after });
  })
  .delete('/roles/:id', permit('roles.manage'), async (c) => {
    const { orm } = c.get('shop');
    const [before] = await orm.select().from(roles).where(eq(roles.id, c.req.param('id')));
    if (!before) throw new AppError('NOT_FOUND');
    if (before.builtin) throw new AppError('ROLE_BUILTIN');
    assertWithinOwnGrant(c.get('staff').permissions, before.permissions);
    const [holder] = await orm.select().from(staffRoles).where(eq(staffRoles.roleId, before.id)).limit(1);
    if (holder) throw new AppError('ROLE_IN_USE');
    await commitAudited(c, [orm.delete(roles).where(eq(roles.id, before.id))], { entity: 'role', entityId: before.id, action: 'delete', before, after: null });
    return c.json({ ok: true });
  })
  .get('/staff', permit('staff.view'), async (c) => c.json({ staff: await listStaff(c.get('shop').orm) }))
  .post('/staff', permit('staff.manage'), json(StaffInput), async (c) => {
    const { orm } = c.get('shop');
    const { hasher, platform } = c.get('services');
    const input = c.req.valid('json');
    if (!isStrongPassword(input.password)) throw new AppError('WEAK_PASSWORD');
    const roleIds = await assertRolesExist(orm, input.roleIds);
    assertWithinOwnGrant(c.get('staff').permissions, await permissionsOfRoles(orm, roleIds));
    const [clash] = await orm.select({ id: staff.id }).from(staff).where(eq(staff.email, input.email));
    if (clash) throw new AppError('STAFF_EMAIL_TAKEN');
    const now = platform.clock.now();
    const member = { id: newId(), email: input.email, name: input.name, passwordHash: await hasher.hash(input.password), status: 'active' as const, isOwner: false, createdAt: now, updatedAt: now };
    const { passwordHash: _, ...visible } = member;
    await commitAudited(c, [
      orm.insert(staff).values(member),
      ...roleIds.map((roleId) => orm.insert(staffRoles).values({ staffId: member.id, roleId })),
    ], { entity: 'staff', entityId: member.id, action: 'create', before: null, after: { ...visible, roleIds } },
    { unique: { 'staff.email': 'STAFF_EMAIL_TAKEN' } });
    return c.json({ staff: { ...visible, roleIds } }, 201);
  })
  .patch('/staff/:id', permit('staff.manage'), json(StaffPatch), async (c) => {
    const { orm } = c.get('shop');
    const id = c.req.param('id');
    const current = (await listStaff(orm)).find((s) => s.id === id);
    if (!current) throw new AppError('NOT_FOUND');
    const patch = c.req.valid('json');
    const roleIds = patch.roleIds ? await assertRolesExist(orm, patch.roleIds) : current.roleIds;
    // Managing someone means holding everything they hold now and everything they are given.
    assertWithinOwnGrant(c.get('staff').permissions, await permissionsOfRoles(orm, [...current.roleIds, ...roleIds]));
    const status = patch.status ?? current.status;
    const losesSuperAdmin = current.roleIds.includes(SUPER_ADMIN_ROLE_ID) && current.status === 'active'
      && (!roleIds.includes(SUPER_ADMIN_ROLE_ID) || status !== 'active');
    if (losesSuperAdmin && (await otherActiveSuperAdmins(orm, id)) === 0) throw new AppError('LAST_SUPER_ADMIN');
    const after = { ...current, name: patch.name ?? current.name, status, roleIds, updatedAt: c.get('services').platform.clock.now() };
    const changes: Batchable[] = [orm.update(staff).set({ name: after.name, status, updatedAt: after.updatedAt }).where(eq(staff.id, id))];
    if (patch.roleIds) {
      // Replace the role set inside the batch: atomic, so nobody is ever briefly without roles.
      changes.push(orm.delete(staffRoles).where(eq(staffRoles.staffId, id)));
      changes.push(...roleIds.map((roleId) => orm.insert(staffRoles).values({ staffId: id, roleId })));
    }
    await commitAudited(c, [...changes, ...superAdminRemainsGuard(orm)], { entity: 'staff', entityId: id, action: 'update', before: current, after },
      { guard: 'LAST_SUPER_ADMIN' });
    return c.json({ staff: after });
  });

