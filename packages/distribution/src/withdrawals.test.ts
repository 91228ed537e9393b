import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@tuike/core';
import { createShopFixture, ledgerViolations, type ShopFixture } from './testing/shop-fixture';
import { applyForDistributor, disableDistributor, rejectDistributor } from './distributors';
import { defaultDistributionSettings, type DistributionSettings } from './settings';
import {
  approveWithdrawal, markWithdrawalFailed, markWithdrawalPaid, rejectWithdrawal, requestWithdrawal, startPayout, withdrawalFee, type WithdrawalInput,
} from './withdrawals';

const DAY = 86_400_000;
const DAY1 = '2026-11-24';
let f: ShopFixture;

afterEach(async () => {
  try {
    expect(await ledgerViolations(f.db)).toEqual([]);
  } finally {
    await f.close();
  }
});

/**
 * A distributor with `fen` of available balance, earned the real way: a customer bound to them
 * buys (10% level-1 commission on ¥500 units), the order is paid, shipped, received, completes,
 * freezes for 7 days and settles at the next weekly run.
 */
async function distributorWithBalance(fen: number, withdrawal: Partial<DistributionSettings['withdrawal']> = {}) {
  const settings: DistributionSettings = {
    ...defaultDistributionSettings,
    defaultRule: { mode: 'bps', levels: [1000, 500, 200] },
    freezeDays: 7,
    withdrawal: { minimum: 100, dailyMax: 10_000_000, feeBps: 0, methods: ['wechat', 'alipay', 'offline'], ...withdrawal },
  };
  f = await createShopFixture(settings);
  if (fen % 5000 !== 0) throw new Error('whole ¥500 units only');
  const d = await f.addDistributor('D');
  const buyer = await f.addMember('buyer');
  await f.bind(buyer, d);
  const placed = await f.place(buyer, [{ skuId: f.skuIds[2]!, quantity: fen / 5000 }]);
  expect(await f.pay(placed.intentId, f.prices[2]! * (fen / 5000))).toBe('applied');
  await f.ship(placed.orderId);
  await f.receive(placed.orderId, buyer);
  f.advance(8 * DAY);
  expect(await f.advance_orders()).toMatchObject({ completed: 1 });
  f.advance(14 * DAY);
  expect(await f.settle()).toMatchObject({ ran: true });
  expect(await f.wallet(d)).toEqual({ pending: 0, frozen: 0, available: fen, reserved: 0, withdrawn: 0, debt: 0 });
  return { d, buyer, order: placed, settings };
}

const ask = (amount: number, method: WithdrawalInput['method'] = 'wechat'): WithdrawalInput => ({ amount, method, account: { openid: 'o-123', name: '张三' } });

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('withdrawal requests reserve with a guarded write (D9)', () => {
  it('1,000 concurrent requests of 150 against 100,000 available: exactly 666 succeed, none overdraws', async () => {
    const { d, settings } = await distributorWithBalance(100_000);
    const results = await Promise.allSettled(Array.from({ length: 1000 }, () => requestWithdrawal(f.db, d, ask(150), settings, DAY1, f.now())));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(ok.length).toBe(Math.floor(100_000 / 150));
    expect(refused.length).toBe(1000 - 666);
    for (const e of refused) expect(e).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });

    expect(await f.wallet(d)).toEqual({ pending: 0, frozen: 0, available: 100, reserved: 99_900, withdrawn: 0, debt: 0 });
    const rows = (await f.db.execute({ sql: `SELECT count(*) AS n, sum(amount) AS total FROM withdrawals WHERE distributor_id = ? AND status = 'pending'`, args: [d] })).rows[0]!;
    expect([Number(rows.n), Number(rows.total)]).toEqual([666, 99_900]);
    // The balance never went below zero at any point of the ledger's history.
    const entries = await f.db.execute({ sql: `SELECT available FROM wallet_entries WHERE distributor_id = ? ORDER BY rowid`, args: [d] });
    let running = 0;
    for (const e of entries.rows) {
      running += Number(e.available);
      expect(running).toBeGreaterThanOrEqual(0);
    }
    expect(running).toBe(100);
  }, 60_000);

  it('enforces the daily maximum over the day\'s live requests; rejected ones do not count, the next day starts afresh', async () => {
    const { d, settings } = await distributorWithBalance(100_000, { dailyMax: 30_000 });
    const first = await requestWithdrawal(f.db, d, ask(20_000), settings, DAY1, f.now());
    expect(await refusal(requestWithdrawal(f.db, d, ask(15_000), settings, DAY1, f.now()))).toBe('WITHDRAWAL_DAILY_LIMIT');
    await requestWithdrawal(f.db, d, ask(10_000), settings, DAY1, f.now()); // exactly the maximum
    expect(await refusal(requestWithdrawal(f.db, d, ask(100), settings, DAY1, f.now()))).toBe('WITHDRAWAL_DAILY_LIMIT');
    expect(await f.wallet(d)).toMatchObject({ available: 70_000, reserved: 30_000 });
    await rejectWithdrawal(f.db, first.id, 'staff-1', '信息有误', f.now());
    await requestWithdrawal(f.db, d, ask(15_000), settings, DAY1, f.now());
    await requestWithdrawal(f.db, d, ask(30_000), settings, '2026-11-25', f.now());
    expect(await f.wallet(d)).toMatchObject({ available: 45_000, reserved: 55_000 });
  });

  it('refuses amounts below the minimum and methods the shop does not pay out by', async () => {
    const { d, settings } = await distributorWithBalance(10_000, { minimum: 1000, methods: ['wechat'] });
    expect(await refusal(requestWithdrawal(f.db, d, ask(999), settings, DAY1, f.now()))).toBe('WITHDRAWAL_BELOW_MINIMUM');
    expect(await refusal(requestWithdrawal(f.db, d, ask(0), settings, DAY1, f.now()))).toBe('WITHDRAWAL_BELOW_MINIMUM');
    expect(await refusal(requestWithdrawal(f.db, d, ask(1000, 'alipay'), settings, DAY1, f.now()))).toBe('WITHDRAWAL_METHOD_DISABLED');
    expect(await refusal(requestWithdrawal(f.db, d, ask(1000, 'bank'), settings, DAY1, f.now()))).toBe('WITHDRAWAL_METHOD_DISABLED');
    expect(await f.wallet(d)).toMatchObject({ available: 10_000, reserved: 0 });
    await requestWithdrawal(f.db, d, ask(1000), settings, DAY1, f.now());
    expect(await f.wallet(d)).toMatchObject({ available: 9000, reserved: 1000 });
    expect(await refusal(requestWithdrawal(f.db, d, ask(9001), settings, DAY1, f.now()))).toBe('INSUFFICIENT_BALANCE');
  });

  it('takes the fee, floored, from what is paid out: net = amount − fee; the wallet gives the whole amount', async () => {
    expect(withdrawalFee(12_345, 60)).toBe(74); // 74.07
    expect(withdrawalFee(166, 60)).toBe(0); // 0.996
    expect(withdrawalFee(10_000, 2000)).toBe(2000);
    const { d, settings } = await distributorWithBalance(20_000, { feeBps: 60 });
    const w = await requestWithdrawal(f.db, d, ask(12_345), settings, DAY1, f.now());
    expect(w).toMatchObject({ fee: 74, net: 12_271 });
    const row = (await f.db.execute({ sql: `SELECT amount, fee, net, status, account FROM withdrawals WHERE id = ?`, args: [w.id] })).rows[0]!;
    expect([Number(row.amount), Number(row.fee), Number(row.net), row.status]).toEqual([12_345, 74, 12_271, 'pending']);
    await approveWithdrawal(f.db, w.id, 'staff-1', f.now());
    await startPayout(f.db, w.id, f.now());
    expect(await markWithdrawalPaid(f.db, w.id, 'wx-1', f.now())).toBe('paid');
    expect(await f.wallet(d)).toMatchObject({ available: 20_000 - 12_345, reserved: 0, withdrawn: 12_345 });
    const notice = (await f.db.execute({ sql: `SELECT body FROM notifications WHERE ref = ? AND type = 'withdrawal.paid'`, args: [w.id] })).rows[0]!;
    expect(String(notice.body)).toContain('122.71');
  });

  it('a rejection returns the reserved money, once', async () => {
    const { d, settings } = await distributorWithBalance(10_000);
    const w = await requestWithdrawal(f.db, d, ask(6000), settings, DAY1, f.now());
    expect(await f.wallet(d)).toMatchObject({ available: 4000, reserved: 6000 });
    await rejectWithdrawal(f.db, w.id, 'staff-1', '账户信息不符', f.now());
    expect(await f.wallet(d)).toMatchObject({ available: 10_000, reserved: 0, withdrawn: 0 });
    expect(await refusal(rejectWithdrawal(f.db, w.id, 'staff-1', 'again', f.now()))).toBe('WITHDRAWAL_STATE');
    expect(await refusal(approveWithdrawal(f.db, w.id, 'staff-1', f.now()))).toBe('WITHDRAWAL_STATE');
    expect(await refusal(markWithdrawalPaid(f.db, w.id, 'x', f.now()))).toBe('WITHDRAWAL_STATE');
    expect(await f.wallet(d)).toMatchObject({ available: 10_000, reserved: 0, withdrawn: 0 });
  });

  it('a failed payout returns the money; a repeated failure callback is a duplicate and a late success is refused', async () => {
    const { d, settings } = await distributorWithBalance(10_000);
    const w = await requestWithdrawal(f.db, d, ask(7000), settings, DAY1, f.now());
    expect(await refusal(markWithdrawalFailed(f.db, w.id, 'too early', f.now()))).toBe('WITHDRAWAL_STATE'); // not approved yet
    await approveWithdrawal(f.db, w.id, 'staff-1', f.now());
    await startPayout(f.db, w.id, f.now());
    expect(await markWithdrawalFailed(f.db, w.id, '收款账户异常', f.now())).toBe('failed');
    expect(await f.wallet(d)).toMatchObject({ available: 10_000, reserved: 0, withdrawn: 0 });
    expect(await markWithdrawalFailed(f.db, w.id, '收款账户异常', f.now())).toBe('duplicate');
    expect(await refusal(markWithdrawalPaid(f.db, w.id, 'wx-late', f.now()))).toBe('WITHDRAWAL_STATE');
    expect(await f.wallet(d)).toMatchObject({ available: 10_000, reserved: 0, withdrawn: 0 });
  });

  it('a duplicated success callback changes nothing, also when both arrive at once', async () => {
    const { d, settings } = await distributorWithBalance(10_000);
    const w1 = await requestWithdrawal(f.db, d, ask(3000), settings, DAY1, f.now());
    await approveWithdrawal(f.db, w1.id, 'staff-1', f.now());
    expect(await markWithdrawalPaid(f.db, w1.id, 'wx-1', f.now())).toBe('paid');
    expect(await markWithdrawalPaid(f.db, w1.id, 'wx-1', f.now())).toBe('duplicate');
    expect(await f.wallet(d)).toMatchObject({ available: 7000, reserved: 0, withdrawn: 3000 });

    const w2 = await requestWithdrawal(f.db, d, ask(2000), settings, DAY1, f.now());
    await approveWithdrawal(f.db, w2.id, 'staff-1', f.now());
    const both = await Promise.all([markWithdrawalPaid(f.db, w2.id, 'wx-2', f.now()), markWithdrawalPaid(f.db, w2.id, 'wx-2', f.now())]);
    expect(both.sort()).toEqual(['duplicate', 'paid']);
    expect(await f.wallet(d)).toMatchObject({ available: 5000, reserved: 0, withdrawn: 5000 });

    const w3 = await requestWithdrawal(f.db, d, ask(1000), settings, DAY1, f.now());
    await approveWithdrawal(f.db, w3.id, 'staff-1', f.now());
    const failures = await Promise.all([markWithdrawalFailed(f.db, w3.id, 'x', f.now()), markWithdrawalFailed(f.db, w3.id, 'x', f.now())]);
    expect(failures.sort()).toEqual(['duplicate', 'failed']);
    expect(await f.wallet(d)).toMatchObject({ available: 5000, reserved: 0, withdrawn: 5000 });
  });

  it('only a distributor can withdraw: not a customer, not an applicant, not a rejected one; a disabled one keeps their money', async () => {
    const { d, buyer, settings } = await distributorWithBalance(10_000);
    expect(await refusal(requestWithdrawal(f.db, buyer, ask(100), settings, DAY1, f.now()))).toBe('NOT_DISTRIBUTOR');
    const applicant = await f.addMember('applicant');
    await applyForDistributor(f.db, applicant, { shopName: 'x', note: '' }, settings, f.now());
    expect(await refusal(requestWithdrawal(f.db, applicant, ask(100), settings, DAY1, f.now()))).toBe('NOT_DISTRIBUTOR');
    await rejectDistributor(f.db, applicant, 'no', f.now());
    expect(await refusal(requestWithdrawal(f.db, applicant, ask(100), settings, DAY1, f.now()))).toBe('NOT_DISTRIBUTOR');
    expect((await f.db.execute(`SELECT count(*) AS n FROM withdrawals`)).rows[0]!.n).toBe(0);
    await disableDistributor(f.db, d, f.now());
    await requestWithdrawal(f.db, d, ask(100), settings, DAY1, f.now());
    expect(await f.wallet(d)).toMatchObject({ available: 9900, reserved: 100 });
  });

  it('money that comes back from a rejected or failed withdrawal pays a debt first', async () => {
    const { d, buyer, order, settings } = await distributorWithBalance(100_000);
    const big = await requestWithdrawal(f.db, d, ask(60_000), settings, DAY1, f.now());
    const rest = await requestWithdrawal(f.db, d, ask(40_000), settings, DAY1, f.now());
    await approveWithdrawal(f.db, rest.id, 'staff-1', f.now());
    // A staff refund of half the completed order reverses 50,000 of settled commission while
    // everything is reserved: the wallet owes it.
    await f.db.execute({ sql: `UPDATE orders SET status = 'received' WHERE id = ?`, args: [order.orderId] });
    const [line] = await f.linesOf(order.orderId);
    await f.refund(order.orderId, buyer, [{ lineId: line!.lineId, quantity: 10, amount: 500_000 }]);
    expect(await f.wallet(d)).toMatchObject({ available: 0, reserved: 100_000, debt: 50_000 });
    expect(await ledgerViolations(f.db)).toEqual([]);

    await rejectWithdrawal(f.db, big.id, 'staff-1', '退款抵扣', f.now());
    expect(await f.wallet(d)).toMatchObject({ available: 10_000, reserved: 40_000, debt: 0 });
    expect(await ledgerViolations(f.db)).toEqual([]);
    await markWithdrawalFailed(f.db, rest.id, '账户异常', f.now());
    expect(await f.wallet(d)).toEqual({ pending: 0, frozen: 0, available: 50_000, reserved: 0, withdrawn: 0, debt: 0 });
  });

  it('a failed payout pays only as much debt as it brings back', async () => {
    const { d, buyer, order, settings } = await distributorWithBalance(100_000);
    const w = await requestWithdrawal(f.db, d, ask(30_000), settings, DAY1, f.now());
    const paid = await requestWithdrawal(f.db, d, ask(70_000), settings, DAY1, f.now());
    await approveWithdrawal(f.db, paid.id, 'staff-1', f.now());
    await markWithdrawalPaid(f.db, paid.id, 'wx-9', f.now());
    await approveWithdrawal(f.db, w.id, 'staff-1', f.now());
    await f.db.execute({ sql: `UPDATE orders SET status = 'received' WHERE id = ?`, args: [order.orderId] });
    const [line] = await f.linesOf(order.orderId);
    await f.refund(order.orderId, buyer, [{ lineId: line!.lineId, quantity: 20, amount: 1_000_000 }]); // all of it
    expect(await f.wallet(d)).toMatchObject({ available: 0, reserved: 30_000, withdrawn: 70_000, debt: 100_000 });
    await markWithdrawalFailed(f.db, w.id, '账户异常', f.now());
    expect(await f.wallet(d)).toEqual({ pending: 0, frozen: 0, available: 0, reserved: 0, withdrawn: 70_000, debt: 70_000 });
  });
});
