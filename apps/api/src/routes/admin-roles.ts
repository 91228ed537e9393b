import { Hono } from 'hono';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import { AppError, newId } from '@tuike/core';
import { roles, staffRoles } from '@tuike/db-tenant';
import { assertPermissions, assertWithinOwnGrant, listRoles } from '@tuike/staff';
import type { AppEnv } from '../context';
import { commitAudited } from '../http/audited';
import { json } from '../http/json-body';
import { permit } from '../http/staff-auth';
import { Name } from './admin-fields';

const RoleInput = v.strictObject({ name: Name, permissions: v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(100)) });
const RolePatch = v.strictObject({ name: v.optional(Name), permissions: v.optional(RoleInput.entries.permissions) });

/** Roles (F1): built-in ones are fixed; custom ones carry any permissions their editor holds. */
export const adminRolesRoutes = new Hono<AppEnv>()
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
  });
