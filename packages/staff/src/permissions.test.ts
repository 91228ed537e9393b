import { describe, expect, it } from 'vitest';
import { ALL, allPermissions, builtinRoles, effectivePermissions, isPermission, permissionCatalog } from './permissions';

describe('the permission catalog', () => {
  it('labels every permission in zh and en', () => {
    for (const [key, label] of Object.entries(permissionCatalog)) {
      expect(key).toMatch(/^[a-z]+\.[a-z]+$/);
      expect(label.zh.length, key).toBeGreaterThan(0);
      expect(label.en.length, key).toBeGreaterThan(0);
    }
  });

  it('gives the built-in roles only catalog permissions (or ALL for super_admin)', () => {
    expect(builtinRoles.super_admin.permissions).toEqual([ALL]);
    for (const [name, role] of Object.entries(builtinRoles)) {
      if (name === 'super_admin') continue;
      for (const p of role.permissions) expect(isPermission(p), `${name}: ${p}`).toBe(true);
    }
  });

  it('does not let operations, finance or customer service manage staff, roles or settings', () => {
    for (const name of ['operations', 'finance', 'customer_service'] as const) {
      for (const p of ['staff.manage', 'roles.manage', 'settings.manage', 'plugins.manage']) {
        expect(builtinRoles[name].permissions as readonly string[], `${name} has ${p}`).not.toContain(p);
      }
    }
  });

  it('does not treat inherited object keys as permissions', () => {
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(isPermission(key)).toBe(false);
  });
});

describe('effectivePermissions', () => {
  it('expands ALL to the whole catalog', () => {
    expect(effectivePermissions([ALL])).toEqual(allPermissions);
    expect(effectivePermissions(['orders.view', ALL])).toEqual(allPermissions);
  });

  it('deduplicates, drops unknown grants and returns catalog order', () => {
    expect(effectivePermissions(['reports.view', 'orders.view', 'orders.view', 'nope', 'constructor'])).toEqual(['orders.view', 'reports.view']);
  });

  it('grants nothing for no grants', () => {
    expect(effectivePermissions([])).toEqual([]);
  });
});
