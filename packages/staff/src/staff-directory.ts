import { and, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '@tuike/core';
import { roles, staff, staffRoles } from '@tuike/db-tenant';
import { builtinRoles, effectivePermissions, isPermission, type BuiltinRole, type Permission } from './permissions';
import type { ShopOrm } from './shop-orm';

export interface StaffPrincipal {
  id: string;
  email: string;
  name: string;
  isOwner: boolean;
  roles: { id: string; name: string; builtin: string | null }[];
  permissions: Permission[];
}

/** The signed-in staff member with their roles and expanded permissions, in one query. */
export async function loadStaffPrincipal(orm: ShopOrm, staffId: string): Promise<StaffPrincipal | null> {
  const rows = await orm
    .select({ staff, role: roles })
    .from(staff)
    .leftJoin(staffRoles, eq(staffRoles.staffId, staff.id))
    .leftJoin(roles, eq(roles.id, staffRoles.roleId))
    .where(and(eq(staff.id, staffId), eq(staff.status, 'active')));
  const first = rows[0];
  if (!first) return null;
  const held = rows.flatMap((r) => (r.role ? [r.role] : []));
  return {
    id: first.staff.id,
    email: first.staff.email,
    name: first.staff.name,
    isOwner: first.staff.isOwner,
    roles: held.map((r) => ({ id: r.id, name: r.name, builtin: r.builtin })),
    permissions: effectivePermissions(held.flatMap((r) => r.permissions)),
  };
}

export async function findActiveStaffByEmail(orm: ShopOrm, email: string) {
  const [row] = await orm.select().from(staff).where(and(eq(staff.email, email.toLowerCase()), eq(staff.status, 'active')));
  return row ?? null;
}

export async function listStaff(orm: ShopOrm) {
  const rows = await orm
    .select({ id: staff.id, email: staff.email, name: staff.name, status: staff.status, isOwner: staff.isOwner, createdAt: staff.createdAt, roleId: staffRoles.roleId })
    .from(staff)
    .leftJoin(staffRoles, eq(staffRoles.staffId, staff.id))
    .orderBy(staff.createdAt);
  const byId = new Map<string, Omit<(typeof rows)[number], 'roleId'> & { roleIds: string[] }>();
  for (const { roleId, ...s } of rows) {
    const entry = byId.get(s.id) ?? { ...s, roleIds: [] };
    if (roleId) entry.roleIds.push(roleId);
    byId.set(s.id, entry);
  }
  return [...byId.values()];
}

export const listRoles = (orm: ShopOrm) => orm.select().from(roles).orderBy(roles.createdAt);

/** Role ids must exist in this shop; returns them deduplicated. */
export async function assertRolesExist(orm: ShopOrm, roleIds: string[]): Promise<string[]> {
  const unique = [...new Set(roleIds)];
  if (unique.length === 0) return unique;
  const found = await orm.select({ id: roles.id }).from(roles).where(inArray(roles.id, unique));
  if (found.length !== unique.length) throw new AppError('VALIDATION_FAILED', { roleIds: 'unknown role' });
  return unique;
}

export function assertPermissions(permissions: string[]): Permission[] {
  const unknown = permissions.filter((p) => !isPermission(p));
  if (unknown.length) throw new AppError('UNKNOWN_PERMISSION', { unknown });
  return [...new Set(permissions)] as Permission[];
}

/**
 * How many active staff would still hold super admin if `staffId` lost it. A shop must keep one,
 * or nobody could ever grant permissions again.
 */
export async function otherActiveSuperAdmins(orm: ShopOrm, staffId: string): Promise<number> {
  const [row] = await orm
    .select({ n: sql<number>`count(distinct ${staff.id})` })
    .from(staff)
    .innerJoin(staffRoles, eq(staffRoles.staffId, staff.id))
    .innerJoin(roles, eq(roles.id, staffRoles.roleId))
    .where(and(eq(roles.builtin, 'super_admin'), eq(staff.status, 'active'), sql`${staff.id} <> ${staffId}`));
  return Number(row?.n ?? 0);
}

/** Inserts for the built-in roles; ids are stable per shop so a retried seed is a no-op. */
export function builtinRoleRows(now: number) {
  return (Object.entries(builtinRoles) as [BuiltinRole, (typeof builtinRoles)[BuiltinRole]][]).map(([key, r]) => ({
    id: `role_${key}`,
    name: r.zh,
    builtin: key,
    permissions: [...r.permissions] as string[],
    createdAt: now,
    updatedAt: now,
  }));
}

export const SUPER_ADMIN_ROLE_ID = 'role_super_admin';
export const OWNER_STAFF_ID = 'staff_owner';

/** The queries that seed a new shop's owner as super admin; safe to run again after a crash. */
export function ownerSeedQueries(orm: ShopOrm, owner: { email: string; name: string; passwordHash: string }, now: number) {
  const ownerId = OWNER_STAFF_ID;
  return [
    orm.insert(roles).values(builtinRoleRows(now)).onConflictDoNothing(),
    orm.insert(staff).values({ id: ownerId, email: owner.email.toLowerCase(), name: owner.name, passwordHash: owner.passwordHash, isOwner: true, createdAt: now, updatedAt: now }).onConflictDoNothing(),
    orm.insert(staffRoles).values({ staffId: ownerId, roleId: SUPER_ADMIN_ROLE_ID }).onConflictDoNothing(),
  ] as const;
}

