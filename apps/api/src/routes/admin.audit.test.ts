import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_CLIENT_IP, type TestApp } from '../testing/test-app';

const SHOP = 'audit';
const HOST = `${SHOP}.localhost`;
let t: TestApp;
let owner: string;
beforeAll(async () => {
  t = await createTestApp({ loginRateLimit: { max: 10_000, windowMs: 60_000 } });
  ({ ownerCookie: owner } = await t.signupAndLogin(SHOP));
});
afterAll(async () => { await t.close(); });

interface AuditRow { id: string; staffId: string | null; staffName: string; entity: string; entityId: string; action: string; before: any; after: any; ip: string | null; createdAt: number }

const auditCount = async () => t.count(await t.shopDb(SHOP), 'audit_log');

/** Runs a mutation and returns the audit rows it wrote (read back through the API). */
async function audited(run: () => Promise<{ status: number; body: any }>) {
  const before = await auditCount();
  const res = await run();
  const added = (await auditCount()) - before;
  const list = await t.request(HOST, `/api/admin/audit?limit=${Math.max(added, 1)}`, { cookies: owner });
  return { res, rows: (added > 0 ? list.body.items : []) as AuditRow[] };
}

async function listAll(query: string, limit = 100) {
  const res = await t.request(HOST, `/api/admin/audit?limit=${limit}${query ? `&${query}` : ''}`, { cookies: owner });
  expect(res.status).toBe(200);
  return res.body.items as AuditRow[];
}

describe('every admin mutation writes exactly one audit row', () => {
  it('records a settings change with who, what, before, after, when and the client IP', async () => {
    const { res, rows } = await audited(() => t.request(HOST, '/api/admin/settings', { method: 'PATCH', body: { shopName: 'Audit Tea', locale: 'en' }, cookies: owner }));
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ shopName: 'Audit Tea', locale: 'en' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      staffId: 'staff_owner', staffName: 'audit', entity: 'settings', entityId: 'shop', action: 'update', ip: TEST_CLIENT_IP, createdAt: t.clock.now(),
      before: { shopName: 'Shop audit', locale: 'zh-CN', timezone: 'Asia/Shanghai', currency: 'CNY' },
      after: { shopName: 'Audit Tea', locale: 'en', timezone: 'Asia/Shanghai', currency: 'CNY' },
    });
  });

  it('writes nothing when a settings patch changes nothing', async () => {
    const { res, rows } = await audited(() => t.request(HOST, '/api/admin/settings', { method: 'PATCH', body: {}, cookies: owner }));
    expect(res.status).toBe(200);
    expect(rows).toEqual([]);
  });

  it('records role create, update and delete with their before and after', async () => {
    const created = await audited(() => t.request(HOST, '/api/admin/roles', { body: { name: 'Audited role', permissions: ['orders.view'] }, cookies: owner }));
    const id = created.res.body.role.id;
    expect(created.rows).toEqual([expect.objectContaining({ entity: 'role', entityId: id, action: 'create', before: null, staffName: 'audit', ip: TEST_CLIENT_IP })]);
    expect(created.rows[0]!.after).toMatchObject({ id, name: 'Audited role', permissions: ['orders.view'] });

    const updated = await audited(() => t.request(HOST, `/api/admin/roles/${id}`, { method: 'PATCH', body: { name: 'Renamed role', permissions: ['orders.view', 'orders.manage'] }, cookies: owner }));
    expect(updated.rows).toHaveLength(1);
    expect(updated.rows[0]).toMatchObject({ entity: 'role', entityId: id, action: 'update', before: { name: 'Audited role', permissions: ['orders.view'] }, after: { name: 'Renamed role', permissions: ['orders.view', 'orders.manage'] } });

    const deleted = await audited(() => t.request(HOST, `/api/admin/roles/${id}`, { method: 'DELETE', cookies: owner }));
    expect(deleted.rows).toHaveLength(1);
    expect(deleted.rows[0]).toMatchObject({ entity: 'role', entityId: id, action: 'delete', before: { name: 'Renamed role' }, after: null });
  });

  it('records staff create and update without any password hash', async () => {
    const created = await audited(() => t.request(HOST, '/api/admin/staff', { body: { email: 'clerk@example.com', name: 'Clerk', password: 'clerk-pass-1', roleIds: ['role_finance'] }, cookies: owner }));
    const id = created.res.body.staff.id;
    expect(created.rows).toHaveLength(1);
    expect(created.rows[0]).toMatchObject({ entity: 'staff', entityId: id, action: 'create', before: null, after: { email: 'clerk@example.com', name: 'Clerk', roleIds: ['role_finance'] } });

    const updated = await audited(() => t.request(HOST, `/api/admin/staff/${id}`, { method: 'PATCH', body: { name: 'Senior Clerk', roleIds: ['role_operations'] }, cookies: owner }));
    expect(updated.rows).toHaveLength(1);
    expect(updated.rows[0]).toMatchObject({ entity: 'staff', entityId: id, action: 'update', before: { name: 'Clerk', roleIds: ['role_finance'] }, after: { name: 'Senior Clerk', roleIds: ['role_operations'] } });

    const raw = JSON.stringify((await (await t.shopDb(SHOP)).execute('SELECT before, after FROM audit_log')).rows);
    expect(raw).not.toMatch(/pbkdf2|passwordHash|password_hash|clerk-pass/);
  });

  it('names the staff member who acted and the IP they acted from', async () => {
    const role = await t.request(HOST, '/api/admin/roles', { body: { name: 'Settings editor', permissions: ['settings.manage'] }, cookies: owner });
    await t.request(HOST, '/api/admin/staff', { body: { email: 'actor@example.com', name: 'Actor Name', password: 'actor-pass-1', roleIds: [role.body.role.id] }, cookies: owner });
    const actor = await t.staffLogin(HOST, 'actor@example.com', 'actor-pass-1');
    const { rows } = await audited(() => t.request(HOST, '/api/admin/settings', { method: 'PATCH', body: { timezone: 'Europe/Helsinki' }, cookies: actor, clientIp: '198.51.100.23' }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ staffName: 'Actor Name', ip: '198.51.100.23', after: { timezone: 'Europe/Helsinki' } });
    expect(rows[0]!.staffId).not.toBe('staff_owner');
  });
});

describe('a refused mutation writes no audit row', () => {
  let holder: string;
  let heldRole: string;
  beforeAll(async () => {
    heldRole = (await t.request(HOST, '/api/admin/roles', { body: { name: 'Held for audit', permissions: [] }, cookies: owner })).body.role.id;
    await t.request(HOST, '/api/admin/staff', { body: { email: 'holder@example.com', name: 'Holder', password: 'holder-pass-1', roleIds: [heldRole] }, cookies: owner });
    holder = await t.staffLogin(HOST, 'holder@example.com', 'holder-pass-1');
  });

  const refusals: [string, () => [string, Record<string, unknown>], number, string][] = [
    ['an invalid time zone', () => ['/api/admin/settings', { method: 'PATCH', body: { timezone: 'Mars/Base' } }], 400, 'VALIDATION_FAILED'],
    ['an unknown setting', () => ['/api/admin/settings', { method: 'PATCH', body: { currency: 'USD' } }], 400, 'VALIDATION_FAILED'],
    ['a taken role name', () => ['/api/admin/roles', { body: { name: 'Held for audit', permissions: [] } }], 409, 'ROLE_NAME_TAKEN'],
    ['an unknown permission', () => ['/api/admin/roles', { body: { name: 'Nope', permissions: ['nope'] } }], 400, 'UNKNOWN_PERMISSION'],
    ['a built-in role edit', () => ['/api/admin/roles/role_finance', { method: 'PATCH', body: { name: 'Money' } }], 409, 'ROLE_BUILTIN'],
    ['a built-in role delete', () => ['/api/admin/roles/role_finance', { method: 'DELETE' }], 409, 'ROLE_BUILTIN'],
    ['deleting a role in use', () => [`/api/admin/roles/${heldRole}`, { method: 'DELETE' }], 409, 'ROLE_IN_USE'],
    ['a weak staff password', () => ['/api/admin/staff', { body: { email: 'weak@example.com', name: 'Weak', password: 'weakweak', roleIds: [] } }], 400, 'WEAK_PASSWORD'],
    ['a duplicate staff email', () => ['/api/admin/staff', { body: { email: 'holder@example.com', name: 'Dup', password: 'dup-pass-123', roleIds: [] } }], 409, 'STAFF_EMAIL_TAKEN'],
    ['removing the last super admin', () => ['/api/admin/staff/staff_owner', { method: 'PATCH', body: { roleIds: [] } }], 409, 'LAST_SUPER_ADMIN'],
  ];

  it.each(refusals)('writes none for %s', async (_, make, status, code) => {
    const [path, init] = make();
    const before = await auditCount();
    const res = await t.request(HOST, path, { ...init, cookies: owner });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await auditCount()).toBe(before);
  });

  it('writes none when the actor lacks the permission or is not signed in', async () => {
    const before = await auditCount();
    expect((await t.request(HOST, '/api/admin/settings', { method: 'PATCH', body: { shopName: 'Nope' }, cookies: holder })).status).toBe(403);
    expect((await t.request(HOST, '/api/admin/roles', { body: { name: 'Nope', permissions: [] }, cookies: '' })).status).toBe(401);
    expect(await auditCount()).toBe(before);
  });
});

describe('GET /api/admin/audit', () => {
  let t0 = 0;
  let actor: { id: string; cookie: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await t.signupShop('auditq');
  });

  /** A fresh shop with a known history: one mutation per second from t0. */
  async function history() {
    const h = 'auditq.localhost';
    t0 = Math.ceil(t.clock.now() / 60_000) * 60_000 + 60_000;
    t.clock.set(t0);
    const ownerQ = await t.staffLogin(h, 'auditq@example.com', 'correct-horse-9');
    await t.request(h, '/api/admin/settings', { method: 'PATCH', body: { shopName: 'Q' }, cookies: ownerQ }); // t0: settings update (owner)
    t.clock.set(t0 + 1000);
    ids.r1 = (await t.request(h, '/api/admin/roles', { body: { name: 'R1', permissions: ['roles.manage'] }, cookies: ownerQ })).body.role.id; // role create (owner)
    t.clock.set(t0 + 2000);
    await t.request(h, `/api/admin/roles/${ids.r1}`, { method: 'PATCH', body: { name: 'R1b' }, cookies: ownerQ }); // role update (owner)
    t.clock.set(t0 + 3000);
    const s = await t.request(h, '/api/admin/staff', { body: { email: 'q@example.com', name: 'Q Staff', password: 'q-pass-1234', roleIds: [ids.r1] }, cookies: ownerQ }); // staff create (owner)
    actor = { id: s.body.staff.id, cookie: await t.staffLogin(h, 'q@example.com', 'q-pass-1234') };
    t.clock.set(t0 + 4000);
    ids.r2 = (await t.request(h, '/api/admin/roles', { body: { name: 'R2', permissions: [] }, cookies: actor.cookie })).body.role.id; // role create (actor)
    t.clock.set(t0 + 5000);
    await t.request(h, `/api/admin/roles/${ids.r2}`, { method: 'DELETE', cookies: actor.cookie }); // role delete (actor)
    t.clock.set(t0 + 6000);
    await t.request(h, `/api/admin/staff/${actor.id}`, { method: 'PATCH', body: { name: 'Q Staff 2' }, cookies: ownerQ }); // staff update (owner)
    return ownerQ;
  }

  let ownerQ: string;
  const query = async (q: string) => {
    const res = await t.request('auditq.localhost', `/api/admin/audit?${q}`, { cookies: ownerQ });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: AuditRow[]; nextCursor: string | null };
  };
  const summary = (items: AuditRow[]) => items.map((r) => `${r.entity}.${r.action}@${r.createdAt < t0 ? 'signup' : r.createdAt - t0}`);

  it('lists newest first', async () => {
    ownerQ = await history();
    const { items, nextCursor } = await query('limit=100');
    expect(summary(items)).toEqual([
      'staff.update@6000', 'role.delete@5000', 'role.create@4000', 'staff.create@3000', 'role.update@2000', 'role.create@1000', 'settings.update@0',
      'shop.create@signup',
    ]);
    expect(nextCursor).toBeNull();
  });

  it('filters by entity', async () => {
    expect(summary((await query('entity=role')).items)).toEqual(['role.delete@5000', 'role.create@4000', 'role.update@2000', 'role.create@1000']);
    expect(summary((await query('entity=settings')).items)).toEqual(['settings.update@0']);
    expect((await query('entity=nothing')).items).toEqual([]);
  });

  it('filters by action', async () => {
    expect(summary((await query('action=create')).items)).toEqual(['role.create@4000', 'staff.create@3000', 'role.create@1000', 'shop.create@signup']);
    expect(summary((await query('entity=role&action=create')).items)).toEqual(['role.create@4000', 'role.create@1000']);
  });

  it('filters by the staff member who acted', async () => {
    expect(summary((await query(`staffId=${actor.id}`)).items)).toEqual(['role.delete@5000', 'role.create@4000']);
    expect((await query('staffId=staff_owner')).items).toHaveLength(6);
  });

  it('filters by time: from is inclusive, to is exclusive', async () => {
    expect(summary((await query(`from=${t0 + 2000}&to=${t0 + 5000}`)).items)).toEqual(['role.create@4000', 'staff.create@3000', 'role.update@2000']);
    expect(summary((await query(`from=${t0 + 6000}`)).items)).toEqual(['staff.update@6000']);
    expect(summary((await query(`to=${t0 + 1000}`)).items)).toEqual(['settings.update@0', 'shop.create@signup']);
    expect(summary((await query(`entity=role&from=${t0 + 1500}&staffId=staff_owner`)).items)).toEqual(['role.update@2000']);
  });

  it('pages with limit and nextCursor without duplicates or gaps', async () => {
    for (let i = 0; i < 23; i++) {
      t.clock.set(t0 + 10_000 + i);
      expect((await t.request('auditq.localhost', '/api/admin/roles', { body: { name: `Bulk ${i}`, permissions: [] }, cookies: ownerQ })).status).toBe(201);
    }
    const all = (await query('limit=100')).items.map((r) => r.id);
    expect(all).toHaveLength(31);
    for (const limit of [1, 3, 7, 10, 30, 31]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await query(`limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
        if (cursor) expect(cursor).toBe(page.items.at(-1)!.id);
        pages++;
      } while (cursor && pages < 100);
      expect(seen, `limit ${limit}`).toEqual(all);
      expect(pages).toBe(Math.max(1, Math.ceil(31 / limit)));
    }
  });

  it('pages within a filter', async () => {
    const first = await query('entity=role&limit=10');
    expect(first.items).toHaveLength(10);
    expect(first.nextCursor).not.toBeNull();
    const second = await query(`entity=role&limit=10&cursor=${first.nextCursor}`);
    const third = await query(`entity=role&limit=10&cursor=${second.nextCursor}`);
    const ids = [...first.items, ...second.items, ...third.items].map((r) => r.id);
    expect(new Set(ids).size).toBe(27);
    expect(third.nextCursor).toBeNull();
    expect([...first.items, ...second.items, ...third.items].every((r) => r.entity === 'role')).toBe(true);
  });

  it('defaults to 50 rows and refuses a limit outside 1–100 with VALIDATION_FAILED', async () => {
    for (let i = 0; i < 25; i++) await t.request('auditq.localhost', '/api/admin/roles', { body: { name: `More ${i}`, permissions: [] }, cookies: ownerQ });
    const page = await query('');
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toBe(page.items.at(-1)!.id);
    for (const limit of ['0', '101', 'x']) {
      const res = await t.request('auditq.localhost', `/api/admin/audit?limit=${limit}`, { cookies: ownerQ });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('shows each shop only its own history', async () => {
    const own = await listAll('');
    expect(own.some((r) => r.after?.name === 'R1')).toBe(false);
    expect((await query('limit=100')).items.some((r) => r.after?.shopName === 'Audit Tea')).toBe(false);
  });
});
