import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPermissions, builtinRoles, isPermission, type Permission } from '@tuike/staff';
import { REQUIREMENT } from '../index';
import { createTestApp, type TestApp } from '../testing/test-app';

const SHOP = 'perm';
const HOST = `${SHOP}.localhost`;
const COMPOSED_HANDLER = '__COMPOSED_HANDLER';

let t: TestApp;
let owner: string;
beforeAll(async () => {
  t = await createTestApp({ loginRateLimit: { max: 10_000, windowMs: 60_000 } });
  ({ ownerCookie: owner } = await t.signupAndLogin(SHOP));
});
afterAll(async () => { await t.close(); });

type Handler = ((...args: never[]) => unknown) & { [REQUIREMENT]?: string; [COMPOSED_HANDLER]?: Handler };
const requirementOf = (h: Handler): string | undefined => h[REQUIREMENT] ?? h[COMPOSED_HANDLER]?.[REQUIREMENT];

/** Every admin endpoint (method + path, both mounts) with its handlers in order. */
function adminEndpoints() {
  const byKey = new Map<string, { method: string; path: string; handlers: Handler[] }>();
  for (const r of t.app.routes) {
    if (!r.path.includes('/api/admin') || r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    const entry = byKey.get(key) ?? { method: r.method, path: r.path, handlers: [] };
    entry.handlers.push(r.handler as Handler);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map((e) => ({ ...e, requirement: e.handlers.map(requirementOf).find(Boolean) }));
}

/** Host and concrete path of an endpoint, for either mount. */
function where(path: string) {
  const concrete = path.replace(':id', 'no-such-id');
  return concrete.startsWith('/s/:slug') ? { host: 'localhost', path: concrete.replace(':slug', SHOP) } : { host: HOST, path: concrete };
}

async function call(method: string, path: string, cookie: string) {
  const w = where(path);
  return t.request(w.host, w.path, { method, body: method === 'GET' ? undefined : {}, cookies: cookie });
}

let staffSeq = 0;
/** Creates a staff member holding the given roles (as the owner) and returns their session cookie. */
async function staffWith(roleIds: string[]) {
  const email = `staff${++staffSeq}@example.com`;
  const res = await t.request(HOST, '/api/admin/staff', { body: { email, name: `Staff ${staffSeq}`, password: 'staff-pass-1', roleIds }, cookies: owner });
  if (res.status !== 201) throw new Error(`create staff: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.staff.id as string, email, cookie: await t.staffLogin(HOST, email, 'staff-pass-1') };
}

async function createRole(name: string, permissions: string[]) {
  const res = await t.request(HOST, '/api/admin/roles', { body: { name, permissions }, cookies: owner });
  if (res.status !== 201) throw new Error(`create role: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.role.id as string;
}

/** The rows a refused change must leave exactly as they were, and the audit log's size. */
async function adminState() {
  const db = await t.shopDb(SHOP);
  const rows = async (sql: string) => JSON.stringify((await db.execute(sql)).rows);
  return {
    roles: await rows('SELECT * FROM roles ORDER BY id'),
    staffRoles: await rows('SELECT * FROM staff_roles ORDER BY staff_id, role_id'),
    staff: await rows('SELECT id, email, name, status, updated_at FROM staff ORDER BY id'),
    audit: await t.count(db, 'audit_log'),
  };
}

/** The catalog permissions among `grants` (catalog order) that `held` lacks. */
const lacking = (held: readonly string[], grants: readonly string[] = allPermissions) =>
  allPermissions.filter((p) => (grants.includes('*') || grants.includes(p)) && !held.includes(p));

function expectGrantRefused(res: { status: number; body: any }, missing: string[], label = '') {
  expect(res.status, `${label} ${JSON.stringify(res.body)}`).toBe(403);
  expect(res.body.error.code, label).toBe('GRANT_EXCEEDS_OWN');
  expect(res.body.error.details.missing, label).toEqual(missing);
}

describe('every admin route declares what it requires', () => {
  it('finds the admin routes of both mounts (host and /s/:slug)', () => {
    const paths = adminEndpoints().map((e) => `${e.method} ${e.path}`);
    expect(paths).toContain('GET /api/admin/me');
    expect(paths).toContain('GET /s/:slug/api/admin/me');
    expect(paths).toContain('PATCH /api/admin/staff/:id');
    expect(paths.length).toBeGreaterThanOrEqual(2 * 14);
  });

  it('has a permit() marker on every (method, path) under /api/admin', () => {
    const unmarked = adminEndpoints().filter((e) => !e.requirement).map((e) => `${e.method} ${e.path}`);
    expect(unmarked).toEqual([]);
  });

  it('runs permit() first, before validators and the handler, and exactly once', () => {
    for (const e of adminEndpoints()) {
      const marks = e.handlers.map(requirementOf);
      expect(marks[0], `${e.method} ${e.path}`).toBeDefined();
      expect(marks.filter(Boolean), `${e.method} ${e.path}`).toHaveLength(1);
    }
  });

  it('requires only catalog permissions, "self" or "public"', () => {
    for (const e of adminEndpoints()) {
      const r = e.requirement!;
      expect(r === 'self' || r === 'public' || isPermission(r), `${e.method} ${e.path}: ${r}`).toBe(true);
    }
  });

  it('keeps "public" to the sign-in routes', () => {
    const publics = adminEndpoints().filter((e) => e.requirement === 'public').map((e) => e.path.replace('/s/:slug', ''));
    expect([...new Set(publics)].sort()).toEqual(['/api/admin/auth/login', '/api/admin/auth/logout', '/api/admin/auth/ticket']);
  });

  it('does not let a route outside /api/admin/auth skip authentication', async () => {
    for (const e of adminEndpoints().filter((x) => x.requirement !== 'public')) {
      const res = await call(e.method, e.path, '');
      expect(res.status, `${e.method} ${e.path}`).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('permissions are enforced on every admin route', () => {
  const guarded = () => adminEndpoints().filter((e) => e.requirement !== 'public' && e.requirement !== 'self');

  it('refuses a staff member whose role grants nothing with 403 FORBIDDEN on every guarded route, and lets them reach "self" routes', async () => {
    const nobody = await staffWith([await createRole('Nothing', [])]);
    const db = await t.shopDb(SHOP);
    const audit = await t.count(db, 'audit_log');
    for (const e of guarded()) {
      const res = await call(e.method, e.path, nobody.cookie);
      expect(res.status, `${e.method} ${e.path}`).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { permission: e.requirement } });
    }
    for (const e of adminEndpoints().filter((x) => x.requirement === 'self')) {
      expect((await call(e.method, e.path, nobody.cookie)).status, `${e.method} ${e.path}`).toBe(200);
    }
    expect(await t.count(db, 'audit_log')).toBe(audit);
  });

  it('lets a staff member whose role grants exactly the permission past the check, and only on routes needing it', async () => {
    const needed = [...new Set(guarded().map((e) => e.requirement as Permission))];
    expect(needed.sort()).toEqual(expect.arrayContaining(['audit.view', 'roles.manage', 'roles.view', 'settings.manage', 'settings.view', 'staff.manage', 'staff.view']));
    for (const permission of needed) {
      const holder = await staffWith([await createRole(`Only ${permission}`, [permission])]);
      for (const e of guarded()) {
        const res = await call(e.method, e.path, holder.cookie);
        if (e.requirement === permission) {
          expect([401, 403], `${permission}: ${e.method} ${e.path} → ${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status, `${permission}: ${e.method} ${e.path}`).toBe(403);
        }
      }
    }
  });

  it.each(['operations', 'finance', 'customer_service'] as const)('gives the built-in role %s exactly its catalog permissions', async (role) => {
    const member = await staffWith([`role_${role}`]);
    const granted = new Set<string>(builtinRoles[role].permissions);
    const me = await t.request(HOST, '/api/admin/me', { cookies: member.cookie });
    expect(me.body.staff.permissions.sort()).toEqual([...granted].sort());
    for (const e of guarded()) {
      const res = await call(e.method, e.path, member.cookie);
      if (granted.has(e.requirement!)) expect([401, 403], `${role}: ${e.method} ${e.path}`).not.toContain(res.status);
      else expect(res.status, `${role}: ${e.method} ${e.path}`).toBe(403);
    }
  });

  it('gives super_admin every permission of the catalog', async () => {
    const me = await t.request(HOST, '/api/admin/me', { cookies: owner });
    expect(me.body.staff.permissions.sort()).toEqual([...allPermissions].sort());
    for (const e of guarded()) expect([401, 403], `${e.method} ${e.path}`).not.toContain((await call(e.method, e.path, owner)).status);
  });

  it('unites the permissions of several roles', async () => {
    const a = await createRole('Union A', ['settings.view']);
    const b = await createRole('Union B', ['staff.view']);
    const member = await staffWith([a, b]);
    expect((await t.request(HOST, '/api/admin/settings', { cookies: member.cookie })).status).toBe(200);
    expect((await t.request(HOST, '/api/admin/staff', { cookies: member.cookie })).status).toBe(200);
    expect((await t.request(HOST, '/api/admin/roles', { cookies: member.cookie })).status).toBe(403);
  });

  it('applies a role change to its holders at their next request', async () => {
    const role = await createRole('Changing', []);
    const member = await staffWith([role]);
    expect((await t.request(HOST, '/api/admin/settings', { cookies: member.cookie })).status).toBe(403);
    expect((await t.request(HOST, `/api/admin/roles/${role}`, { method: 'PATCH', body: { permissions: ['settings.view'] }, cookies: owner })).status).toBe(200);
    expect((await t.request(HOST, '/api/admin/settings', { cookies: member.cookie })).status).toBe(200);
    expect((await t.request(HOST, `/api/admin/roles/${role}`, { method: 'PATCH', body: { permissions: [] }, cookies: owner })).status).toBe(200);
    expect((await t.request(HOST, '/api/admin/settings', { cookies: member.cookie })).status).toBe(403);
  });
});

describe('custom roles', () => {
  const roleCount = async () => t.count(await t.shopDb(SHOP), 'roles');
  const auditCount = async () => t.count(await t.shopDb(SHOP), 'audit_log');

  it('are created, listed, renamed, re-permissioned and deleted', async () => {
    const created = await t.request(HOST, '/api/admin/roles', { body: { name: '  Packers  ', permissions: ['orders.view', 'orders.view', 'orders.manage'] }, cookies: owner });
    expect(created.status).toBe(201);
    expect(created.body.role).toMatchObject({ name: 'Packers', builtin: null, permissions: ['orders.view', 'orders.manage'] });
    const id = created.body.role.id;
    const list = await t.request(HOST, '/api/admin/roles', { cookies: owner });
    expect(list.body.roles.find((r: { id: string }) => r.id === id)).toMatchObject({ name: 'Packers' });
    const patched = await t.request(HOST, `/api/admin/roles/${id}`, { method: 'PATCH', body: { name: 'Shippers', permissions: ['orders.view'] }, cookies: owner });
    expect(patched.status).toBe(200);
    expect(patched.body.role).toMatchObject({ id, name: 'Shippers', permissions: ['orders.view'] });
    const [row] = (await (await t.shopDb(SHOP)).execute({ sql: 'SELECT name, permissions FROM roles WHERE id = ?', args: [id] })).rows;
    expect(row).toMatchObject({ name: 'Shippers', permissions: '["orders.view"]' });
    const deleted = await t.request(HOST, `/api/admin/roles/${id}`, { method: 'DELETE', cookies: owner });
    expect(deleted.status).toBe(200);
    expect(await t.count(await t.shopDb(SHOP), 'roles', 'id = ?', [id])).toBe(0);
  });

  it('lists the permission catalog with labels in both languages', async () => {
    const res = await t.request(HOST, '/api/admin/permissions', { cookies: owner });
    expect(res.status).toBe(200);
    expect(res.body.permissions.map((p: { key: string }) => p.key)).toEqual(allPermissions);
    expect(res.body.permissions[0]).toEqual({ key: 'dashboard.view', zh: expect.any(String), en: expect.any(String) });
  });

  it.each(['role_super_admin', 'role_operations', 'role_finance', 'role_customer_service'])('refuses to change or delete the built-in role %s with ROLE_BUILTIN', async (id) => {
    const before = { roles: await roleCount(), audit: await auditCount() };
    const db = await t.shopDb(SHOP);
    const row = JSON.stringify((await db.execute({ sql: 'SELECT * FROM roles WHERE id = ?', args: [id] })).rows);
    const patch = await t.request(HOST, `/api/admin/roles/${id}`, { method: 'PATCH', body: { name: 'Renamed', permissions: [] }, cookies: owner });
    expect(patch.status).toBe(409);
    expect(patch.body.error.code).toBe('ROLE_BUILTIN');
    const del = await t.request(HOST, `/api/admin/roles/${id}`, { method: 'DELETE', cookies: owner });
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('ROLE_BUILTIN');
    expect(JSON.stringify((await db.execute({ sql: 'SELECT * FROM roles WHERE id = ?', args: [id] })).rows)).toBe(row);
    expect({ roles: await roleCount(), audit: await auditCount() }).toEqual(before);
  });

  it('refuses to delete a role someone holds with ROLE_IN_USE, and allows it once nobody does', async () => {
    const role = await createRole('Held', ['orders.view']);
    const holder = await staffWith([role]);
    const before = { roles: await roleCount(), audit: await auditCount() };
    const res = await t.request(HOST, `/api/admin/roles/${role}`, { method: 'DELETE', cookies: owner });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROLE_IN_USE');
    expect({ roles: await roleCount(), audit: await auditCount() }).toEqual(before);
    expect((await t.request(HOST, `/api/admin/staff/${holder.id}`, { method: 'PATCH', body: { roleIds: [] }, cookies: owner })).status).toBe(200);
    expect((await t.request(HOST, `/api/admin/roles/${role}`, { method: 'DELETE', cookies: owner })).status).toBe(200);
  });

  it('refuses unknown permissions with UNKNOWN_PERMISSION on create and on update, naming them', async () => {
    const before = { roles: await roleCount(), audit: await auditCount() };
    const create = await t.request(HOST, '/api/admin/roles', { body: { name: 'Bogus', permissions: ['orders.view', 'orders.delete_all', '*'] }, cookies: owner });
    expect(create.status).toBe(400);
    expect(create.body.error).toMatchObject({ code: 'UNKNOWN_PERMISSION', details: { unknown: ['orders.delete_all', '*'] } });
    expect({ roles: await roleCount(), audit: await auditCount() }).toEqual(before);
    const role = await createRole('Valid perms', ['orders.view']);
    const patch = await t.request(HOST, `/api/admin/roles/${role}`, { method: 'PATCH', body: { permissions: ['nope'] }, cookies: owner });
    expect(patch.status).toBe(400);
    expect(patch.body.error.code).toBe('UNKNOWN_PERMISSION');
    const [row] = (await (await t.shopDb(SHOP)).execute({ sql: 'SELECT permissions FROM roles WHERE id = ?', args: [role] })).rows;
    expect(row!.permissions).toBe('["orders.view"]');
  });

  it('refuses a name already in use with ROLE_NAME_TAKEN on create and on rename, built-in names included', async () => {
    await createRole('Unique name', []);
    const other = await createRole('Other name', []);
    const before = { roles: await roleCount(), audit: await auditCount() };
    for (const name of ['Unique name', ' Unique name ', builtinRoles.operations.zh]) {
      const res = await t.request(HOST, '/api/admin/roles', { body: { name, permissions: [] }, cookies: owner });
      expect(res.status, name).toBe(409);
      expect(res.body.error.code).toBe('ROLE_NAME_TAKEN');
    }
    const rename = await t.request(HOST, `/api/admin/roles/${other}`, { method: 'PATCH', body: { name: 'Unique name' }, cookies: owner });
    expect(rename.status).toBe(409);
    expect(rename.body.error.code).toBe('ROLE_NAME_TAKEN');
    expect({ roles: await roleCount(), audit: await auditCount() }).toEqual(before);
    const same = await t.request(HOST, `/api/admin/roles/${other}`, { method: 'PATCH', body: { name: 'Other name' }, cookies: owner });
    expect(same.status).toBe(200);
  });

  it('answers an unknown role id with 404 NOT_FOUND', async () => {
    for (const method of ['PATCH', 'DELETE']) {
      const res = await t.request(HOST, '/api/admin/roles/no-such-role', { method, body: method === 'PATCH' ? { name: 'x' } : undefined, cookies: owner });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('lets one of several simultaneous role creates with one name win; the rest get ROLE_NAME_TAKEN, and only the winner is written and audited', async () => {
    const db = await t.shopDb(SHOP);
    for (const name of ['Racing role', 'Racing role 2', 'Racing role 3']) {
      const before = { roles: await roleCount(), audit: await auditCount() };
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        t.request(HOST, '/api/admin/roles', { body: { name, permissions: i % 2 ? ['orders.view'] : [] }, cookies: owner })));
      expect(results.map((r) => r.status).sort(), `${name}: ${JSON.stringify(results.map((r) => r.body))}`).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(7).fill('ROLE_NAME_TAKEN'));
      const winner = results.find((r) => r.status === 201)!.body.role;
      const rows = (await db.execute({ sql: 'SELECT id, permissions FROM roles WHERE name = ?', args: [name] })).rows;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: winner.id, permissions: JSON.stringify(winner.permissions) });
      expect({ roles: await roleCount(), audit: await auditCount() }).toEqual({ roles: before.roles + 1, audit: before.audit + 1 });
      expect(await t.count(db, 'audit_log', "entity = 'role' AND action = 'create' AND entity_id = ?", [winner.id])).toBe(1);
    }
  });

  it('lets one of two simultaneous renames to one name win; the other gets ROLE_NAME_TAKEN and changes nothing', async () => {
    const db = await t.shopDb(SHOP);
    for (let round = 1; round <= 3; round++) {
      const [a, b] = [await createRole(`Rename race A${round}`, []), await createRole(`Rename race B${round}`, [])];
      const name = `Renamed racer ${round}`;
      const before = { roles: await roleCount(), audit: await auditCount() };
      const results = await Promise.all([a, b].map((id) =>
        t.request(HOST, `/api/admin/roles/${id}`, { method: 'PATCH', body: { name }, cookies: owner })));
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.body.error.code).toBe('ROLE_NAME_TAKEN');
      const names = (await db.execute({ sql: 'SELECT name FROM roles WHERE id IN (?, ?) ORDER BY name', args: [a, b] })).rows.map((r) => r.name);
      expect(names).toContain(name);
      expect(names.filter((n) => n === name)).toHaveLength(1);
      expect({ roles: await roleCount(), audit: await auditCount() }).toEqual({ roles: before.roles, audit: before.audit + 1 });
    }
  });
});

describe('staff management', () => {
  const staffCount = async () => t.count(await t.shopDb(SHOP), 'staff');
  const auditCount = async () => t.count(await t.shopDb(SHOP), 'audit_log');

  it('creates a staff member who can log in, without ever returning the password hash', async () => {
    const res = await t.request(HOST, '/api/admin/staff', { body: { email: ' New.Hire@Example.com ', name: 'New Hire', password: 'new-hire-pass-1', roleIds: ['role_finance', 'role_finance'] }, cookies: owner });
    expect(res.status).toBe(201);
    expect(res.body.staff).toMatchObject({ email: 'new.hire@example.com', name: 'New Hire', status: 'active', isOwner: false, roleIds: ['role_finance'] });
    expect(JSON.stringify(res.body)).not.toMatch(/pbkdf2|passwordHash/);
    const list = await t.request(HOST, '/api/admin/staff', { cookies: owner });
    expect(JSON.stringify(list.body)).not.toMatch(/pbkdf2|passwordHash/);
    expect(list.body.staff.find((s: { id: string }) => s.id === res.body.staff.id)).toMatchObject({ roleIds: ['role_finance'] });
    expect((await t.request(HOST, '/api/admin/auth/login', { body: { email: 'new.hire@example.com', password: 'new-hire-pass-1' }, cookies: '' })).status).toBe(200);
  });

  it.each([
    ['an email that is already staff', { email: 'perm@example.com', name: 'Dup', password: 'dup-pass-123', roleIds: [] }, 409, 'STAFF_EMAIL_TAKEN'],
    ['a weak password', { email: 'weak@example.com', name: 'Weak', password: 'password', roleIds: [] }, 400, 'WEAK_PASSWORD'],
    ['an unknown role', { email: 'norole@example.com', name: 'No Role', password: 'norole-pass-1', roleIds: ['role_ghost'] }, 400, 'VALIDATION_FAILED'],
    ['an extra field', { email: 'extra@example.com', name: 'Extra', password: 'extra-pass-1', roleIds: [], isOwner: true }, 400, 'VALIDATION_FAILED'],
    ['a missing name', { email: 'noname@example.com', password: 'noname-pass-1', roleIds: [] }, 400, 'VALIDATION_FAILED'],
  ])('refuses a staff member with %s and changes nothing', async (_, body, status, code) => {
    const before = { staff: await staffCount(), audit: await auditCount() };
    const res = await t.request(HOST, '/api/admin/staff', { body, cookies: owner });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect({ staff: await staffCount(), audit: await auditCount() }).toEqual(before);
  });

  it('answers an unknown staff id with 404 NOT_FOUND', async () => {
    const res = await t.request(HOST, '/api/admin/staff/no-such-staff', { method: 'PATCH', body: { name: 'x' }, cookies: owner });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('refuses to let the only super admin disable themselves or drop the role, with LAST_SUPER_ADMIN', async () => {
    const db = await t.shopDb(SHOP);
    const before = { audit: await auditCount(), owner: JSON.stringify((await db.execute("SELECT status FROM staff WHERE id = 'staff_owner'")).rows), roles: JSON.stringify((await db.execute("SELECT role_id FROM staff_roles WHERE staff_id = 'staff_owner'")).rows) };
    for (const body of [{ status: 'disabled' }, { roleIds: [] }, { roleIds: ['role_operations'] }, { status: 'disabled', roleIds: ['role_super_admin'] }]) {
      const res = await t.request(HOST, '/api/admin/staff/staff_owner', { method: 'PATCH', body, cookies: owner });
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe('LAST_SUPER_ADMIN');
    }
    expect({ audit: await auditCount(), owner: JSON.stringify((await db.execute("SELECT status FROM staff WHERE id = 'staff_owner'")).rows), roles: JSON.stringify((await db.execute("SELECT role_id FROM staff_roles WHERE staff_id = 'staff_owner'")).rows) }).toEqual(before);
    expect((await t.request(HOST, '/api/admin/me', { cookies: owner })).status).toBe(200);
  });

  it('lets a super admin step down once another active super admin exists, but not the last one', async () => {
    const second = await staffWith(['role_super_admin']);
    const down = await t.request(HOST, '/api/admin/staff/staff_owner', { method: 'PATCH', body: { roleIds: ['role_operations'] }, cookies: owner });
    expect(down.status).toBe(200);
    expect(down.body.staff.roleIds).toEqual(['role_operations']);
    const last = await t.request(HOST, `/api/admin/staff/${second.id}`, { method: 'PATCH', body: { status: 'disabled' }, cookies: second.cookie });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('LAST_SUPER_ADMIN');
    const back = await t.request(HOST, '/api/admin/staff/staff_owner', { method: 'PATCH', body: { roleIds: ['role_super_admin'] }, cookies: second.cookie });
    expect(back.status).toBe(200);
    expect((await t.request(HOST, `/api/admin/staff/${second.id}`, { method: 'PATCH', body: { status: 'disabled' }, cookies: owner })).status).toBe(200);
  });

  it('does not count a disabled super admin as the other one', async () => {
    const spare = await staffWith(['role_super_admin']);
    expect((await t.request(HOST, `/api/admin/staff/${spare.id}`, { method: 'PATCH', body: { status: 'disabled' }, cookies: owner })).status).toBe(200);
    const res = await t.request(HOST, '/api/admin/staff/staff_owner', { method: 'PATCH', body: { status: 'disabled' }, cookies: owner });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('LAST_SUPER_ADMIN');
  });

  it('lets one of several simultaneous staff creates with one email win; the rest get STAFF_EMAIL_TAKEN, and nothing of the losers is written', async () => {
    const db = await t.shopDb(SHOP);
    for (const email of ['racer1@example.com', 'racer2@example.com']) {
      const before = { staff: await staffCount(), staffRoles: await t.count(db, 'staff_roles'), audit: await auditCount() };
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        t.request(HOST, '/api/admin/staff', { body: { email: i % 2 ? email.toUpperCase() : email, name: `Racer ${i}`, password: `racer-pass-${i}`, roleIds: ['role_finance', 'role_customer_service'] }, cookies: owner })));
      expect(results.map((r) => r.status).sort(), `${email}: ${JSON.stringify(results.map((r) => r.body))}`).toEqual([201, 409, 409, 409, 409, 409]);
      expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(5).fill('STAFF_EMAIL_TAKEN'));
      const winnerIndex = results.findIndex((r) => r.status === 201);
      const winner = results[winnerIndex]!.body.staff;
      expect(await t.count(db, 'staff', 'email = ?', [email])).toBe(1);
      expect((await db.execute({ sql: 'SELECT id, name FROM staff WHERE email = ?', args: [email] })).rows[0]).toMatchObject({ id: winner.id, name: `Racer ${winnerIndex}` });
      expect((await db.execute({ sql: 'SELECT role_id FROM staff_roles WHERE staff_id = ? ORDER BY role_id', args: [winner.id] })).rows.map((r) => r.role_id))
        .toEqual(['role_customer_service', 'role_finance']);
      expect({ staff: await staffCount(), staffRoles: await t.count(db, 'staff_roles'), audit: await auditCount() })
        .toEqual({ staff: before.staff + 1, staffRoles: before.staffRoles + 2, audit: before.audit + 1 });
      expect(await t.count(db, 'audit_log', "entity = 'staff' AND action = 'create' AND entity_id = ?", [winner.id])).toBe(1);
      expect(await t.count(db, 'staff_roles', 'staff_id NOT IN (SELECT id FROM staff)')).toBe(0);
      // The stored password is the winner's own.
      expect((await t.request(HOST, '/api/admin/auth/login', { body: { email, password: `racer-pass-${winnerIndex}` }, cookies: '' })).status).toBe(200);
      for (let i = 0; i < 6; i++) if (i !== winnerIndex) {
        expect((await t.request(HOST, '/api/admin/auth/login', { body: { email, password: `racer-pass-${i}` }, cookies: '' })).status).toBe(401);
      }
    }
  });
});

describe('nobody grants or manages permissions they do not hold', () => {
  const STAFF_MANAGER = ['staff.view', 'staff.manage'];
  const ROLE_MANAGER = ['roles.view', 'roles.manage'];
  let staffManagerRole: string;
  let roleManagerRole: string;
  beforeAll(async () => {
    staffManagerRole = await createRole('Grant: staff managers', STAFF_MANAGER);
    roleManagerRole = await createRole('Grant: role managers', ROLE_MANAGER);
  });

  it('refuses a staff.manage holder promoting themselves to super admin with 403 GRANT_EXCEEDS_OWN, and changes nothing', async () => {
    const manager = await staffWith([staffManagerRole]);
    const before = await adminState();
    for (const roleIds of [[staffManagerRole, 'role_super_admin'], ['role_super_admin']]) {
      const res = await t.request(HOST, `/api/admin/staff/${manager.id}`, { method: 'PATCH', body: { roleIds }, cookies: manager.cookie });
      expectGrantRefused(res, lacking(STAFF_MANAGER), JSON.stringify(roleIds));
    }
    const other = await t.request(HOST, `/api/admin/staff/${manager.id}`, { method: 'PATCH', body: { roleIds: [staffManagerRole, 'role_finance'] }, cookies: manager.cookie });
    expectGrantRefused(other, lacking(STAFF_MANAGER, builtinRoles.finance.permissions));
    expect(await adminState()).toEqual(before);
    const me = await t.request(HOST, '/api/admin/me', { cookies: manager.cookie });
    expect(me.body.staff.permissions.sort()).toEqual([...STAFF_MANAGER].sort());
  });

  it('refuses a staff.manage holder creating staff with a role beyond their own, and creates nothing', async () => {
    const manager = await staffWith([staffManagerRole]);
    const before = await adminState();
    for (const [roleIds, grants] of [
      [['role_super_admin'], ['*']],
      [['role_finance'], builtinRoles.finance.permissions],
      [[staffManagerRole, 'role_customer_service'], [...STAFF_MANAGER, ...builtinRoles.customer_service.permissions]],
    ] as [string[], readonly string[]][]) {
      const res = await t.request(HOST, '/api/admin/staff', { body: { email: 'grant-new@example.com', name: 'Grant New', password: 'grant-new-pass-1', roleIds }, cookies: manager.cookie });
      expectGrantRefused(res, lacking(STAFF_MANAGER, grants), JSON.stringify(roleIds));
    }
    expect(await adminState()).toEqual(before);
    expect(await t.count(await t.shopDb(SHOP), 'staff', 'email = ?', ['grant-new@example.com'])).toBe(0);
  });

  it('refuses a staff.manage holder giving anyone else a role beyond their own', async () => {
    const manager = await staffWith([staffManagerRole]);
    const plain = await staffWith([]);
    const before = await adminState();
    for (const roleIds of [['role_super_admin'], ['role_operations'], [roleManagerRole]]) {
      const res = await t.request(HOST, `/api/admin/staff/${plain.id}`, { method: 'PATCH', body: { roleIds }, cookies: manager.cookie });
      expect(res.status, JSON.stringify(roleIds)).toBe(403);
      expect(res.body.error.code).toBe('GRANT_EXCEEDS_OWN');
    }
    expectGrantRefused(await t.request(HOST, `/api/admin/staff/${plain.id}`, { method: 'PATCH', body: { roleIds: ['role_operations'] }, cookies: manager.cookie }),
      lacking(STAFF_MANAGER, builtinRoles.operations.permissions));
    expect(await adminState()).toEqual(before);
    const me = await t.request(HOST, '/api/admin/me', { cookies: plain.cookie });
    expect(me.body.staff.permissions).toEqual([]);
  });

  it('refuses a staff.manage holder editing or disabling someone who holds more than they do (the owner included)', async () => {
    const manager = await staffWith([staffManagerRole]);
    const financier = await staffWith(['role_finance']);
    const before = await adminState();
    for (const body of [{ name: 'Hijacked' }, { status: 'disabled' }, { roleIds: [] }, { roleIds: [staffManagerRole] }]) {
      expectGrantRefused(await t.request(HOST, '/api/admin/staff/staff_owner', { method: 'PATCH', body, cookies: manager.cookie }), lacking(STAFF_MANAGER), `owner ${JSON.stringify(body)}`);
      expectGrantRefused(await t.request(HOST, `/api/admin/staff/${financier.id}`, { method: 'PATCH', body, cookies: manager.cookie }),
        lacking(STAFF_MANAGER, builtinRoles.finance.permissions), `finance ${JSON.stringify(body)}`);
    }
    expect(await adminState()).toEqual(before);
    expect((await t.request(HOST, '/api/admin/me', { cookies: owner })).status).toBe(200);
    expect((await t.request(HOST, '/api/admin/me', { cookies: financier.cookie })).status).toBe(200);
  });

  it('still lets a staff.manage holder manage staff within their own permissions', async () => {
    const manager = await staffWith([staffManagerRole]);
    const viewers = await createRole('Grant: staff viewers', ['staff.view']);
    const created = await t.request(HOST, '/api/admin/staff', { body: { email: 'grant-ok@example.com', name: 'Grant Ok', password: 'grant-ok-pass-1', roleIds: [viewers] }, cookies: manager.cookie });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.staff.id;
    const patched = await t.request(HOST, `/api/admin/staff/${id}`, { method: 'PATCH', body: { name: 'Grant Okay', roleIds: [viewers, staffManagerRole] }, cookies: manager.cookie });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const disabled = await t.request(HOST, `/api/admin/staff/${id}`, { method: 'PATCH', body: { status: 'disabled' }, cookies: manager.cookie });
    expect(disabled.status).toBe(200);
  });

  it('refuses a roles.manage holder creating a role with permissions they lack, and creates nothing', async () => {
    const manager = await staffWith([roleManagerRole]);
    const before = await adminState();
    for (const permissions of [['orders.view'], ['roles.view', 'settings.manage'], [...allPermissions], ['roles.manage', 'staff.manage', 'audit.view']]) {
      const res = await t.request(HOST, '/api/admin/roles', { body: { name: 'Grant: too wide', permissions }, cookies: manager.cookie });
      expectGrantRefused(res, lacking(ROLE_MANAGER, permissions), JSON.stringify(permissions));
    }
    expect(await adminState()).toEqual(before);
    expect(await t.count(await t.shopDb(SHOP), 'roles', 'name = ?', ['Grant: too wide'])).toBe(0);
  });

  it('refuses a roles.manage holder widening a role (their own included) or touching one that carries what they lack', async () => {
    const manager = await staffWith([roleManagerRole]);
    const narrow = await createRole('Grant: narrow', ['roles.view']);
    const foreign = await createRole('Grant: foreign', ['orders.export', 'roles.view']);
    const before = await adminState();
    expectGrantRefused(await t.request(HOST, `/api/admin/roles/${roleManagerRole}`, { method: 'PATCH', body: { permissions: [...ROLE_MANAGER, 'staff.manage'] }, cookies: manager.cookie }), ['staff.manage'], 'own role');
    expectGrantRefused(await t.request(HOST, `/api/admin/roles/${narrow}`, { method: 'PATCH', body: { permissions: ['roles.view', 'audit.view', 'settings.manage'] }, cookies: manager.cookie }), ['audit.view', 'settings.manage'], 'narrow');
    for (const body of [{ name: 'Grant: renamed' }, { permissions: ['roles.view'] }, { permissions: [] }]) {
      expectGrantRefused(await t.request(HOST, `/api/admin/roles/${foreign}`, { method: 'PATCH', body, cookies: manager.cookie }), ['orders.export'], `foreign ${JSON.stringify(body)}`);
    }
    expectGrantRefused(await t.request(HOST, `/api/admin/roles/${foreign}`, { method: 'DELETE', cookies: manager.cookie }), ['orders.export'], 'delete foreign');
    expect(await adminState()).toEqual(before);
    const me = await t.request(HOST, '/api/admin/me', { cookies: manager.cookie });
    expect(me.body.staff.permissions.sort()).toEqual([...ROLE_MANAGER].sort());
  });

  it('still lets a roles.manage holder create, change and delete roles within their own permissions', async () => {
    const manager = await staffWith([roleManagerRole]);
    const created = await t.request(HOST, '/api/admin/roles', { body: { name: 'Grant: within', permissions: ['roles.view'] }, cookies: manager.cookie });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.role.id;
    const patched = await t.request(HOST, `/api/admin/roles/${id}`, { method: 'PATCH', body: { name: 'Grant: within 2', permissions: ROLE_MANAGER }, cookies: manager.cookie });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await t.request(HOST, `/api/admin/roles/${id}`, { method: 'DELETE', cookies: manager.cookie })).status).toBe(200);
    expect(await t.count(await t.shopDb(SHOP), 'roles', 'id = ?', [id])).toBe(0);
  });

  it('lets a super admin (not the owner) do all of it', async () => {
    const admin = await staffWith(['role_super_admin']);
    const db = await t.shopDb(SHOP);
    const role = await t.request(HOST, '/api/admin/roles', { body: { name: 'Grant: everything', permissions: [...allPermissions] }, cookies: admin.cookie });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const id = role.body.role.id;
    expect((await t.request(HOST, `/api/admin/roles/${id}`, { method: 'PATCH', body: { name: 'Grant: everything 2', permissions: ['orders.export'] }, cookies: admin.cookie })).status).toBe(200);
    expect((await t.request(HOST, `/api/admin/roles/${id}`, { method: 'DELETE', cookies: admin.cookie })).status).toBe(200);
    const promoted = await t.request(HOST, '/api/admin/staff', { body: { email: 'grant-sa@example.com', name: 'Grant SA', password: 'grant-sa-pass-1', roleIds: ['role_super_admin', 'role_finance'] }, cookies: admin.cookie });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(201);
    const financier = await staffWith(['role_finance']);
    expect((await t.request(HOST, `/api/admin/staff/${financier.id}`, { method: 'PATCH', body: { roleIds: ['role_operations'], status: 'disabled' }, cookies: admin.cookie })).status).toBe(200);
    const ownerName = String((await db.execute("SELECT name FROM staff WHERE id = 'staff_owner'")).rows[0]!.name);
    expect((await t.request(HOST, '/api/admin/staff/staff_owner', { method: 'PATCH', body: { name: 'Owner renamed' }, cookies: admin.cookie })).status).toBe(200);
    expect((await t.request(HOST, '/api/admin/staff/staff_owner', { method: 'PATCH', body: { name: ownerName }, cookies: admin.cookie })).status).toBe(200);
    // Leave the owner the only active super admin again, as the staff tests expect.
    for (const sid of [promoted.body.staff.id, admin.id]) {
      expect((await t.request(HOST, `/api/admin/staff/${sid}`, { method: 'PATCH', body: { status: 'disabled' }, cookies: owner })).status).toBe(200);
    }
    expect(await t.count(db, 'staff s JOIN staff_roles sr ON sr.staff_id = s.id', "sr.role_id = 'role_super_admin' AND s.status = 'active'")).toBe(1);
  });
});

describe('LAST_SUPER_ADMIN under concurrency', () => {
  let shopSeq = 0;
  /** A fresh shop whose owner and one more staff member are its only (active) super admins. */
  async function twoSuperAdmins() {
    const slug = `race${++shopSeq}`;
    const host = `${slug}.localhost`;
    const { ownerCookie } = await t.signupAndLogin(slug);
    const res = await t.request(host, '/api/admin/staff', { body: { email: `second@${slug}.example`, name: 'Second', password: 'second-pass-1', roleIds: ['role_super_admin'] }, cookies: ownerCookie });
    if (res.status !== 201) throw new Error(`create staff: ${res.status} ${JSON.stringify(res.body)}`);
    const secondCookie = await t.staffLogin(host, `second@${slug}.example`, 'second-pass-1');
    return { slug, host, ownerCookie, secondId: res.body.staff.id as string, secondCookie };
  }

  it.each([
    ['both disable the other', { status: 'disabled' }, { status: 'disabled' }],
    ['one drops the other\'s role, the other disables them', { roleIds: [] }, { status: 'disabled' }],
    ['both move the other to another role', { roleIds: ['role_operations'] }, { roleIds: ['role_finance'] }],
  ])('keeps one active super admin when two super admins act on each other at the same moment (%s)', async (_, ownerToSecond, secondToOwner) => {
    for (let round = 0; round < 3; round++) {
      const s = await twoSuperAdmins();
      const db = await t.shopDb(s.slug);
      const audit = await t.count(db, 'audit_log');
      const [byOwner, bySecond] = await Promise.all([
        t.request(s.host, `/api/admin/staff/${s.secondId}`, { method: 'PATCH', body: ownerToSecond, cookies: s.ownerCookie }),
        t.request(s.host, '/api/admin/staff/staff_owner', { method: 'PATCH', body: secondToOwner, cookies: s.secondCookie }),
      ]);
      const results = [byOwner, bySecond];
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.body.error.code).toBe('LAST_SUPER_ADMIN');
      const active = (await db.execute(`SELECT s.id FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id
        WHERE sr.role_id = 'role_super_admin' AND s.status = 'active'`)).rows.map((r) => r.id);
      expect(active).toEqual([byOwner.status === 200 ? 'staff_owner' : s.secondId]);
      expect(await t.count(db, 'audit_log')).toBe(audit + 1);
      expect(await t.count(db, 'audit_log', "entity = 'staff' AND action = 'update'")).toBe(1);
      expect(await t.count(db, 'invariant_guards')).toBe(0);
      // The survivor still runs the shop.
      const survivor = byOwner.status === 200 ? s.ownerCookie : s.secondCookie;
      const me = await t.request(s.host, '/api/admin/me', { cookies: survivor });
      expect(me.status).toBe(200);
      expect(me.body.staff.permissions.sort()).toEqual([...allPermissions].sort());
    }
  });

  it('leaves the guard table empty after successful and refused changes alike', async () => {
    const s = await twoSuperAdmins();
    const db = await t.shopDb(s.slug);
    expect((await t.request(s.host, `/api/admin/staff/${s.secondId}`, { method: 'PATCH', body: { name: 'Second renamed' }, cookies: s.ownerCookie })).status).toBe(200);
    expect(await t.count(db, 'invariant_guards')).toBe(0);
    expect((await t.request(s.host, `/api/admin/staff/${s.secondId}`, { method: 'PATCH', body: { status: 'disabled' }, cookies: s.ownerCookie })).status).toBe(200);
    const refused = await t.request(s.host, '/api/admin/staff/staff_owner', { method: 'PATCH', body: { status: 'disabled' }, cookies: s.ownerCookie });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('LAST_SUPER_ADMIN');
    expect(await t.count(db, 'invariant_guards')).toBe(0);
  });
});
