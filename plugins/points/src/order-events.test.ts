import type { EventPayloads } from '@tuike/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerSums, line, openTestShop, placedPayload, type TestShop } from './test-shop';

let shop: TestShop;
async function open(settings: Record<string, unknown> = {}) {
  shop = await openTestShop({ settings });
  return shop;
}
afterEach(async () => {
  // Whatever happened, the cached accounts add up to their ledger and no balance is negative.
  const accounts = await shop.rows('plg_points_accounts');
  for (const a of accounts) {
    expect(await ledgerSums(shop, String(a.member_id))).toEqual({ balance: Number(a.balance), debt: Number(a.debt) });
    expect(Number(a.balance)).toBeGreaterThanOrEqual(0);
  }
  shop.close();
  itemsPaidOf.clear();
});

const no = (orderId: string) => `NO-${orderId}`;
/** What each placed order paid for its items, as the platform puts it in order.paid and order.completed. */
const itemsPaidOf = new Map<string, number>();
const paid = (orderId: string, memberId = 'm1', payTotal = 0): EventPayloads['order.paid'] => ({ orderId, orderNo: no(orderId), memberId, payTotal, itemsPaid: itemsPaidOf.get(orderId) ?? 0, paidAt: shop.clock.now });
const completed = (orderId: string, memberId = 'm1', payTotal = 0): EventPayloads['order.completed'] => ({ orderId, orderNo: no(orderId), memberId, payTotal, itemsPaid: itemsPaidOf.get(orderId) ?? 0, completedAt: shop.clock.now });
const cancelled = (orderId: string, memberId = 'm1'): EventPayloads['order.cancelled'] => ({ orderId, orderNo: no(orderId), memberId, reason: 'buyer' });
const refunded = (orderId: string, refundId: string, itemsAmount: number, memberId = 'm1'): EventPayloads['order.refunded'] =>
  ({ orderId, orderNo: no(orderId), memberId, refundId, amount: itemsAmount, lines: [{ lineId: 's1', amount: itemsAmount }] });

/** Places an order the way the platform does (pricing, reservation in the batch), then delivers order.placed. */
async function place(orderId: string, itemsPrice: number, usePoints: number | null, options: { memberId?: string; shippingFee?: number; placedEvent?: boolean } = {}) {
  const memberId = options.memberId ?? 'm1';
  const order = await shop.prepareOrder({ orderId, memberId, lines: [line('s1', itemsPrice)], shippingFee: options.shippingFee ?? 0, ...(usePoints === null ? {} : { choice: { usePoints } }) });
  const result = await order.commit();
  if (result.refusal) throw new Error(`refused: ${result.refusal.code}`);
  itemsPaidOf.set(orderId, order.priced.lines.reduce((s, l) => s + l.paidAmount, 0));
  if (options.placedEvent !== false) await shop.deliver('order.placed', placedPayload(orderId, memberId, order.priced));
  return order.priced;
}

const account = async (memberId = 'm1') => {
  const r = await shop.call('GET', '/me', { member: memberId });
  return (r.body as { account: Record<string, number> }).account;
};
const ledgerKinds = async (memberId = 'm1') => (await shop.client.execute({ sql: 'SELECT kind, delta, debt_delta FROM plg_points_ledger WHERE member_id = ? ORDER BY id', args: [memberId] })).rows.map((r) => [r.kind, r.delta, r.debt_delta]);

describe('earning', () => {
  it('earns on what was paid for the items, shipping excluded and floored: pending from payment, spendable on completion', async () => {
    await open();
    const priced = await place('o1', 9_999, null, { shippingFee: 800 });
    expect(priced.payTotal).toBe(10_799);
    await shop.deliver('order.paid', paid('o1', 'm1', priced.payTotal));
    expect(await account()).toMatchObject({ balance: 0, pending: 99 });
    await shop.deliver('order.completed', completed('o1', 'm1', priced.payTotal));
    expect(await account()).toMatchObject({ balance: 99, pending: 0, lifetimeEarned: 99 });
    expect(await ledgerKinds()).toEqual([['earn', 99, 0]]);
  });

  it('with earnOn = paid, points are spendable as soon as the order is paid', async () => {
    await open({ earnOn: 'paid', earnPointsPerYuan: 3 });
    await place('o1', 12_345, null);
    await shop.deliver('order.paid', paid('o1'));
    expect(await account()).toMatchObject({ balance: 370, pending: 0 });
    await shop.deliver('order.completed', completed('o1'));
    expect(await account()).toMatchObject({ balance: 370 });
  });

  it('earns on the cash paid: points used to pay earn nothing', async () => {
    await open();
    await shop.grant('m1', 4_000);
    await place('o1', 10_000, 4_000);
    await shop.deliver('order.paid', paid('o1'));
    await shop.deliver('order.completed', completed('o1'));
    expect(await account()).toMatchObject({ balance: 60, lifetimeEarned: 60, lifetimeSpent: 4_000 });
  });

  it('a rate of 0 earns nothing and posts nothing', async () => {
    await open({ earnPointsPerYuan: 0 });
    await place('o1', 10_000, null);
    await shop.deliver('order.paid', paid('o1'));
    await shop.deliver('order.completed', completed('o1'));
    expect(await account()).toMatchObject({ balance: 0, pending: 0 });
    expect(await ledgerKinds()).toEqual([]);
  });

  it('bad input: a replayed order.completed (the same event id) posts once', async () => {
    await open();
    await place('o1', 10_000, null);
    await shop.deliver('order.paid', paid('o1'));
    await shop.deliver('order.completed', completed('o1'), 'evt-completed-o1');
    const after = await shop.snapshot();
    await shop.deliver('order.completed', completed('o1'), 'evt-completed-o1');
    await Promise.all([shop.deliver('order.completed', completed('o1'), 'evt-completed-o1'), shop.deliver('order.completed', completed('o1'), 'evt-completed-o1')]);
    expect(await shop.snapshot()).toEqual(after);
    expect(await ledgerKinds()).toEqual([['earn', 100, 0]]);
  });

  it('a second order.completed for the same order under another event id posts once too', async () => {
    await open();
    await place('o1', 10_000, null);
    await Promise.all([shop.deliver('order.completed', completed('o1'), 'evt-a'), shop.deliver('order.completed', completed('o1'), 'evt-b')]);
    expect(await ledgerKinds()).toEqual([['earn', 100, 0]]);
    expect(await account()).toMatchObject({ balance: 100, pending: 0 });
  });

  it('events out of order (completed, then paid, then placed) end where events in order do', async () => {
    await open();
    const order = await shop.prepareOrder({ orderId: 'o1', memberId: 'm1', lines: [line('s1', 10_000)] });
    await order.commit();
    itemsPaidOf.set('o1', 10_000);
    // order.completed carries what earning needs: it earns at once, and what follows changes nothing.
    await shop.deliver('order.completed', completed('o1'));
    expect(await account()).toMatchObject({ balance: 100, pending: 0 });
    await shop.deliver('order.paid', paid('o1'));
    await shop.deliver('order.placed', placedPayload('o1', 'm1', order.priced));
    expect(await account()).toMatchObject({ balance: 100, pending: 0 });
    expect(await ledgerKinds()).toEqual([['earn', 100, 0]]);
  });
});

describe('settlement in the database (the event row\'s trigger)', () => {
  it('records on each event row the rules it was settled under; a replay under changed settings settles nothing again', async () => {
    await open({ earnOn: 'paid', earnPointsPerYuan: 2 });
    await place('o1', 10_000, null, { placedEvent: false });
    await shop.deliver('order.paid', paid('o1'), 'evt-paid-o1');
    expect(await account()).toMatchObject({ balance: 200, pending: 0 });
    shop.settings.earnPointsPerYuan = 5;
    await shop.deliver('order.paid', paid('o1'), 'evt-paid-o1');
    expect(await account()).toMatchObject({ balance: 200 });
    expect((await shop.rows('plg_points_events')).map((r) => [r.event_id, r.type, r.order_id, r.rate, r.mode])).toEqual([['evt-paid-o1', 'order.paid', 'o1', 2, 'paid']]);
  });

  it('bad input: a settlement that would break a rule fails the event\'s whole batch (the trigger keeps ABORT, nothing is ignored)', async () => {
    await open({ earnOn: 'paid' });
    await place('o1', 10_000, null, { placedEvent: false });
    await shop.deliver('order.paid', paid('o1'));
    expect(await account()).toMatchObject({ balance: 100, lifetimeEarned: 100 });
    // A corrupted account: its lifetime total says it never earned what the ledger shows.
    await shop.client.execute(`UPDATE plg_points_accounts SET lifetime_earned = 0 WHERE member_id = 'm1'`);
    const before = await shop.snapshot();
    await expect(shop.deliver('order.refunded', refunded('o1', 'r1', 10_000), 'evt-refund-o1')).rejects.toThrow(/plg_points_accounts_lifetime|CHECK/);
    // Neither the refund fact nor the event row stayed: the retry will settle it in full.
    expect(await shop.snapshot()).toEqual(before);
    await shop.client.execute(`UPDATE plg_points_accounts SET lifetime_earned = 100 WHERE member_id = 'm1'`);
    await shop.deliver('order.refunded', refunded('o1', 'r1', 10_000), 'evt-refund-o1');
    expect(await account()).toMatchObject({ balance: 0, lifetimeEarned: 0 });
    expect(await ledgerKinds()).toEqual([['earn', 100, 0], ['refund_earn', -100, 0]]);
  });
});

describe('cancellation', () => {
  it('gives the spent points back once, however often the cancel arrives', async () => {
    await open();
    await shop.grant('m1', 1_000);
    await place('o1', 10_000, 700);
    expect(await account()).toMatchObject({ balance: 300 });
    await shop.deliver('order.cancelled', cancelled('o1'), 'evt-cancel');
    await shop.deliver('order.cancelled', cancelled('o1'), 'evt-cancel');
    await shop.deliver('order.cancelled', cancelled('o1'), 'evt-cancel-again');
    expect(await account()).toMatchObject({ balance: 1_000, lifetimeSpent: 0 });
    expect(await ledgerKinds()).toEqual([['adjust', 1_000, 0], ['spend', -700, 0], ['refund_spend', 700, 0]]);
  });

  it('a cancel that arrives before order.placed still gives back what the reservation spent, and nothing is earned later', async () => {
    await open();
    await shop.grant('m1', 1_000);
    const order = await shop.prepareOrder({ orderId: 'o1', memberId: 'm1', lines: [line('s1', 10_000)], choice: { usePoints: 500 } });
    await order.commit();
    await shop.deliver('order.cancelled', cancelled('o1'));
    expect(await account()).toMatchObject({ balance: 1_000 });
    await shop.deliver('order.placed', placedPayload('o1', 'm1', order.priced));
    await shop.deliver('order.completed', completed('o1'));
    expect(await account()).toMatchObject({ balance: 1_000, pending: 0 });
  });

  it('drops the pending points of a paid order that is cancelled before it completes', async () => {
    await open();
    await place('o1', 10_000, null);
    await shop.deliver('order.paid', paid('o1'));
    expect(await account()).toMatchObject({ pending: 100 });
    await shop.deliver('order.cancelled', cancelled('o1'));
    expect(await account()).toMatchObject({ balance: 0, pending: 0 });
    await shop.deliver('order.completed', completed('o1'));
    expect(await account()).toMatchObject({ balance: 0, pending: 0 });
  });
});

describe('refunds', () => {
  it('give back spent points and take back earned ones in proportion, floored; the last refund brings both to exactly all', async () => {
    await open();
    await shop.grant('m1', 10_000);
    await place('o1', 10_000, 3_333); // items paid 6667 → earns 66
    await shop.deliver('order.paid', paid('o1'));
    await shop.deliver('order.completed', completed('o1'));
    expect(await account()).toMatchObject({ balance: 10_000 - 3_333 + 66 });

    await shop.deliver('order.refunded', refunded('o1', 'r1', 2_000));
    // ⌊3333 × 2000 / 6667⌋ = 999 back; ⌊66 × 2000 / 6667⌋ = 19 taken back.
    expect(await ledgerKinds()).toEqual([['adjust', 10_000, 0], ['spend', -3_333, 0], ['earn', 66, 0], ['refund_earn', -19, 0], ['refund_spend', 999, 0]]);

    await shop.deliver('order.refunded', refunded('o1', 'r2', 4_667));
    expect((await ledgerKinds()).slice(5)).toEqual([['refund_earn', -47, 0], ['refund_spend', 2_334, 0]]);
    expect(await account()).toMatchObject({ balance: 10_000, lifetimeEarned: 0, lifetimeSpent: 0 });
  });

  it('a refund delivered again, even under another event id, counts once (keyed by the refund id)', async () => {
    await open();
    await shop.grant('m1', 1_000);
    await place('o1', 10_000, 1_000);
    await shop.deliver('order.refunded', refunded('o1', 'r1', 4_500), 'evt-r1');
    await shop.deliver('order.refunded', refunded('o1', 'r1', 4_500), 'evt-r1');
    await shop.deliver('order.refunded', refunded('o1', 'r1', 4_500), 'evt-r1-retry');
    expect(await account()).toMatchObject({ balance: 500 });
  });

  it('a take-back beyond the balance takes what is there and records the rest as debt, which the next earning pays first', async () => {
    await open({ earnOn: 'paid' });
    await place('o1', 100_000, null);
    await shop.deliver('order.paid', paid('o1'));
    expect(await account()).toMatchObject({ balance: 1_000 });
    await shop.call('POST', '/admin/adjust', { staff: 's1', body: { memberId: 'm1', delta: -800, reason: 'spent in store' } });

    await shop.deliver('order.refunded', refunded('o1', 'r1', 100_000));
    expect(await account()).toMatchObject({ balance: 0, debt: 800 });
    expect((await ledgerKinds()).at(-1)).toEqual(['refund_earn', -200, 800]);

    await place('o2', 50_000, null);
    await shop.deliver('order.paid', paid('o2'));
    expect(await account()).toMatchObject({ balance: 0, debt: 300 });
    expect((await ledgerKinds()).at(-1)).toEqual(['earn', 0, -500]);
    await place('o3', 50_000, null);
    await shop.deliver('order.paid', paid('o3'));
    expect(await account()).toMatchObject({ balance: 200, debt: 0 });
  });

  it('a refund before completion shrinks the pending points; completion earns the rest', async () => {
    await open();
    await place('o1', 10_000, null);
    await shop.deliver('order.paid', paid('o1'));
    await shop.deliver('order.refunded', refunded('o1', 'r1', 2_500));
    expect(await account()).toMatchObject({ balance: 0, pending: 75 });
    await shop.deliver('order.completed', completed('o1'));
    expect(await account()).toMatchObject({ balance: 75, pending: 0, lifetimeEarned: 75 });
    expect(await ledgerKinds()).toEqual([['earn', 75, 0]]);
  });

  it('a refund with no line amounts is measured on the refunded share of the pay total', async () => {
    await open();
    await shop.grant('m1', 1_000);
    await place('o1', 10_000, 1_000, { shippingFee: 1_000 }); // pays 9000 + 1000 shipping
    await shop.deliver('order.refunded', { orderId: 'o1', orderNo: no('o1'), memberId: 'm1', refundId: 'r1', amount: 10_000, lines: [] });
    expect(await account()).toMatchObject({ balance: 1_000 });
  });
});

describe('when the platform skipped the reservation', () => {
  it('order.placed deducts the points the order used, once', async () => {
    await open();
    await shop.grant('m1', 1_000);
    const priced = await place('o1', 10_000, null, { placedEvent: false });
    const applied = [{ kind: 'points_redemption' as const, amount: 600, points: 600, ref: 'points' }];
    await shop.deliver('order.placed', { ...placedPayload('o1', 'm1', priced), applied });
    await shop.deliver('order.placed', { ...placedPayload('o1', 'm1', priced), applied });
    expect(await account()).toMatchObject({ balance: 400, debt: 0, lifetimeSpent: 600 });
  });

  it('what the balance no longer covers becomes debt, never a negative balance', async () => {
    await open();
    await shop.grant('m1', 250);
    const priced = await place('o1', 10_000, null, { placedEvent: false });
    await shop.deliver('order.placed', { ...placedPayload('o1', 'm1', priced), applied: [{ kind: 'points_redemption', amount: 600, points: 600 }] });
    expect(await account()).toMatchObject({ balance: 0, debt: 350 });
    expect((await ledgerKinds()).at(-1)).toEqual(['spend', -250, 350]);
  });
});
