import { Hono } from 'hono';
import * as v from 'valibot';
import { eq } from 'drizzle-orm';
import { AppError, isStrongPassword, newId } from '@tuike/core';
import { staff, staffRoles } from '@tuike/db-tenant';
import {
  assertRolesExist, assertWithinOwnGrant, listStaff, otherActiveSuperAdmins, permissionsOfRoles, superAdminRemainsGuard, SUPER_ADMIN_ROLE_ID,
} from '@tuike/staff';
import type { AppEnv } from '../context';
import { commitAudited, type Batchable } from '../http/audited';
import { json } from '../http/json-body';
import { permit } from '../http/staff-auth';
import { Email, Id, Name, Password } from './admin-fields';

const StaffInput = v.strictObject({
  email: Email,
  name: Name,
  password: Password,
  roleIds: v.pipe(v.array(Id), v.maxLength(20)),
});
const StaffPatch = v.strictObject({
  name: v.optional(Name),
  roleIds: v.optional(StaffInput.entries.roleIds),
  status: v.optional(v.picklist(['active', 'disabled'])),
});

/** Staff accounts of the shop and the roles they hold (F1). */
export const adminStaffRoutes = new Hono<AppEnv>()
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
