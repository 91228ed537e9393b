import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorCode, line, openTestShop, placedPayload, type TestShop } from './test-shop';

let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

const staff = 'staff-1';
const adjust = (body: Record<string, unknown>) => shop.call('POST', '/admin/adjust', { staff, body: { reason: '客服补偿', ...body } });
type Page = { account: Record<string, number>; entries: { id: string; kind: string; delta: number }[]; nextCursor: string | null };

describe('the member centre', () => {
  it('GET /me: balance, rules and the newest entries first, page by page with a cursor', async () => {
    for (let i = 1; i <= 5; i++) await shop.grant('m1', i * 10);
    const first = (await shop.call('GET', '/me', { member: 'm1', query: { limit: '2' } })).body as Page & { rules: Record<string, unknown> };
    expect(first.account).toMatchObject({ balance: 150, pending: 0, debt: 0 });
    expect(first.rules).toMatchObject({ earnPointsPerYuan: 1, earnOn: 'completed', pointsPerYuan: 100, maxOffsetBps: 5000, block: { points: 1, amount: 1 } });
    expect(first.entries.map((e) => e.delta)).toEqual([50, 40]);
    const second = (await shop.call('GET', '/me', { member: 'm1', query: { limit: '2', cursor: first.nextCursor! } })).body as Page;
    expect(second.entries.map((e) => e.delta)).toEqual([30, 20]);
    const last = (await shop.call('GET', '/me', { member: 'm1', query: { limit: '2', cursor: second.nextCursor! } })).body as Page;
    expect([last.entries.map((e) => e.delta), last.nextCursor]).toEqual([[10], null]);
  });

  it('shows only the member\'s own entries; a member who never had points reads zeros', async () => {
    await shop.grant('m1', 100);
    const other = (await shop.call('GET', '/me', { member: 'm2' })).body as Page;
    expect(other).toMatchObject({ account: { balance: 0, pending: 0, debt: 0, lifetimeEarned: 0, lifetimeSpent: 0 }, entries: [], nextCursor: null });
    expect((await shop.call('GET', '/me')).status).toBe(401);
  });

  it('a malformed cursor or limit is refused with POINTS_QUERY_INVALID', async () => {
    const queries: Record<string, string>[] = [{ cursor: 'abc' }, { cursor: '-1' }, { limit: '0' }, { limit: '500' }, { unknown: '1' }];
    for (const query of queries) {
      expect(errorCode(await shop.call('GET', '/me', { member: 'm1', query }))).toBe('POINTS_QUERY_INVALID');
    }
  });

  it('the public rules reflect the shop\'s settings', async () => {
    shop.settings.pointsPerYuan = 150;
    expect((await shop.call('GET', '/rules')).body).toMatchObject({ rules: { pointsPerYuan: 150, block: { points: 3, amount: 2 } } });
  });
});

describe('staff adjustments', () => {
  it('adds and removes points with a reason, each one ledger entry by the staff member', async () => {
    expect((await adjust({ memberId: 'm1', delta: 500 })).status).toBe(201);
    const res = await adjust({ memberId: 'm1', delta: -200, reason: '误发扣回' });
    expect(res.body).toMatchObject({ entry: { kind: 'adjust', delta: -200, note: '误发扣回' }, account: { balance: 300 }, replayed: false });
    expect((await shop.rows('plg_points_ledger')).map((r) => [r.kind, r.delta, r.staff_id])).toEqual([['adjust', 500, staff], ['adjust', -200, staff]]);
  });

  it('bad input: an adjustment that would make the balance negative is refused with POINTS_ADJUST_BELOW_ZERO and writes nothing', async () => {
    await adjust({ memberId: 'm1', delta: 100 });
    const before = await shop.snapshot();
    const res = await adjust({ memberId: 'm1', delta: -101 });
    expect([res.status, errorCode(res)]).toEqual([409, 'POINTS_ADJUST_BELOW_ZERO']);
    expect(res.body).toMatchObject({ error: { details: { balance: 100 } } });
    expect(await shop.snapshot()).toEqual(before);
    // A member with no account at all cannot go below zero either.
    expect(errorCode(await adjust({ memberId: 'm9', delta: -1 }))).toBe('POINTS_ADJUST_BELOW_ZERO');
    expect(await shop.balance('m9')).toBe(0);
  });

  it('two deductions racing for the same points: the balance CHECK lets one through', async () => {
    await adjust({ memberId: 'm1', delta: 100 });
    const results = await Promise.all([adjust({ memberId: 'm1', delta: -80 }), adjust({ memberId: 'm1', delta: -80 })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await shop.balance('m1')).toBe(20);
  });

  it('a retried request (same requestId) posts once; the id reused for another adjustment is refused', async () => {
    const body = { memberId: 'm1', delta: 300, requestId: 'req-1' };
    expect((await adjust(body)).status).toBe(201);
    const again = await adjust(body);
    expect(again).toMatchObject({ status: 200, body: { replayed: true, account: { balance: 300 } } });
    expect(errorCode(await adjust({ ...body, delta: 301 }))).toBe('POINTS_ADJUST_DUPLICATE');
    expect(await shop.balance('m1')).toBe(300);
  });

  it('a zero, fractional or reasonless adjustment is refused before anything is written', async () => {
    for (const body of [{ memberId: 'm1', delta: 0 }, { memberId: 'm1', delta: 1.5 }, { memberId: 'm1', delta: 5, reason: ' ' }, { memberId: '', delta: 5 }]) {
      expect((await adjust(body)).status).toBe(400);
    }
    expect(await shop.rows('plg_points_ledger')).toEqual([]);
  });

  it('the constraints refuse a write that skips the routes: a negative balance, a posting twice', async () => {
    await adjust({ memberId: 'm1', delta: 10 });
    await expect(shop.db.execute('UPDATE plg_points_accounts SET balance = balance - 11 WHERE member_id = ?', ['m1'])).rejects.toThrow(/plg_points_accounts_balance/);
    const post = () => shop.db.execute("INSERT INTO plg_points_ledger (member_id, kind, delta, ref, created_at) VALUES ('m1', 'earn', 5, 'o1', 0)");
    await post();
    await expect(post()).rejects.toThrow(/UNIQUE constraint failed: plg_points_ledger/);
    await expect(shop.db.execute("INSERT INTO plg_points_ledger (member_id, kind, delta, ref, created_at) VALUES ('m1', 'earn', -5, 'o2', 0)")).rejects.toThrow(/plg_points_ledger_signs/);
  });
});

describe('the admin views', () => {
  it('a member: account, ledger page and redemptions', async () => {
    await adjust({ memberId: 'm1', delta: 700 });
    const res = await shop.call('GET', '/admin/members/m1', { staff });
    expect(res.body).toMatchObject({ account: { memberId: 'm1', balance: 700 }, entries: [{ kind: 'adjust', delta: 700 }], nextCursor: null, redemptions: [] });
  });

  it('an order: what it spent, gave back, earned and took back, with its ledger entries', async () => {
    await adjust({ memberId: 'm1', delta: 1_000 });
    const order = await shop.prepareOrder({ orderId: 'o1', memberId: 'm1', lines: [line('s1', 10_000)], choice: { usePoints: 1_000 } });
    await order.commit();
    await shop.deliver('order.placed', placedPayload('o1', 'm1', order.priced));
    await shop.deliver('order.completed', { orderId: 'o1', orderNo: 'NO-o1', memberId: 'm1', payTotal: 9_000, itemsPaid: 9_000, completedAt: shop.clock.now });
    const res = await shop.call('GET', '/admin/orders/o1', { staff });
    expect(res.body).toMatchObject({
      order: { orderId: 'o1', memberId: 'm1', itemsPaid: 9_000, spentPoints: 1_000, spentAmount: 1_000, spendReturned: 0, earnStatus: 'earned', earnPoints: 90, earnTakenBack: 0 },
      entries: [{ kind: 'spend', delta: -1_000 }, { kind: 'earn', delta: 90 }],
    });
    expect((await shop.call('GET', '/admin/orders/o-unknown', { staff })).body).toEqual({ order: null, entries: [] });
  });

  it('staff routes answer only staff', async () => {
    expect((await shop.call('GET', '/admin/members/m1', { member: 'm1' })).status).toBe(403);
    expect((await shop.call('POST', '/admin/adjust', { member: 'm1', body: { memberId: 'm1', delta: 5, reason: 'x' } })).status).toBe(403);
  });
});

describe('loadState', () => {
  it('reads the balance on the platform\'s SELECT-only database', async () => {
    await adjust({ memberId: 'm1', delta: 420 });
    expect(await shop.loadState('m1', [line('s1', 100)])).toEqual({ balance: 420 });
    expect(await shop.loadState('m2', [line('s1', 100)])).toEqual({ balance: 0 });
    expect(await shop.loadState(null, [line('s1', 100)])).toEqual({ balance: 0 });
    await expect(shop.readDb.execute('UPDATE plg_points_accounts SET balance = 1')).rejects.toMatchObject({ code: 'PLUGIN_DB_DENIED' });
  });
});
