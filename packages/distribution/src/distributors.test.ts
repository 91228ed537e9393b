import { afterEach, describe, expect, it } from 'vitest';
import { AppError, newId } from '@tuike/core';
import { createShopFixture, ledgerViolations, type ShopFixture } from './testing/shop-fixture';
import { applyForDistributor, approveDistributor, disableDistributor, enableDistributor, rejectDistributor } from './distributors';
import { defaultDistributionSettings, type DistributionSettings } from './settings';

const DAY = 86_400_000;
let f: ShopFixture;

afterEach(async () => {
  try {
    expect(await ledgerViolations(f.db)).toEqual([]);
  } finally {
    await f.close();
  }
});

async function shop(settings: Partial<DistributionSettings> = {}) {
  f = await createShopFixture(settings);
  return { ...defaultDistributionSettings, ...settings };
}

const application = { shopName: '小张的茶铺', note: '朋友多' };

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

async function distributor(id: string) {
  const rs = await f.db.execute({ sql: `SELECT * FROM distributors WHERE member_id = ?`, args: [id] });
  return rs.rows[0] as Record<string, unknown> | undefined;
}

const upline = async (id: string) => { const d = (await distributor(id))!; return [d.parent_id, d.grandparent_id, d.great_grandparent_id]; };
const counters = async (id: string) => { const d = (await distributor(id))!; return [d.direct_count, d.team_l2_count, d.team_l3_count].map(Number); };
const bindingOf = async (id: string) => (await f.db.execute({ sql: `SELECT distributor_id FROM member_bindings WHERE member_id = ?`, args: [id] })).rows[0]?.distributor_id ?? null;

async function paidOrder(buyer: string, sku = 0, quantity = 1) {
  const placed = await f.place(buyer, [{ skuId: f.skuIds[sku]!, quantity }]);
  expect(await f.pay(placed.intentId, f.prices[sku]! * quantity)).toBe('applied');
  return placed;
}

describe('applications (D1)', () => {
  it('apply → pending; reject with a reason; re-apply; approve → active with an invite code, a wallet and a notice', async () => {
    const settings = await shop();
    const m = await f.addMember('m');
    expect(await applyForDistributor(f.db, m, application, settings, f.now())).toBe('pending');
    expect(await distributor(m)).toMatchObject({ status: 'pending', shop_name: '小张的茶铺', invite_code: null });
    expect(await refusal(applyForDistributor(f.db, m, application, settings, f.now()))).toBe('DISTRIBUTOR_EXISTS');
    expect((await f.db.execute({ sql: `SELECT count(*) AS n FROM wallets WHERE distributor_id = ?`, args: [m] })).rows[0]!.n).toBe(0);

    await rejectDistributor(f.db, m, '资料不全', f.now());
    expect(await distributor(m)).toMatchObject({ status: 'rejected', reject_reason: '资料不全' });
    expect(await refusal(approveDistributor(f.db, m, f.now()))).toBe('DISTRIBUTOR_STATE');
    expect(await refusal(rejectDistributor(f.db, m, 'again', f.now()))).toBe('DISTRIBUTOR_STATE');
    const rejected = await f.db.execute({ sql: `SELECT body FROM notifications WHERE recipient_id = ? AND type = 'distributor.rejected'`, args: [m] });
    expect(String(rejected.rows[0]!.body)).toContain('资料不全');

    f.advance(DAY);
    expect(await applyForDistributor(f.db, m, { shopName: '新店名', note: '' }, settings, f.now())).toBe('pending');
    expect(await distributor(m)).toMatchObject({ status: 'pending', shop_name: '新店名', applied_at: f.now() });
    await approveDistributor(f.db, m, f.now());
    const d = (await distributor(m))!;
    expect(d).toMatchObject({ status: 'active', approved_at: f.now(), reject_reason: null, parent_id: null });
    expect(String(d.invite_code)).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(await f.wallet(m)).toEqual({ pending: 0, frozen: 0, available: 0, reserved: 0, withdrawn: 0, debt: 0 });
    // No plugin is enabled in this shop: no event for plugins is kept.
    expect((await f.db.execute({ sql: `SELECT count(*) AS n FROM outbox_events`, args: [] })).rows[0]!.n).toBe(0);

    expect(await refusal(applyForDistributor(f.db, m, application, settings, f.now()))).toBe('DISTRIBUTOR_EXISTS');
    expect(await refusal(approveDistributor(f.db, m, f.now()))).toBe('DISTRIBUTOR_STATE');
    expect(await refusal(rejectDistributor(f.db, m, 'too late', f.now()))).toBe('DISTRIBUTOR_STATE');
    // Disable and enable move between exactly those two states.
    expect(await refusal(enableDistributor(f.db, m, f.now()))).toBe('DISTRIBUTOR_STATE');
    await disableDistributor(f.db, m, f.now());
    expect(await refusal(disableDistributor(f.db, m, f.now()))).toBe('DISTRIBUTOR_STATE');
    await enableDistributor(f.db, m, f.now());
    expect((await distributor(m))!.status).toBe('active');
  });

  it('gives every distributor their own invite code', async () => {
    await shop();
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => f.addDistributor(`d${i}`)));
    const codes = await Promise.all(ids.map((id) => f.inviteCodeOf(id)));
    expect(new Set(codes).size).toBe(30);
  });

  it('auto-approve makes the applicant active at once, under the distributor they were bound to', async () => {
    const settings = await shop({ autoApprove: true });
    const a = await f.addDistributor('A');
    const m = await f.addMember('m');
    await f.bind(m, a);
    expect(await applyForDistributor(f.db, m, application, settings, f.now())).toBe('active');
    expect(await distributor(m)).toMatchObject({ status: 'active', parent_id: a });
    expect(await f.wallet(m)).toMatchObject({ available: 0 });
    expect(await counters(a)).toEqual([1, 0, 0]);
    expect(await refusal(applyForDistributor(f.db, m, application, settings, f.now()))).toBe('DISTRIBUTOR_EXISTS');
  });

  it('refuses every application while distribution is off', async () => {
    const settings = await shop({ enabled: false });
    expect(await refusal(applyForDistributor(f.db, await f.addMember('m'), application, settings, f.now()))).toBe('DISTRIBUTION_DISABLED');
  });
});

describe('eligibility (D1): orders, spend or an invitation — never a fee', () => {
  it('after_orders counts paid orders only', async () => {
    const settings = await shop({ eligibility: { mode: 'after_orders', minOrders: 2 } });
    const m = await f.addMember('m');
    expect(await refusal(applyForDistributor(f.db, m, application, settings, f.now()))).toBe('DISTRIBUTOR_NOT_ELIGIBLE');
    await paidOrder(m);
    const unpaid = await f.place(m, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    const cancelled = await f.place(m, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    await f.cancel(cancelled.orderId);
    expect(await refusal(applyForDistributor(f.db, m, application, settings, f.now()))).toBe('DISTRIBUTOR_NOT_ELIGIBLE');
    await f.pay(unpaid.intentId, f.prices[0]!);
    expect(await applyForDistributor(f.db, m, application, settings, f.now())).toBe('pending');
  });

  it('after_spend sums what paid orders cost', async () => {
    const settings = await shop({ eligibility: { mode: 'after_spend', minSpend: 20_000 } });
    const m = await f.addMember('m');
    await paidOrder(m, 1); // 123.45
    expect(await refusal(applyForDistributor(f.db, m, application, settings, f.now()))).toBe('DISTRIBUTOR_NOT_ELIGIBLE');
    await paidOrder(m, 0); // + 99.00
    expect(await applyForDistributor(f.db, m, application, settings, f.now())).toBe('pending');
  });

  it('invite_only needs a live binding to an active distributor', async () => {
    await shop({ binding: { mode: 'first_touch', expiryDays: 7 } });
    const a = await f.addDistributor('A'); // the first distributor is nobody's invitee
    const settings: DistributionSettings = { ...defaultDistributionSettings, eligibility: { mode: 'invite_only' }, binding: { mode: 'first_touch', expiryDays: 7 } };
    await f.setSettings(settings);
    const m = await f.addMember('m');
    const n = await f.addMember('n');
    expect(await refusal(applyForDistributor(f.db, m, application, settings, f.now()))).toBe('DISTRIBUTOR_NOT_ELIGIBLE');
    await f.bind(m, a);
    await f.bind(n, a);
    expect(await applyForDistributor(f.db, m, application, settings, f.now())).toBe('pending');
    f.advance(8 * DAY); // n's invitation expired
    expect(await refusal(applyForDistributor(f.db, n, application, settings, f.now()))).toBe('DISTRIBUTOR_NOT_ELIGIBLE');
    const o = await f.addMember('o');
    await f.bind(o, a);
    await disableDistributor(f.db, a, f.now());
    expect(await refusal(applyForDistributor(f.db, o, application, settings, f.now()))).toBe('DISTRIBUTOR_NOT_ELIGIBLE');
  });
});

describe('binding customers to distributors (D3)', () => {
  it('first_touch keeps the first distributor', async () => {
    await shop({ binding: { mode: 'first_touch', expiryDays: null } });
    const [a, b] = [await f.addDistributor('A'), await f.addDistributor('B')];
    const m = await f.addMember('m');
    expect(await f.bind(m, a)).toBe('bound');
    expect(await f.bind(m, b)).toBe('kept');
    expect(await f.bind(m, a)).toBe('kept');
    expect(await bindingOf(m)).toBe(a);
    const events = await f.db.execute({ sql: `SELECT distributor_id, previous_distributor_id FROM binding_events WHERE member_id = ?`, args: [m] });
    expect(events.rows.map((r) => [r.distributor_id, r.previous_distributor_id])).toEqual([[a, null]]);
  });

  it('first_touch under a race: two links opened at once bind the customer once, and each caller hears what happened', async () => {
    await shop({ binding: { mode: 'first_touch', expiryDays: null } });
    const [a, b] = [await f.addDistributor('A'), await f.addDistributor('B')];
    const m = await f.addMember('m');
    const outcomes = await Promise.all([f.bind(m, a), f.bind(m, b)]);
    expect([...outcomes].sort()).toEqual(['bound', 'kept']);
    const winner = outcomes[0] === 'bound' ? a : b;
    expect(await bindingOf(m)).toBe(winner);
    const events = await f.db.execute({ sql: `SELECT distributor_id FROM binding_events WHERE member_id = ?`, args: [m] });
    expect(events.rows.map((r) => r.distributor_id)).toEqual([winner]);
  });

  it('latest moves the customer to the last distributor and records the move', async () => {
    await shop({ binding: { mode: 'latest', expiryDays: null } });
    const [a, b] = [await f.addDistributor('A'), await f.addDistributor('B')];
    const m = await f.addMember('m');
    expect(await f.bind(m, a)).toBe('bound');
    f.advance(1000);
    expect(await f.bind(m, b)).toBe('rebound');
    expect(await f.bind(m, b)).toBe('kept');
    expect(await bindingOf(m)).toBe(b);
    const events = await f.db.execute({ sql: `SELECT distributor_id, previous_distributor_id FROM binding_events WHERE member_id = ? ORDER BY created_at`, args: [m] });
    expect(events.rows.map((r) => [r.distributor_id, r.previous_distributor_id])).toEqual([[a, null], [b, a]]);
  });

  it('on_register binds only at registration, and only once', async () => {
    await shop({ binding: { mode: 'on_register', expiryDays: null } });
    const [a, b] = [await f.addDistributor('A'), await f.addDistributor('B')];
    const m = await f.addMember('m');
    expect(await f.bind(m, a, 'link')).toBe('ignored');
    expect(await f.bind(m, a, 'code')).toBe('ignored');
    expect(await bindingOf(m)).toBeNull();
    expect(await f.bind(m, a, 'register')).toBe('bound');
    expect(await f.bind(m, b, 'register')).toBe('kept');
    expect(await bindingOf(m)).toBe(a);
  });

  it('an expired binding earns nothing and lets another distributor bind the customer', async () => {
    await shop({ binding: { mode: 'first_touch', expiryDays: 3 } });
    const [a, b] = [await f.addDistributor('A'), await f.addDistributor('B')];
    const m = await f.addMember('m');
    expect(await f.bind(m, a)).toBe('bound');
    f.advance(3 * DAY - 1);
    expect(await f.bind(m, b)).toBe('kept');
    const inTime = await f.place(m, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    expect((await f.commissionsOf(inTime.orderId)).map((c) => c.distributorId)).toEqual([a]);
    f.advance(1);
    const late = await f.place(m, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    expect(await f.commissionsOf(late.orderId)).toEqual([]);
    expect((await f.db.execute({ sql: `SELECT distributor_shop_id FROM orders WHERE id = ?`, args: [late.orderId] })).rows[0]!.distributor_shop_id).toBeNull();
    expect(await f.bind(m, b)).toBe('bound');
    const now = await f.place(m, [{ skuId: f.skuIds[0]!, quantity: 1 }]);
    expect((await f.commissionsOf(now.orderId)).map((c) => c.distributorId)).toEqual([b]);
  });

  it('refuses binding to oneself and to a code that is not an active distributor\'s', async () => {
    await shop({ binding: { mode: 'latest', expiryDays: null } });
    const a = await f.addDistributor('A');
    expect(await refusal(f.bind(a, a))).toBe('BINDING_SELF');
    const m = await f.addMember('m');
    expect(await refusal(bindByCode(m, 'NOPE99'))).toBe('INVITE_CODE_INVALID');
    await disableDistributor(f.db, a, f.now());
    expect(await refusal(f.bind(m, a))).toBe('INVITE_CODE_INVALID');
    expect(await bindingOf(m)).toBeNull();
  });

  it('never re-binds a distributor: their upline is fixed at approval, whatever the mode', async () => {
    await shop({ binding: { mode: 'latest', expiryDays: null } });
    const a = await f.addDistributor('A');
    const b = await f.addDistributor('B', a);
    const c = await f.addDistributor('C');
    expect(await f.bind(b, c)).toBe('ignored');
    expect(await bindingOf(b)).toBe(a);
    expect(await upline(b)).toEqual([a, null, null]);
    await disableDistributor(f.db, b, f.now());
    expect(await f.bind(b, c)).toBe('ignored');
    await enableDistributor(f.db, b, f.now());
    expect(await upline(b)).toEqual([a, null, null]);
  });

  it('cannot make a loop: a distributor visiting their own recruit\'s link stays where they were', async () => {
    await shop({ binding: { mode: 'latest', expiryDays: null } });
    const a = await f.addDistributor('A');
    const b = await f.addDistributor('B', a);
    const c = await f.addDistributor('C', b);
    expect(await f.bind(a, b)).toBe('ignored');
    expect(await f.bind(a, c)).toBe('ignored');
    expect(await upline(a)).toEqual([null, null, null]);
    expect(await bindingOf(a)).toBeNull();
    expect(await upline(c)).toEqual([b, a, null]);
    // Even a sale by A in C's shop pays along A's own (empty) upline, never round the loop.
    await f.setSettings({ selfPurchase: false });
    const order = await paidOrder(a);
    expect(await f.commissionsOf(order.orderId)).toEqual([]);
  });

  it('an applicant is placed under whom they are bound to when approved, never under someone inactive', async () => {
    await shop({ binding: { mode: 'latest', expiryDays: null } });
    const a = await f.addDistributor('A');
    const b = await f.addDistributor('B', a);
    const m = await f.addMember('m');
    await f.bind(m, b);
    await applyForDistributor(f.db, m, application, { ...defaultDistributionSettings }, f.now());
    await f.bind(m, a); // still a customer while pending: the binding may move
    await disableDistributor(f.db, a, f.now());
    await approveDistributor(f.db, m, f.now());
    expect(await upline(m)).toEqual([null, null, null]);
    expect(await counters(a)).toEqual([1, 0, 0]);
  });
});

describe('team counters and grades move with approvals and sales (D2, D6)', () => {
  it('counts direct recruits and the second and third levels, no deeper, in the approval batch', async () => {
    await shop();
    const a = await f.addDistributor('A');
    const b = await f.addDistributor('B', a);
    const b2 = await f.addDistributor('B2', a);
    const c = await f.addDistributor('C', b);
    const d = await f.addDistributor('D', c);
    const e = await f.addDistributor('E', d);
    expect(await counters(a)).toEqual([2, 1, 1]);
    expect(await counters(b)).toEqual([1, 1, 1]);
    expect(await counters(b2)).toEqual([0, 0, 0]);
    expect(await counters(c)).toEqual([1, 1, 0]);
    expect(await counters(d)).toEqual([1, 0, 0]);
    expect(await upline(e)).toEqual([d, c, b]);
    // Applicants and rejected ones are nobody's team; disabling keeps the team.
    const p = await f.addMember('p');
    await f.bind(p, a);
    await applyForDistributor(f.db, p, application, defaultDistributionSettings, f.now());
    await rejectDistributor(f.db, p, 'no', f.now());
    await disableDistributor(f.db, b, f.now());
    expect(await counters(a)).toEqual([2, 1, 1]);
    expect(await counters(b)).toEqual([1, 1, 1]);
  });

  it('upgrades by direct recruits, team size and sales, never downgrades, and never gives a hand-only grade', async () => {
    await shop();
    const grade = async (name: string, rank: number, conditions: { minSales?: number; minTeam?: number; minDirect?: number; match?: 'all' | 'any' }, rates: unknown = null) => {
      const id = newId();
      await f.db.execute({
        sql: `INSERT INTO distributor_grades (id, name, rank, rates, min_sales, min_team, min_direct, match, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [id, name, rank, rates ? JSON.stringify(rates) : null, conditions.minSales ?? null, conditions.minTeam ?? null, conditions.minDirect ?? null, conditions.match ?? 'all', f.now(), f.now()],
      });
      return id;
    };
    await grade('silver', 1, { minDirect: 2 });
    await grade('gold', 2, { minTeam: 4, minDirect: 3 });
    const star = await grade('star', 3, { minSales: 100_000, minTeam: 50, match: 'any' }, { mode: 'bps', levels: [1500] });
    const crown = await grade('crown', 4, {});
    const rank = async (id: string) => Number((await distributor(id))!.grade_rank);

    const a = await f.addDistributor('A');
    const b1 = await f.addDistributor('B1', a);
    expect(await rank(a)).toBe(0);
    await f.addDistributor('B2', a);
    expect(await rank(a)).toBe(1);
    await f.addDistributor('C1', b1);
    await f.addDistributor('C2', b1); // team 4, but only 2 direct: gold needs both
    expect(await rank(a)).toBe(1);
    await f.addDistributor('B3', a);
    expect(await rank(a)).toBe(2);

    // ¥1,234.50 sold through A's shop: star (any of its conditions), with its own rate from now on.
    const buyer = await f.addMember('buyer');
    await f.bind(buyer, a);
    const big = await paidOrder(buyer, 1, 10);
    expect(await distributor(a)).toMatchObject({ grade_rank: 3, grade_id: star, own_sales: 123_450 });
    expect((await f.commissionsOf(big.orderId))[0]).toMatchObject({ level: 1, amount: 12_345 }); // placed before the upgrade: 10%
    const next = await paidOrder(buyer, 0);
    expect((await f.commissionsOf(next.orderId))[0]).toMatchObject({ level: 1, amount: 1485 }); // 15%

    // A full refund takes the sales back, not the grade.
    const lines = await f.linesOf(big.orderId);
    await f.refund(big.orderId, buyer, lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, amount: l.paidAmount })));
    expect(await distributor(a)).toMatchObject({ grade_rank: 3, own_sales: 9900 });
    // A grade given by hand is kept through later approvals; nothing upgrades anyone to it.
    await f.db.execute({ sql: `UPDATE distributors SET grade_id = ?, grade_rank = 4 WHERE member_id = ?`, args: [crown, b1] });
    for (let i = 0; i < 3; i++) await f.addDistributor(`x${i}`, b1);
    expect(await rank(b1)).toBe(4);
    expect(await rank(a)).toBe(3);
    expect(Number((await f.db.execute(`SELECT count(*) AS n FROM distributors WHERE grade_rank = 4`)).rows[0]!.n)).toBe(1);
  });
});

async function bindByCode(memberId: string, code: string) {
  const { bindMember } = await import('./distributors');
  return bindMember(f.db, memberId, code, 'code', defaultDistributionSettings, f.now());
}
