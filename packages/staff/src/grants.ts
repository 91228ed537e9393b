import { inArray, sql } from 'drizzle-orm';
import { AppError } from '@tuike/core';
import { invariantGuards, roles } from '@tuike/db-tenant';
import { effectivePermissions, type Permission } from './permissions';
import type { ShopOrm } from './shop-orm';

/**
 * Nobody grants what they do not hold: a staff member with `staff.manage` could otherwise hand
 * themselves super admin, and one with `roles.manage` could widen a role they hold.
 */
export function assertWithinOwnGrant(actor: readonly Permission[], grants: Iterable<string>): void {
  const held = new Set(actor);
  const missing = effectivePermissions(grants).filter((p) => !held.has(p));
  if (missing.length) throw new AppError('GRANT_EXCEEDS_OWN', { missing });
}

/** The permissions the given roles carry together. */
export async function permissionsOfRoles(orm: ShopOrm, roleIds: string[]): Promise<string[]> {
  if (roleIds.length === 0) return [];
  const rows = await orm.select({ permissions: roles.permissions }).from(roles).where(inArray(roles.id, roleIds));
  return rows.flatMap((r) => r.permissions);
}

/**
 * Batch items that make the batch fail (CHECK on invariant_guards) if no active super admin would
 * remain after it. Placed after the changes in the same batch, so the rule holds under any
 * concurrency: two super admins disabling each other at once cannot both succeed.
 */
export function superAdminRemainsGuard(orm: ShopOrm) {
  return [
    orm.insert(invariantGuards).select(sql`SELECT 'super_admin_remains', (
      SELECT count(*) FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id
      WHERE sr.role_id = 'role_super_admin' AND s.status = 'active') > 0`),
    orm.delete(invariantGuards),
  ] as const;
}
