import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedClient } from '@tuike/db-runtime';
import { defaultDistributionSettings, loadDistributionContext, type DistributionSettings } from '@tuike/distribution';
import { ledgerViolations } from '@tuike/distribution/testing';
import { createTestApp, cookieHeader, TEST_CLIENT_IP, type TestApp, type TestRequestInit } from '../testing/test-app';
import { solidPng } from '../testing/images';

const SHOP = 'dist';
const HOST = `${SHOP}.localhost`;

let t: TestApp;
let owner: string;
let categoryId: string;
let productId: string;
let skuId: string;

const call = (cookie: string) => (path: string, init: TestRequestInit = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });
const admin = (path: string, init: TestRequestInit = {}) => call(owner)(`/admin${path}`, init);
const db = () => t.shopDb(SHOP);

/** Rows of the distribution tables and the audit log's size: what a refused request must leave as it was. */
async function distributionState() {
  const shop = await db();
  const rows = async (table: string) => JSON.stringify((await shop.execute(`SELECT * FROM ${table} ORDER BY rowid`)).rows);
  const tables = ['settings', 'distributors', 'distributor_grades', 'commission_overrides', 'wallets', 'wallet_entries', 'withdrawals',
    'payout_batches', 'settlement_runs', 'share_materials'];
  return { ...Object.fromEntries(await Promise.all(tables.map(async (tb) => [tb, await rows(tb)]))), audit: await t.count(shop, 'audit_log') };
}

const auditCount = async (where: string, args: string[] = []) => t.count(await db(), 'audit_log', where, args);

async function registerMember(username: string) {
  const res = await t.request(HOST, '/api/member/register', { body: { username, password: 'member-pass-1' }, cookies: '' });
  if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.member.id as string, cookie: cookieHeader(res.setCookies) };
}

const settingsNow = async () => (await loadDistributionContext(await db())).settings;

async function inviteCodeOf(memberId: string) {
  const rs = await (await db()).execute({ sql: 'SELECT invite_code FROM distributors WHERE member_id = ?', args: [memberId] });
  return String(rs.rows[0]!.invite_code);
}

/** Setup, not the thing under test: a member applies in the storefront, through `parent`'s link when given. */
async function applicant(username: string, opts: { shopName?: string; parent?: string } = {}) {
  const member = await registerMember(username);
  const api = call(member.cookie);
  if (opts.parent) expect((await api('/distribution/visit', { body: { code: await inviteCodeOf(opts.parent) } })).body.outcome).toBe('bound');
  const applied = await api('/distribution/apply', { body: { shopName: opts.shopName ?? `${username}的小店`, note: '想分享好茶' } });
  if (applied.status !== 201) throw new Error(`apply ${username}: ${applied.status} ${JSON.stringify(applied.body)}`);
  expect(applied.body.status).toBe('pending');
  return member;
}

/** Setup: a withdrawal request from the distributor centre. */
async function withdrawal(who: { cookie: string }, amount: number, method: 'wechat' | 'alipay' | 'bank' | 'offline', account: Record<string, string>) {
  const res = await call(who.cookie)('/distribution/withdrawals', { body: { amount, method, account } });
  if (res.status !== 201) throw new Error(`withdrawal: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.withdrawal as { id: string; fee: number; net: number };
}

async function wallet(distributorId: string) {
  const rs = await (await db()).execute({ sql: 'SELECT pending, frozen, available, reserved, withdrawn, debt FROM wallets WHERE distributor_id = ?', args: [distributorId] });
  const r = rs.rows[0]!;
  return { pending: Number(r.pending), frozen: Number(r.frozen), available: Number(r.available), reserved: Number(r.reserved), withdrawn: Number(r.withdrawn), debt: Number(r.debt) };
}

const putSettings = (body: unknown) => admin('/distribution/settings', { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  t = await createTestApp();
  ({ ownerCookie: owner } = await t.signupAndLogin(SHOP));
  categoryId = (await admin('/categories', { body: { name: '绿茶' } })).body.category.id;
  const product = await admin('/products', { body: { title: '明前龙井', categoryId, status: 'on', skus: [{ price: 10000, stock: 1000 }] } });
  productId = product.body.product.id;
  skuId = product.body.skus[0].id;
});
afterAll(async () => { await t.close(); });

describe('distribution settings', () => {
  it('answers the defaults and the platform limits before the shop saved any', async () => {
    const res = await admin('/distribution/settings');
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual(defaultDistributionSettings);
    expect(res.body.limits).toMatchObject({ maxLevels: 3, maxCapBps: 10_000, entryFee: false, recruitReward: false });
    expect(res.body.timeZone).toBe('Asia/Shanghai');
  });

  it('stores a full settings document, audited in the same batch, and answers it back', async () => {
    const next: DistributionSettings = {
      ...defaultDistributionSettings,
      levels: 2,
      capBps: 2500,
      defaultRule: { mode: 'bps', levels: [1200, 600] },
      binding: { mode: 'latest', expiryDays: 30 },
      rulesText: '佣金只来自真实商品销售，不收取任何费用。',
    };
    const audit = await auditCount("entity = 'settings' AND entity_id = 'distribution'");
    const res = await putSettings(next);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.settings).toEqual(next);
    expect((await admin('/distribution/settings')).body.settings).toEqual(next);
    expect(await auditCount("entity = 'settings' AND entity_id = 'distribution' AND action = 'update'")).toBe(audit + 1);
    // The order pipeline reads the same row.
    expect(await settingsNow()).toEqual(next);
  });

  it.each([
    ['four levels', { levels: 4 }, 'DISTRIBUTION_LEVELS_EXCEEDED'],
    ['a default rule of four levels', { defaultRule: { mode: 'bps', levels: [1000, 500, 200, 100] } }, 'DISTRIBUTION_LEVELS_EXCEEDED'],
    ['rates over the cap', { capBps: 1000, defaultRule: { mode: 'bps', levels: [800, 300] } }, 'COMMISSION_CAP_EXCEEDED'],
    ['an entry fee', { entryFee: 9900 }, 'ENTRY_FEE_FORBIDDEN'],
    ['a joining price hidden in the eligibility', { eligibility: { mode: 'anyone', joinPrice: 100 } }, 'ENTRY_FEE_FORBIDDEN'],
    ['a deposit', { deposit: 50000 }, 'ENTRY_FEE_FORBIDDEN'],
    ['a reward per recruit', { recruitReward: 500 }, 'RECRUIT_REWARD_FORBIDDEN'],
    ['an invite bonus', { inviteBonus: 1000 }, 'RECRUIT_REWARD_FORBIDDEN'],
  ])('refuses %s with %s and leaves the stored settings unchanged', async (_, change, code) => {
    const before = await distributionState();
    const current = (await admin('/distribution/settings')).body.settings;
    const res = await putSettings({ ...current, ...change });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(await distributionState()).toEqual(before);
  });

  it.each([
    ['an unknown field', (s: DistributionSettings) => ({ ...s, colour: 'red' })],
    ['a negative withdrawal minimum', (s: DistributionSettings) => ({ ...s, withdrawal: { ...s.withdrawal, minimum: -100 } })],
    ['a fractional cap', (s: DistributionSettings) => ({ ...s, capBps: 12.5 })],
    ['levels as text', (s: DistributionSettings) => ({ ...s, levels: '2' })],
    ['a missing field', ({ rulesText: _, ...s }: DistributionSettings) => s],
    ['an unknown payout method', (s: DistributionSettings) => ({ ...s, withdrawal: { ...s.withdrawal, methods: ['paypal'] } })],
    ['a daily maximum under the minimum', (s: DistributionSettings) => ({ ...s, withdrawal: { ...s.withdrawal, minimum: 1000, dailyMax: 500 } })],
    ['null', () => null],
    ['an array', () => []],
  ])('refuses %s with VALIDATION_FAILED and changes nothing', async (_, make) => {
    const before = await distributionState();
    const res = await putSettings(make((await admin('/distribution/settings')).body.settings));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await distributionState()).toEqual(before);
  });

  it('refuses a body that is not JSON with MALFORMED_JSON', async () => {
    const before = await distributionState();
    const res = await putSettings('{"levels": 2,');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
    expect(await distributionState()).toEqual(before);
  });
});

let alice: { id: string; cookie: string };
let bob: { id: string; cookie: string };
let carol: { id: string; cookie: string };

describe('applications and distributors', () => {
  beforeAll(async () => {
    alice = await applicant('alice', { shopName: '=HYPERLINK("http://x.cn")' });
  });

  it('lists a pending application with the member\'s name and no wallet yet', async () => {
    const res = await admin('/distributors?status=pending');
    expect(res.status).toBe(200);
    const row = res.body.items.find((d: { memberId: string }) => d.memberId === alice.id);
    expect(row).toMatchObject({ nickname: 'alice', username: 'alice', status: 'pending', applyNote: '想分享好茶', inviteCode: null, grade: null, wallet: null });
  });

  it('approves a pending application once, audited in the approval batch; a second approval is DISTRIBUTOR_STATE', async () => {
    const res = await admin(`/distributors/${alice.id}/approve`, { method: 'POST' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.distributor).toMatchObject({ status: 'active', parentId: null, wallet: { available: 0, pending: 0 } });
    expect(res.body.distributor.inviteCode).toMatch(/^[A-Z2-9]{6}$/);
    expect(await auditCount("entity = 'distributor' AND action = 'approve' AND entity_id = ?", [alice.id])).toBe(1);
    const before = await distributionState();
    const again = await admin(`/distributors/${alice.id}/approve`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DISTRIBUTOR_STATE');
    expect(await distributionState()).toEqual(before);
  });

  it('fixes the upline at approval from the member\'s binding, and counts the team in the same batch', async () => {
    bob = await applicant('bob', { parent: alice.id });
    expect((await admin(`/distributors/${bob.id}/approve`, { method: 'POST' })).status).toBe(200);
    const bobDetail = await admin(`/distributors/${bob.id}`);
    expect(bobDetail.status).toBe(200);
    expect(bobDetail.body.distributor).toMatchObject({ status: 'active', parentId: alice.id });
    expect(bobDetail.body.upline).toEqual([{ level: 1, memberId: alice.id, nickname: 'alice', shopName: '=HYPERLINK("http://x.cn")', status: 'active' }]);
    const aliceDetail = await admin(`/distributors/${alice.id}`);
    expect(aliceDetail.body.team.counts).toEqual({ level1: 1, level2: 0, level3: 0 });
    expect(aliceDetail.body.team.level1.items.map((m: { memberId: string }) => m.memberId)).toEqual([bob.id]);
    expect(aliceDetail.body.upline).toEqual([]);
    expect(aliceDetail.body.boundCustomers).toBe(0);
  });

  it('rejects with a reason the applicant is told; a rejection without a reason changes nothing', async () => {
    carol = await applicant('carol');
    const before = await distributionState();
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(201) }, { reason: '资料不全', extra: true }]) {
      const res = await admin(`/distributors/${carol.id}/reject`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await distributionState()).toEqual(before);
    const res = await admin(`/distributors/${carol.id}/reject`, { body: { reason: '资料不全' } });
    expect(res.status).toBe(200);
    expect(res.body.distributor).toMatchObject({ status: 'rejected', rejectReason: '资料不全' });
    expect(await t.count(await db(), 'notifications', "recipient_id = ? AND type = 'distributor.rejected'", [carol.id])).toBe(1);
    expect(await auditCount("entity = 'distributor' AND action = 'reject' AND entity_id = ?", [carol.id])).toBe(1);
    expect((await admin(`/distributors/${carol.id}/approve`, { method: 'POST' })).body.error.code).toBe('DISTRIBUTOR_STATE');
  });

  it('disables and enables an active distributor, each once', async () => {
    const disabled = await admin(`/distributors/${bob.id}/disable`, { method: 'POST' });
    expect(disabled.body.distributor.status).toBe('disabled');
    expect((await admin(`/distributors/${bob.id}/disable`, { method: 'POST' })).body.error.code).toBe('DISTRIBUTOR_STATE');
    expect((await admin('/distributors?status=disabled')).body.items.map((d: { memberId: string }) => d.memberId)).toEqual([bob.id]);
    const enabled = await admin(`/distributors/${bob.id}/enable`, { method: 'POST' });
    expect(enabled.body.distributor.status).toBe('active');
    expect((await admin(`/distributors/${bob.id}/enable`, { method: 'POST' })).body.error.code).toBe('DISTRIBUTOR_STATE');
    expect((await admin(`/distributors/${carol.id}/disable`, { method: 'POST' })).body.error.code).toBe('DISTRIBUTOR_STATE');
    expect(await auditCount("entity = 'distributor' AND entity_id = ? AND action IN ('disable', 'enable')", [bob.id])).toBe(2);
  });

  it('answers DISTRIBUTOR_NOT_FOUND for an unknown id on every distributor route, and a body on an action is refused', async () => {
    for (const [method, path] of [['GET', ''], ['GET', '/team'], ['POST', '/approve'], ['POST', '/disable'], ['POST', '/enable']] as const) {
      const res = await admin(`/distributors/no-such-member${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('DISTRIBUTOR_NOT_FOUND');
    }
    expect((await admin('/distributors/no-such-member/reject', { body: { reason: 'x' } })).body.error.code).toBe('DISTRIBUTOR_NOT_FOUND');
    const before = await distributionState();
    const res = await admin(`/distributors/${carol.id}/approve`, { body: { force: true } });
    expect(res.status).toBe(400);
    expect(await distributionState()).toEqual(before);
  });

  it('searches by name, username, shop name or invite code', async () => {
    const ids = async (q: string) => (await admin(`/distributors?q=${encodeURIComponent(q)}`)).body.items.map((d: { memberId: string }) => d.memberId);
    expect(await ids('bob')).toEqual([bob.id]);
    expect(await ids('HYPERLINK')).toEqual([alice.id]);
    expect(await ids((await inviteCodeOf(alice.id)).toLowerCase())).toEqual([alice.id]);
    expect(await ids('%')).toEqual([]);
    expect(await ids('_')).toEqual([]);
  });

  it('pages with a keyset cursor, without duplicates or gaps, also when applications share a timestamp', async () => {
    const made: string[] = [];
    for (let i = 0; i < 33; i++) made.push((await applicant(`pager-${String(i).padStart(2, '0')}`)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: { memberId: string }[]; nextCursor: string | null } } =
        await admin(`/distributors?q=pager&status=pending${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((d) => d.memberId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(33);
    expect(new Set(seen)).toEqual(new Set(made));
  });

  it('refuses malformed filters with VALIDATION_FAILED', async () => {
    for (const q of ['status=approved', 'status=', 'cursor=abc', 'cursor=x~y', `q=${'x'.repeat(51)}`]) {
      const res = await admin(`/distributors?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('grades (D6)', () => {
  let silver: string;

  it('creates a grade and gives it at once to a distributor who already meets it', async () => {
    const res = await admin('/distribution/grades', { body: { name: '银牌', rank: 1, rates: { mode: 'bps', levels: [1500, 500] }, minDirect: 1 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.grade).toMatchObject({ name: '银牌', rank: 1, rates: { mode: 'bps', levels: [1500, 500] }, minDirect: 1, minSales: null, match: 'all' });
    silver = res.body.grade.id;
    expect((await admin(`/distributors/${alice.id}`)).body.distributor.grade).toEqual({ id: silver, name: '银牌', rank: 1 });
    expect((await admin(`/distributors/${bob.id}`)).body.distributor.grade).toBeNull();
    const list = await admin('/distribution/grades');
    expect(list.body.grades).toEqual([expect.objectContaining({ id: silver, name: '银牌', holders: 1 })]);
    expect(await auditCount("entity = 'distributor_grade' AND action = 'create' AND entity_id = ?", [silver])).toBe(1);
  });

  it.each([
    ['a taken name', { name: '银牌', rank: 2 }, 409, 'GRADE_NAME_TAKEN'],
    ['a taken rank', { name: '铜牌', rank: 1 }, 409, 'GRADE_NAME_TAKEN'],
    ['rates over the cap', { name: '金牌', rank: 3, rates: { mode: 'bps', levels: [2000, 600] } }, 400, 'COMMISSION_CAP_EXCEEDED'],
    ['rates of four levels', { name: '金牌', rank: 3, rates: { mode: 'bps', levels: [100, 100, 100, 100] } }, 400, 'DISTRIBUTION_LEVELS_EXCEEDED'],
    ['a cash reward per recruit', { name: '金牌', rank: 3, recruitBonus: 1000 }, 400, 'VALIDATION_FAILED'],
    ['a negative sales condition', { name: '金牌', rank: 3, minSales: -1 }, 400, 'VALIDATION_FAILED'],
    ['rank zero', { name: '金牌', rank: 0 }, 400, 'VALIDATION_FAILED'],
    ['an empty name', { name: ' ', rank: 3 }, 400, 'VALIDATION_FAILED'],
    ['an unknown match', { name: '金牌', rank: 3, match: 'some' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s (%i %s) and creates nothing', async (_, body, status, code) => {
    const before = await distributionState();
    const res = await admin('/distribution/grades', { body });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await distributionState()).toEqual(before);
  });

  it('changes a grade, moving its holders to its new rank in the same batch', async () => {
    const res = await admin(`/distribution/grades/${silver}`, { method: 'PATCH', body: { rank: 5, minSales: 100000, match: 'any' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.grade).toMatchObject({ name: '银牌', rank: 5, minSales: 100000, minDirect: 1, match: 'any', rates: { mode: 'bps', levels: [1500, 500] } });
    const rs = await (await db()).execute({ sql: 'SELECT grade_id, grade_rank FROM distributors WHERE member_id = ?', args: [alice.id] });
    expect(rs.rows[0]).toMatchObject({ grade_id: silver, grade_rank: 5 });
    const other = await admin('/distribution/grades', { body: { name: '金牌', rank: 10 } });
    expect(other.status).toBe(201);
    const before = await distributionState();
    expect((await admin(`/distribution/grades/${other.body.grade.id}`, { method: 'PATCH', body: { name: '银牌' } })).body.error.code).toBe('GRADE_NAME_TAKEN');
    expect((await admin(`/distribution/grades/${other.body.grade.id}`, { method: 'PATCH', body: { rank: 5 } })).body.error.code).toBe('GRADE_NAME_TAKEN');
    expect((await admin(`/distribution/grades/${other.body.grade.id}`, { method: 'PATCH', body: { rates: { mode: 'bps', levels: [3000, 1] } } })).body.error.code).toBe('COMMISSION_CAP_EXCEEDED');
    expect((await admin(`/distribution/grades/${other.body.grade.id}`, { method: 'PATCH', body: { headBonus: 1 } })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await admin('/distribution/grades/no-such-grade', { method: 'PATCH', body: { name: '铁牌' } })).status).toBe(404);
    expect(await distributionState()).toEqual(before);
  });

  it('refuses to delete a grade distributors hold (GRADE_IN_USE) and deletes one nobody holds', async () => {
    const before = await distributionState();
    const held = await admin(`/distribution/grades/${silver}`, { method: 'DELETE' });
    expect(held.status).toBe(409);
    expect(held.body.error.code).toBe('GRADE_IN_USE');
    expect(await distributionState()).toEqual(before);
    const gold = (await admin('/distribution/grades')).body.grades.find((g: { name: string }) => g.name === '金牌');
    expect(gold.holders).toBe(0);
    expect((await admin(`/distribution/grades/${gold.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await admin('/distribution/grades')).body.grades.map((g: { name: string }) => g.name)).toEqual(['银牌']);
    expect((await admin(`/distribution/grades/${gold.id}`, { method: 'DELETE' })).status).toBe(404);
    expect(await auditCount("entity = 'distributor_grade' AND action = 'delete'")).toBe(1);
    expect(await t.count(await db(), 'invariant_guards')).toBe(0);
  });
});

describe('commission rules (D5)', () => {
  it('sets a product rule within the cap and lists it with the product title', async () => {
    const res = await admin(`/distribution/rules/product/${productId}`, { method: 'PUT', body: { mode: 'bps', levels: [2000, 500] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rule).toMatchObject({ scope: 'product', targetId: productId, name: '明前龙井', rule: { mode: 'bps', levels: [2000, 500] } });
    const again = await admin(`/distribution/rules/product/${productId}`, { method: 'PUT', body: { mode: 'bps', levels: [2000, 500] } });
    expect(again.status).toBe(200);
    const list = await admin('/distribution/rules');
    expect(list.body.items).toEqual([expect.objectContaining({ scope: 'product', targetId: productId, name: '明前龙井', targetMissing: false, rule: { mode: 'bps', levels: [2000, 500] } })]);
    expect(await auditCount("entity = 'commission_rule' AND entity_id = ?", [`product:${productId}`])).toBe(2);
  });

  it.each([
    ['rates over the cap (2500)', { mode: 'bps', levels: [2000, 600] }, 400, 'COMMISSION_CAP_EXCEEDED'],
    ['four levels', { mode: 'bps', levels: [100, 100, 100, 100] }, 400, 'DISTRIBUTION_LEVELS_EXCEEDED'],
    ['a negative rate', { mode: 'bps', levels: [-100] }, 400, 'VALIDATION_FAILED'],
    ['a fractional rate', { mode: 'bps', levels: [10.5] }, 400, 'VALIDATION_FAILED'],
    ['no levels', { mode: 'bps', levels: [] }, 400, 'VALIDATION_FAILED'],
    ['an unknown mode', { mode: 'percent', levels: [100] }, 400, 'VALIDATION_FAILED'],
    ['an unknown field', { mode: 'bps', levels: [100], perRecruit: 100 }, 400, 'VALIDATION_FAILED'],
    ['a list for a body', [100], 400, 'VALIDATION_FAILED'],
  ])('refuses %s and keeps the rule as it was', async (_, body, status, code) => {
    const before = await distributionState();
    const res = await admin(`/distribution/rules/product/${productId}`, { method: 'PUT', body });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await distributionState()).toEqual(before);
  });

  it('refuses a rule for a product or category that does not exist', async () => {
    const before = await distributionState();
    expect((await admin('/distribution/rules/product/no-such-product', { method: 'PUT', body: { mode: 'bps', levels: [100] } })).body.error.code).toBe('PRODUCT_NOT_FOUND');
    expect((await admin('/distribution/rules/category/no-such-category', { method: 'PUT', body: { mode: 'bps', levels: [100] } })).status).toBe(404);
    expect(await distributionState()).toEqual(before);
  });

  it('sets, lists and deletes a fixed category rule; a second delete is NOT_FOUND', async () => {
    const res = await admin(`/distribution/rules/category/${categoryId}`, { method: 'PUT', body: { mode: 'fixed', levels: [300] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rule).toMatchObject({ scope: 'category', name: '绿茶', rule: { mode: 'fixed', levels: [300] } });
    const scoped = await admin('/distribution/rules?scope=category');
    expect(scoped.body.items).toEqual([expect.objectContaining({ scope: 'category', targetId: categoryId, name: '绿茶' })]);
    expect((await admin(`/distribution/rules/category/${categoryId}`, { method: 'DELETE' })).status).toBe(200);
    expect((await admin(`/distribution/rules/category/${categoryId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await admin('/distribution/rules')).body.items.map((r: { scope: string }) => r.scope)).toEqual(['product']);
  });

  it('refuses to lower the cap under a rule that exists (COMMISSION_CAP_EXCEEDED naming it) and keeps the settings', async () => {
    const before = await distributionState();
    const current = (await admin('/distribution/settings')).body.settings;
    const res = await putSettings({ ...current, capBps: 2000, defaultRule: { mode: 'bps', levels: [1000, 500] } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('COMMISSION_CAP_EXCEEDED');
    expect(res.body.error.details.rules).toEqual([{ scope: 'product', targetId: productId }]);
    expect(await distributionState()).toEqual(before);
  });
});

describe('commission, settlement, withdrawals and payout batches', () => {
  let buyer: { id: string; cookie: string };
  let orderId: string;
  let period: string;

  beforeAll(async () => {
    // Three levels, cap 30 %, every payout method, a 1 % withdrawal fee, the default 7-day freeze.
    const settings: DistributionSettings = {
      ...defaultDistributionSettings,
      capBps: 3000,
      withdrawal: { minimum: 100, dailyMax: 500_000, feeBps: 100, methods: ['wechat', 'alipay', 'bank', 'offline'] },
    };
    expect((await putSettings(settings)).status).toBe(200);
    expect((await admin(`/distribution/rules/product/${productId}`, { method: 'PUT', body: { mode: 'bps', levels: [2000, 800] } })).status).toBe(200);
    buyer = await registerMember('tea-buyer');
    // A real sale through bob's link: visit, checkout, sandbox payment (shipment and receipt follow).
    const api = call(buyer.cookie);
    expect((await api('/distribution/visit', { body: { code: await inviteCodeOf(bob.id) } })).body.outcome).toBe('bound');
    const addressId = (await api('/member/addresses', { body: { name: '王五', phone: '13700000000', province: '浙江', city: '杭州', district: '西湖区', detail: '龙井村 8 号' } })).body.address.id;
    const placed = await api('/checkout/submit', { body: { items: [{ skuId, quantity: 5 }], addressId, clientKey: 'dist-order-0001', expectedPayTotal: 50000 } });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    orderId = placed.body.order.id;
    expect((await api(`/payments/sandbox/${placed.body.payment.intentId}/complete`, { body: { outcome: 'paid' } })).body.order.status).toBe('paid');
  });

  it('lists the sale\'s commission with order number and distributor names, filtered', async () => {
    const res = await admin(`/commissions?orderId=${orderId}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: Record<string, unknown>) => [r.distributorName, r.level, r.base, r.amount, r.status])).toEqual(
      expect.arrayContaining([['bob', 1, 50000, 10000, 'pending'], ['alice', 2, 50000, 4000, 'pending']]));
    expect(res.body.items[0].orderNo).toMatch(/^\d+$/);
    expect((await admin(`/commissions?distributorId=${bob.id}`)).body.items).toHaveLength(1);
    expect((await admin('/commissions?status=settled')).body.items).toHaveLength(0);
    expect((await admin('/commissions?status=paid')).status).toBe(400);
    const detail = await admin(`/distributors/${bob.id}`);
    expect(detail.body.wallet).toMatchObject({ pending: 10000, available: 0 });
    expect(detail.body.recentCommissions).toEqual([expect.objectContaining({ orderId, level: 1, amount: 10000, status: 'pending' })]);
    expect(detail.body.boundCustomers).toBe(1);
  });

  it('settles the last closed week by hand, audited; a second run does nothing', async () => {
    expect((await admin(`/orders/${orderId}/ship`, { body: { carrier: '顺丰', trackingNo: 'SF1234567890' } })).status).toBe(200);
    expect((await call(buyer.cookie)(`/orders/${orderId}/receive`, { method: 'POST' })).status).toBe(200);
    // A visit after the after-sales window completes the order and freezes its commission for 7 days.
    t.clock.set(Date.UTC(2026, 10, 8, 1));
    await admin('/distribution/settings');
    expect((await admin(`/commissions?orderId=${orderId}`)).body.items.map((r: { status: string }) => r.status)).toEqual(['frozen', 'frozen']);
    // The visit just before Monday 00:00 in Shanghai sweeps; the next one, 25 s later, is not swept
    // again (30 s apart), so the week that just closed is settled by this route.
    t.clock.set(Date.UTC(2026, 10, 15, 16) - 20_000);
    await admin('/distribution/settings');
    t.clock.advance(25_000);
    const before = await auditCount("entity = 'settlement'");
    const res = await admin('/settlements/run', { method: 'POST' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ period: 'sw2026-46', ran: true, run: { distributors: 2, amount: 14000 } });
    period = res.body.period;
    expect(await wallet(bob.id)).toMatchObject({ frozen: 0, available: 10000 });
    expect(await wallet(alice.id)).toMatchObject({ frozen: 0, available: 4000 });
    expect(await auditCount("entity = 'settlement' AND action = 'run' AND entity_id = ?", [period])).toBe(before + 1);
    const again = await admin('/settlements/run', { method: 'POST' });
    expect(again.body).toMatchObject({ period, ran: false });
    expect(await auditCount("entity = 'settlement'")).toBe(before + 1);
    expect((await admin('/settlements/run', { body: { force: true } })).status).toBe(400);
  });

  it('lists settlement runs and a period\'s statements with distributor names', async () => {
    const runs = await admin('/settlements');
    expect(runs.body.items[0]).toMatchObject({ period, amount: 14000, distributors: 2 });
    const statements = await admin(`/settlements/${period}`);
    expect(statements.status).toBe(200);
    expect(statements.body.items.map((s: Record<string, unknown>) => [s.distributorName, s.amount, s.debtPaid])).toEqual(
      expect.arrayContaining([['bob', 10000, 0], ['alice', 4000, 0]]));
    expect((await admin('/settlements/sw1999-01')).status).toBe(404);
    expect((await admin('/settlements/not-a-period')).status).toBe(404);
  });

  it('approves an offline withdrawal and marks it paid by hand once; the second mark is a duplicate that changes nothing', async () => {
    const w = await withdrawal(bob, 2000, 'offline', { note: '门店现金' });
    const pending = await admin('/withdrawals?status=pending');
    expect(pending.body.items).toEqual([expect.objectContaining({ id: w.id, distributorName: 'bob', amount: 2000, fee: 20, net: 1980, method: 'offline' })]);
    // Not approved yet: it cannot be paid.
    const early = await admin(`/withdrawals/${w.id}/mark-paid`, { body: { reference: 'CASH-0001' } });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('WITHDRAWAL_STATE');
    const approved = await admin(`/withdrawals/${w.id}/approve`, { method: 'POST' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.withdrawal).toMatchObject({ status: 'approved', reviewedBy: 'staff_owner' });
    expect((await admin(`/withdrawals/${w.id}/approve`, { method: 'POST' })).body.error.code).toBe('WITHDRAWAL_STATE');
    const paid = await admin(`/withdrawals/${w.id}/mark-paid`, { body: { reference: 'CASH-0001' } });
    expect(paid.body).toMatchObject({ outcome: 'paid', withdrawal: { status: 'paid', externalId: 'CASH-0001' } });
    expect(await wallet(bob.id)).toMatchObject({ available: 8000, reserved: 0, withdrawn: 2000 });
    const before = await distributionState();
    const again = await admin(`/withdrawals/${w.id}/mark-paid`, { body: { reference: 'CASH-0002' } });
    expect(again.body).toMatchObject({ outcome: 'duplicate', withdrawal: { status: 'paid', externalId: 'CASH-0001' } });
    expect(await distributionState()).toEqual(before);
    expect(await auditCount("entity = 'withdrawal' AND entity_id = ?", [w.id])).toBe(2);
  });

  it('rejects a pending withdrawal with a reason and returns the money', async () => {
    const w = await withdrawal(bob, 500, 'bank', { bankName: '工商银行', accountNo: '6222020200112233445', realName: '鲍勃' });
    expect(await wallet(bob.id)).toMatchObject({ available: 7500, reserved: 500 });
    expect((await admin(`/withdrawals/${w.id}/reject`, { body: {} })).status).toBe(400);
    const res = await admin(`/withdrawals/${w.id}/reject`, { body: { reason: '账户信息不全' } });
    expect(res.body.withdrawal).toMatchObject({ status: 'rejected', reason: '账户信息不全' });
    expect(await wallet(bob.id)).toMatchObject({ available: 8000, reserved: 0 });
    expect((await admin(`/withdrawals/${w.id}/reject`, { body: { reason: '再次' } })).body.error.code).toBe('WITHDRAWAL_STATE');
  });

  it('marks an approved offline payout failed by hand and returns the money', async () => {
    const w = await withdrawal(bob, 800, 'offline', {});
    await admin(`/withdrawals/${w.id}/approve`, { method: 'POST' });
    const res = await admin(`/withdrawals/${w.id}/mark-failed`, { body: { reason: '收款人联系不上' } });
    expect(res.body).toMatchObject({ outcome: 'failed', withdrawal: { status: 'failed', reason: '收款人联系不上' } });
    expect(await wallet(bob.id)).toMatchObject({ available: 8000, reserved: 0, withdrawn: 2000 });
    expect((await admin(`/withdrawals/${w.id}/mark-paid`, { body: { reference: 'late' } })).body.error.code).toBe('WITHDRAWAL_STATE');
  });

  it('never marks a WeChat payout paid or failed by hand (the transfer may be in flight)', async () => {
    const w = await withdrawal(bob, 300, 'wechat', { openid: 'o-bob' });
    await admin(`/withdrawals/${w.id}/approve`, { method: 'POST' });
    const before = await distributionState();
    for (const [path, body] of [['mark-paid', { reference: 'by-hand' }], ['mark-failed', { reason: 'by hand' }]] as const) {
      const res = await admin(`/withdrawals/${w.id}/${path}`, { body });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'WITHDRAWAL_STATE', details: { method: 'wechat' } });
    }
    expect(await distributionState()).toEqual(before);
    expect(await wallet(bob.id)).toMatchObject({ available: 7700, reserved: 300 });
  });

  it('answers WITHDRAWAL_NOT_FOUND for an unknown withdrawal and refuses malformed review bodies', async () => {
    const before = await distributionState();
    for (const [path, body] of [['approve', {}], ['reject', { reason: 'x' }], ['mark-paid', { reference: 'x' }], ['mark-failed', { reason: 'x' }]] as const) {
      const res = await admin(`/withdrawals/no-such-withdrawal/${path}`, { body });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('WITHDRAWAL_NOT_FOUND');
    }
    const any = (await admin('/withdrawals?status=approved')).body.items[0].id;
    for (const body of [{ reference: '' }, { reference: 123 }, { reference: 'ok', amount: -1 }, {}]) {
      const res = await admin(`/withdrawals/${any}/mark-paid`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await admin('/withdrawals?method=paypal')).status).toBe(400);
    expect((await admin('/withdrawals?status=done')).status).toBe(400);
    expect(await distributionState()).toEqual(before);
  });

  it('makes a bank payout batch of a settlement period, lists it, and exports an offline payout sheet', async () => {
    // Alice's account arrives with a request that is then rejected (the account stays on file).
    const w = await withdrawal(alice, 100, 'bank', { bankName: '招商银行', accountNo: '6225880212345678901', realName: '-王五' });
    expect((await admin(`/withdrawals/${w.id}/reject`, { body: { reason: '请等批量发放' } })).status).toBe(200);
    const res = await admin('/payout-batches', { body: { title: '11月第3周佣金', method: 'bank', period } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const batch = res.body.batch;
    expect(batch).toMatchObject({ title: '11月第3周佣金', method: 'bank', items: 2, amount: 7700 + 4000, createdBy: 'staff_owner' });
    expect(await wallet(bob.id)).toMatchObject({ available: 0, reserved: 300 + 7700 });
    expect(await wallet(alice.id)).toMatchObject({ available: 0, reserved: 4000 });
    const audit = await (await db()).execute({ sql: "SELECT entity_id, after FROM audit_log WHERE entity = 'payout_batch'", args: [] });
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.entity_id).toBe(batch.id);
    expect(JSON.parse(String(audit.rows[0]!.after))).toMatchObject({ title: '11月第3周佣金', items: 2, amount: 11700, period });

    expect((await admin('/payout-batches')).body.items.map((b: { id: string }) => b.id)).toEqual([batch.id]);
    const detail = await admin(`/payout-batches/${batch.id}`);
    expect(detail.body.byStatus).toEqual([{ status: 'approved', items: 2, amount: 11700 }]);
    expect(detail.body.items.map((i: Record<string, unknown>) => [i.distributorName, i.net, i.status]).sort()).toEqual([['alice', 4000, 'approved'], ['bob', 7700, 'approved']]);
    expect((await admin(`/withdrawals?batchId=${batch.id}`)).body.items).toHaveLength(2);

    // Raw bytes: Response.text() would drop the BOM this test is about.
    const csv = await t.app.request(`http://${HOST}/api/admin/payout-batches/${batch.id}/export.csv`, { headers: { host: HOST, origin: `http://${HOST}`, cookie: owner } }, { clientIp: TEST_CLIENT_IP });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith('\uFEFF付款单号,分销商,店铺,收款方式,开户行/账号类型,收款账号,收款人,金额(元),状态,打款凭证/原因\r\n')).toBe(true);
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    const aliceLine = lines.find((l) => l.includes(',alice,'))!;
    // Formula cells defused; the card number grouped so a spreadsheet keeps every digit; yuan with 2 decimals.
    expect(aliceLine).toContain(`,"'=HYPERLINK(""http://x.cn"")",银行卡,招商银行,6225 8802 1234 5678 901,'-王五,40.00,待打款,`);
    expect(lines.find((l) => l.includes(',bob,'))).toContain(',77.00,待打款,');
  });

  it('refuses a batch when nothing is payable, and malformed batches, creating nothing', async () => {
    const before = await distributionState();
    for (const [body, status, code] of [
      [{ title: '再来一次', method: 'bank', period }, 409, 'INSUFFICIENT_BALANCE'],
      [{ title: '指定', method: 'offline', distributorIds: [bob.id, alice.id] }, 409, 'INSUFFICIENT_BALANCE'],
      [{ title: '未知', method: 'offline', distributorIds: ['no-such-member'] }, 404, 'DISTRIBUTOR_NOT_FOUND'],
      [{ title: '旧账期', method: 'bank', period: 'sw2020-01' }, 404, 'NOT_FOUND'],
      [{ title: '两者', method: 'bank', period, distributorIds: [bob.id] }, 400, 'VALIDATION_FAILED'],
      [{ title: '都没有', method: 'bank' }, 400, 'VALIDATION_FAILED'],
      [{ title: '重复', method: 'bank', distributorIds: [bob.id, bob.id] }, 400, 'VALIDATION_FAILED'],
      [{ title: '现金', method: 'cash', period }, 400, 'VALIDATION_FAILED'],
      [{ title: '', method: 'bank', period }, 400, 'VALIDATION_FAILED'],
      [{ title: '账期', method: 'bank', period: 'last-week' }, 400, 'VALIDATION_FAILED'],
      [{ title: '金额', method: 'bank', period, amount: -100 }, 400, 'VALIDATION_FAILED'],
    ] as const) {
      const res = await admin('/payout-batches', { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect(await distributionState()).toEqual(before);
    for (const path of ['', '/export.csv']) expect((await admin(`/payout-batches/no-such-batch${path}`)).status).toBe(404);
    expect((await admin('/payout-batches/no-such-batch/mark-paid', { body: { reference: 'x' } })).status).toBe(404);
  });

  it('marks every approved item of a bank batch paid by hand, once', async () => {
    const batch = (await admin('/payout-batches')).body.items[0];
    expect((await admin(`/payout-batches/${batch.id}/mark-paid`, { body: {} })).status).toBe(400);
    const res = await admin(`/payout-batches/${batch.id}/mark-paid`, { body: { reference: 'CMB-20261116' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ paid: 2, skipped: [] });
    expect(await wallet(bob.id)).toMatchObject({ available: 0, reserved: 300, withdrawn: 2000 + 7700 });
    expect(await wallet(alice.id)).toMatchObject({ available: 0, reserved: 0, withdrawn: 4000 });
    expect((await admin(`/payout-batches/${batch.id}`)).body.byStatus).toEqual([{ status: 'paid', items: 2, amount: 11700 }]);
    expect(await auditCount("entity = 'withdrawal' AND action = 'mark_paid' AND after LIKE '%CMB-20261116%'")).toBe(2);
    const before = await distributionState();
    expect((await admin(`/payout-batches/${batch.id}/mark-paid`, { body: { reference: 'CMB-20261116' } })).body).toMatchObject({ paid: 0 });
    expect(await distributionState()).toEqual(before);
    expect(await ledgerViolations((await db()) as QueuedClient)).toEqual([]);
  });
});

describe('share materials (D11)', () => {
  let images: string[];
  beforeAll(async () => {
    images = [];
    for (let i = 0; i < 9; i++) {
      const res = await admin('/uploads', { body: solidPng(2, 2, [i * 20, 100, 50]), headers: { 'content-type': 'image/png' } });
      expect(res.status).toBe(201);
      images.push(res.body.key);
    }
  });

  it('creates single, multi and nine-image materials and lists them with the product title', async () => {
    const single = await admin('/distribution/materials', { body: { kind: 'single', title: '新茶上市', text: '明前龙井，一口春天', images: images.slice(0, 1), productId } });
    expect(single.status, JSON.stringify(single.body)).toBe(201);
    expect((await admin('/distribution/materials', { body: { kind: 'multi', title: '茶园实拍', images: images.slice(0, 4) } })).status).toBe(201);
    expect((await admin('/distribution/materials', { body: { kind: 'nine', title: '九宫格', text: '朋友圈九图', images } })).status).toBe(201);
    const list = await admin('/distribution/materials');
    expect(list.body.items.map((m: { kind: string }) => m.kind)).toEqual(['nine', 'multi', 'single']);
    expect(list.body.items[2]).toMatchObject({ title: '新茶上市', productId, productTitle: '明前龙井', images: images.slice(0, 1) });
    expect(await auditCount("entity = 'share_material' AND action = 'create'")).toBe(3);
  });

  it.each([
    ['two images for a single', { kind: 'single', title: 'x', images: ['A', 'B'] }, 'VALIDATION_FAILED'],
    ['one image for a multi', { kind: 'multi', title: 'x', images: ['A'] }, 'VALIDATION_FAILED'],
    ['eight images for a nine', { kind: 'nine', title: 'x', images: Array(8).fill('A') }, 'VALIDATION_FAILED'],
    ['ten images', { kind: 'multi', title: 'x', images: Array(10).fill('A') }, 'VALIDATION_FAILED'],
    ['no title', { kind: 'single', title: '', images: ['A'] }, 'VALIDATION_FAILED'],
    ['an unknown kind', { kind: 'video', title: 'x', images: ['A'] }, 'VALIDATION_FAILED'],
    ['an unknown field', { kind: 'single', title: 'x', images: ['A'], reward: 100 }, 'VALIDATION_FAILED'],
    ['another shop\'s image', { kind: 'single', title: 'x', images: ['shops/other/images/x.png'] }, 'IMAGE_NOT_FOUND'],
    ['an unknown product', { kind: 'single', title: 'x', images: ['A'], productId: 'no-such-product' }, 'PRODUCT_NOT_FOUND'],
  ])('refuses %s and creates nothing', async (_, body, code) => {
    const withKeys = { ...body, images: (body.images as string[]).map((k) => (k === 'A' ? images[0] : k)) };
    const before = await distributionState();
    const res = await admin('/distribution/materials', { body: withKeys });
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toBe(code);
    expect(await distributionState()).toEqual(before);
  });

  it('changes a material only into a valid one, and deletes it once', async () => {
    const single = (await admin('/distribution/materials')).body.items.find((m: { kind: string }) => m.kind === 'single');
    const before = await distributionState();
    const bad = await admin(`/distribution/materials/${single.id}`, { method: 'PATCH', body: { kind: 'multi' } });
    expect(bad.status).toBe(400);
    expect(await distributionState()).toEqual(before);
    const res = await admin(`/distribution/materials/${single.id}`, { method: 'PATCH', body: { kind: 'multi', images: images.slice(0, 2), productId: null } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.material).toMatchObject({ kind: 'multi', images: images.slice(0, 2), productId: null, title: '新茶上市' });
    expect((await admin(`/distribution/materials/${single.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await admin(`/distribution/materials/${single.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await admin('/distribution/materials/no-such-material', { method: 'PATCH', body: { title: 'x' } })).status).toBe(404);
  });
});

describe('permissions', () => {
  async function staffWith(roleIds: string[], email: string) {
    const res = await admin('/staff', { body: { email, name: email.split('@')[0], password: 'staff-pass-1', roleIds } });
    if (res.status !== 201) throw new Error(`create staff: ${res.status} ${JSON.stringify(res.body)}`);
    return t.staffLogin(HOST, email, 'staff-pass-1');
  }

  it('lets operations view distributors but not change settings, review withdrawals or pay out (403), changing nothing', async () => {
    const ops = call(await staffWith(['role_operations'], 'ops@example.com'));
    expect((await ops('/admin/distributors')).status).toBe(200);
    expect((await ops('/admin/distribution/settings')).status).toBe(200);
    const before = await distributionState();
    const settings = (await admin('/distribution/settings')).body.settings;
    for (const [method, path, body, permission] of [
      ['PUT', '/admin/distribution/settings', { ...settings, levels: 1 }, 'distributors.manage'],
      ['POST', `/admin/distributors/${bob.id}/disable`, {}, 'distributors.manage'],
      ['GET', '/admin/withdrawals', undefined, 'withdrawals.review'],
      ['POST', '/admin/settlements/run', {}, 'payouts.manage'],
      ['GET', '/admin/commissions', undefined, 'commissions.view'],
    ] as const) {
      const res = await ops(path, { method, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { permission } });
    }
    expect(await distributionState()).toEqual(before);
  });

  it('lets finance review withdrawals and see commissions but not approve distributors', async () => {
    const finance = call(await staffWith(['role_finance'], 'finance@example.com'));
    expect((await finance('/admin/withdrawals')).status).toBe(200);
    expect((await finance('/admin/commissions')).status).toBe(200);
    const res = await finance(`/admin/distributors/${carol.id}/approve`, { method: 'POST' });
    expect(res.status).toBe(403);
    expect(res.body.error.details.permission).toBe('distributors.manage');
  });

  it('refuses every distribution route without a session (401)', async () => {
    for (const path of ['/admin/distribution/settings', '/admin/distributors', '/admin/withdrawals', '/admin/payout-batches']) {
      expect((await call('')(path)).status, path).toBe(401);
    }
  });
});

describe('malformed input never reaches a 500', () => {
  it.each([
    ['GET', '/distributors?cursor=%00%00'],
    ['GET', `/distributors/${'x'.repeat(500)}`],
    ['GET', '/distributors/x/team?level=4'],
    ['GET', '/commissions?cursor=%27%3B%20DROP%20TABLE%20commissions'],
    ['GET', '/settlements?cursor=x~9'],
    ['GET', '/payout-batches/%2e%2e'],
    ['GET', '/distribution/rules?cursor=product'],
    ['GET', '/distribution/rules?cursor=brand~x'],
    ['GET', '/distribution/rules?scope=brand'],
    ['POST', '/distributors/x/approve', '{'],
    ['POST', '/distributors/x/reject', { reason: ['a'] }],
    ['PUT', '/distribution/rules/product/x', 'null'],
    ['PUT', '/distribution/rules/product/x', { mode: 'bps', levels: [1e308] }],
    ['PUT', '/distribution/settings', '"settings"'],
    ['POST', '/distribution/grades', { name: 'x', rank: 1, rates: 'all of it' }],
    ['PATCH', '/distribution/grades/x', []],
    ['POST', '/payout-batches', { title: 'x', method: 'bank', distributorIds: Array(501).fill('a') }],
    ['POST', '/withdrawals/x/mark-failed', { reason: null }],
    ['POST', '/distribution/materials', { kind: 'single', title: 'x', images: [null] }],
  ] as const)('%s %s answers 4xx and changes nothing', async (method, path, body?: unknown) => {
    const before = await distributionState();
    const res = await admin(path, { method, body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body) });
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof res.body.error.code).toBe('string');
    expect(await distributionState()).toEqual(before);
  });
});

