import { afterAll, expect, it } from 'vitest';
import { AppError, newId } from '@tuike/core';
import type { CommissionRule } from '@tuike/db-tenant';
import { createShopFixture, ledgerViolations, trackLedgerChanges, type LedgerScope, type ShopFixture } from './testing/shop-fixture';
import { disableDistributor, enableDistributor, type BindSource } from './distributors';
import { dayKey, lastClosedPeriod, startOfLocalDay } from './periods';
import { assertCompliant, defaultDistributionSettings, type DistributionSettings } from './settings';
import {
  approveWithdrawal, createPayoutBatch, markWithdrawalFailed, markWithdrawalPaid, rejectWithdrawal, requestWithdrawal, startPayout, withdrawalFee, type PayoutMethod,
} from './withdrawals';

/*
 * A randomized simulation of the commission ledger: 10,000 events (orders, payments, shipping,
 * completion, settlement, refunds, withdrawals, payouts, settings changes …) driven through the
 * real order and distribution functions against a real shop database. After every event the
 * ledger's invariants must hold (`ledgerViolations` over everything the event's writes touched,
 * which is exact and keeps the run linear; over the whole database every 500 events and at the
 * end) and the database must agree with an independent in-memory model: every wallet bucket,
 * every distributor's counters and grade, the commission rows of the orders the event touched.
 * Expected refusals (an AppError the model predicted, with the code it predicted) are fine;
 * anything else fails the run with its seed, its step and the events before it.
 *
 * Reproducible: TUIKE_SIM_SEED=<n> replays a run (TUIKE_SIM_SEED=random picks one), and
 * TUIKE_SIM_EVENTS=<n> changes its length.
 */

const SEED = process.env.TUIKE_SIM_SEED === 'random' ? Math.floor(Math.random() * 2 ** 32) : Number(process.env.TUIKE_SIM_SEED ?? 20261102) >>> 0;
const EVENTS = Number(process.env.TUIKE_SIM_EVENTS ?? 10_000);
const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AUTO_RECEIVE_MS = 10 * DAY; // advanceDueOrders' default rules
const COMPLETE_AFTER_MS = 7 * DAY;

/** mulberry32: a small, fast, seedable PRNG. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const rand = mulberry32(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const chance = (p: number) => rand() < p;
function pick<T>(items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rand() * items.length)]!;
}

// ─── The model ──────────────────────────────────────────────────────────────────────────────

type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'received' | 'completed' | 'cancelled' | 'refunded';
type CommissionStatus = 'awaiting_payment' | 'pending' | 'frozen' | 'settled' | 'cancelled';
const EARNING: readonly CommissionStatus[] = ['pending', 'frozen', 'settled'];

interface MLine { id: string; sku: number; qty: number; paid: number; refunded: number }
interface MCommission {
  lineId: string; distributorId: string; level: number; base: number; mode: 'bps' | 'fixed'; rate: number;
  amount: number; reversed: number; status: CommissionStatus; settleAfter: number | null;
}
interface MOrder {
  id: string; intentId: string; buyer: string; status: OrderStatus; lines: MLine[]; payTotal: number;
  intent: 'pending' | 'succeeded' | 'closed'; externalId: string | null;
  shippedAt: number | null; receivedAt: number | null; commissions: MCommission[];
}
interface MGrade { id: string; name: string; rank: number; rates: CommissionRule | null; minSales: number | null; minTeam: number | null; minDirect: number | null; match: 'all' | 'any' }
interface MDistributor {
  id: string; name: string; parent: string | null; gp: string | null; ggp: string | null; status: 'active' | 'disabled';
  direct: number; l2: number; l3: number; ownSales: number; teamSales: number; ownOrders: number; gradeRank: number; gradeRates: CommissionRule | null;
}
interface MWallet { pending: number; frozen: number; available: number; reserved: number; withdrawn: number; debt: number }
interface MWithdrawal { id: string; distributorId: string; amount: number; fee: number; status: 'pending' | 'approved' | 'paying' | 'paid' | 'rejected' | 'failed'; day: string }

const grades: MGrade[] = [
  { id: newId(), name: 'silver', rank: 1, rates: null, minSales: null, minTeam: null, minDirect: 2, match: 'all' },
  { id: newId(), name: 'gold', rank: 2, rates: { mode: 'bps', levels: [1200, 600] }, minSales: 400_000, minTeam: 5, minDirect: null, match: 'any' },
  // Its rates add up to more than a 20% cap on purpose: the cap must clamp them per line.
  { id: newId(), name: 'diamond', rank: 3, rates: { mode: 'bps', levels: [1600, 900, 400] }, minSales: 3_000_000, minTeam: null, minDirect: 3, match: 'all' },
  // No condition: given only by hand, never reached automatically.
  { id: newId(), name: 'founder', rank: 4, rates: { mode: 'fixed', levels: [9000, 9000, 9000] }, minSales: null, minTeam: null, minDirect: null, match: 'any' },
];

let f: ShopFixture;
let settings: DistributionSettings;
let productRule: CommissionRule | null = null;
let categoryRule: CommissionRule | null = null;
const dists = new Map<string, MDistributor>();
const wallets = new Map<string, MWallet>();
/** Σ (amount − reversed) of the paid, non-cancelled commissions of each distributor. */
const earned = new Map<string, number>();
const bindings = new Map<string, { distributorId: string; expiresAt: number | null }>();
const orders: MOrder[] = [];
const withdrawals: MWithdrawal[] = [];
const settlementRuns = new Set<string>();
const buyers: string[] = [];
const stats = new Map<string, { ran: number; refused: number }>();
const lineCaps = new Map<string, number>();

function gradeHolds(g: MGrade, d: MDistributor) {
  const conditions = [
    g.minSales === null ? null : d.ownSales + d.teamSales >= g.minSales,
    g.minTeam === null ? null : d.direct + d.l2 + d.l3 >= g.minTeam,
    g.minDirect === null ? null : d.direct >= g.minDirect,
  ].filter((c): c is boolean => c !== null);
  if (conditions.length === 0) return false;
  return g.match === 'all' ? conditions.every(Boolean) : conditions.some(Boolean);
}

/** Grades only go up, and only for active distributors. */
function upgrade(d: MDistributor) {
  if (d.status !== 'active') return;
  const best = grades.filter((g) => g.rank > d.gradeRank && gradeHolds(g, d)).sort((a, b) => b.rank - a.rank)[0];
  if (best) { d.gradeRank = best.rank; d.gradeRates = best.rates; }
}

const distributor = (id: string) => { const d = dists.get(id); if (!d) throw new Error(`no distributor ${id}`); return d; };
const wallet = (id: string) => { const w = wallets.get(id); if (!w) throw new Error(`no wallet ${id}`); return w; };
const addEarned = (id: string, delta: number) => earned.set(id, (earned.get(id) ?? 0) + delta);

/** Money coming back from a withdrawal pays debt first. */
function giveBack(w: MWallet, amount: number) {
  const toDebt = Math.min(w.debt, amount);
  w.debt -= toDebt;
  w.available += amount - toDebt;
}

function currentBinding(memberId: string, now: number) {
  const b = bindings.get(memberId);
  return b && (b.expiresAt === null || b.expiresAt > now) ? b.distributorId : null;
}

/** Who earns on a sale by `buyer` now, independently of sale-chain.ts. */
function expectedChain(buyer: string, now: number) {
  const own = dists.get(buyer);
  let seller = own?.status === 'active' ? buyer : currentBinding(buyer, now);
  if (seller && dists.get(seller)?.status !== 'active') seller = null;
  if (!seller) return null;
  const s = distributor(seller);
  const path = [s.id, s.parent, s.gp, s.ggp];
  const chain = seller === buyer && !settings.selfPurchase ? path.slice(1, 4) : path.slice(0, 3);
  const upline = chain.slice(0, settings.levels);
  const earners = upline.flatMap((id, i) => {
    const d = id ? dists.get(id) : undefined;
    return d && d.status === 'active' ? [{ id: d.id, level: i + 1, rates: d.gradeRates }] : [];
  });
  return { seller, upline, earners };
}

function expectedLineCommissions(line: MLine, earners: { id: string; level: number; rates: CommissionRule | null }[]): MCommission[] {
  const out: MCommission[] = [];
  for (const e of earners) {
    let found: { mode: 'bps' | 'fixed'; rate: number } | null = null;
    for (const rule of [productRule, categoryRule, e.rates, settings.defaultRule]) {
      const rate = rule?.levels[e.level - 1];
      if (rule && rate !== undefined) { found = { mode: rule.mode, rate }; break; }
    }
    if (!found) continue;
    const amount = found.mode === 'bps' ? Math.floor((line.paid * found.rate) / 10_000) : found.rate * line.qty;
    out.push({ lineId: line.id, distributorId: e.id, level: e.level, base: line.paid, mode: found.mode, rate: found.rate, amount, reversed: 0, status: 'awaiting_payment', settleAfter: null });
  }
  const cap = Math.floor((line.paid * settings.capBps) / 10_000);
  let excess = out.reduce((n, c) => n + c.amount, 0) - cap;
  for (const c of [...out].sort((a, b) => b.level - a.level)) {
    if (excess <= 0) break;
    const cut = Math.min(c.amount, excess);
    c.amount -= cut;
    excess -= cut;
  }
  lineCaps.set(line.id, cap);
  return out;
}

// ─── Helpers ────────────────────────────────────────────────────────────────────────────────

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

/** Runs a call; an AppError is a refusal (with its code), anything else fails the simulation. */
async function attempt<T>(p: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    if (e instanceof AppError) {
      refusals.set(e.code, (refusals.get(e.code) ?? 0) + 1);
      return { ok: false, code: e.code };
    }
    throw e;
  }
}
const refusals = new Map<string, number>();

/** Asserts that a call had the outcome the model predicted: success, or a refusal with `code`. */
function expectOutcome<T>(what: string, got: Outcome<T>, expectedCode: string | null): T | undefined {
  if (expectedCode === null && !got.ok) throw new Error(`${what}: refused with ${got.code}, the model expected success`);
  if (expectedCode !== null && got.ok) throw new Error(`${what}: succeeded, the model expected ${expectedCode}`);
  if (expectedCode !== null && !got.ok && got.code !== expectedCode) throw new Error(`${what}: refused with ${got.code}, the model expected ${expectedCode}`);
  return got.ok ? got.value : undefined;
}

function fail(message: string): never { throw new Error(message); }

async function setSettings(patch: Partial<DistributionSettings>) {
  // The fixture's reader falls back to the defaults on invalid settings; refuse to write any.
  settings = assertCompliant({ ...settings, ...patch });
  await f.setSettings(patch);
}

const byStatus = (...statuses: OrderStatus[]) => orders.filter((o) => statuses.includes(o.status));
const live = () => orders.filter((o) => o.status !== 'cancelled' && o.status !== 'refunded' && o.status !== 'completed');

// ─── Events ─────────────────────────────────────────────────────────────────────────────────

interface EventResult { text: string; refused?: boolean; touched?: MOrder[] }
type Event = () => Promise<EventResult>;

const placeEvent: Event = async () => {
  const buyer = chance(0.75) ? pick(buyers) : pick([...dists.keys()]);
  const skus = [0, 1, 2].filter(() => chance(0.5));
  if (skus.length === 0) skus.push(int(0, 2));
  const items = skus.map((sku) => ({ sku, qty: chance(0.8) ? int(1, 3) : int(4, 12) }));
  const now = f.now();
  const chain = expectedChain(buyer, now);
  const placed = await f.place(buyer, items.map((i) => ({ skuId: f.skuIds[i.sku]!, quantity: i.qty })));
  const [rs, head] = await f.db.batch([
    { sql: `SELECT id, sku_id, quantity, paid_amount FROM order_lines WHERE order_id = ?`, args: [placed.orderId] },
    { sql: `SELECT pay_total, upline, distributor_shop_id FROM orders WHERE id = ?`, args: [placed.orderId] },
  ], 'read');
  const lines: MLine[] = rs!.rows.map((r) => {
    const sku = f.skuIds.indexOf(String(r.sku_id));
    const line = { id: String(r.id), sku, qty: Number(r.quantity), paid: Number(r.paid_amount), refunded: 0 };
    const want = items.find((i) => i.sku === sku);
    if (!want || want.qty !== line.qty || line.paid !== f.prices[sku]! * line.qty) fail(`line ${line.id} is not what was ordered`);
    return line;
  });
  if (lines.length !== items.length) fail('lines missing from the order');
  const order: MOrder = {
    id: placed.orderId, intentId: placed.intentId, buyer, status: 'pending_payment', lines, payTotal: lines.reduce((n, l) => n + l.paid, 0),
    intent: 'pending', externalId: null, shippedAt: null, receivedAt: null,
    commissions: chain ? lines.flatMap((l) => expectedLineCommissions(l, chain.earners)) : [],
  };
  orders.push(order);
  const row = head!.rows[0]!;
  if (Number(row.pay_total) !== order.payTotal) fail(`pay_total ${row.pay_total}, expected ${order.payTotal}`);
  const upline = row.upline === null ? null : JSON.parse(String(row.upline));
  expect({ upline, shop: row.distributor_shop_id }, 'the upline captured on the order').toEqual({ upline: chain ? chain.upline : null, shop: chain ? chain.seller : null });
  return { text: `place ${order.id} by ${name(buyer)}: ${items.map((i) => `${i.qty}×sku${i.sku}`).join(' + ')} = ${order.payTotal}; ${order.commissions.length} commission lines`, touched: [order] };
};

function applyPaid(o: MOrder) {
  o.status = 'paid';
  o.intent = 'succeeded';
  const involved = new Set<string>();
  for (const c of o.commissions) {
    if (c.status !== 'awaiting_payment') continue;
    c.status = 'pending';
    wallet(c.distributorId).pending += c.amount;
    addEarned(c.distributorId, c.amount);
    involved.add(c.distributorId);
  }
  for (const id of involved) {
    const d = distributor(id);
    const mine = o.commissions.filter((c) => c.distributorId === id);
    d.ownSales += mine.filter((c) => c.level === 1).reduce((n, c) => n + c.base, 0);
    d.teamSales += mine.filter((c) => c.level > 1).reduce((n, c) => n + c.base, 0);
    if (mine.some((c) => c.level === 1)) d.ownOrders += 1;
  }
  for (const id of involved) upgrade(distributor(id));
}

const payEvent: Event = async () => {
  const pending = byStatus('pending_payment');
  const roll = rand();
  let o: MOrder;
  let amount: number;
  let externalId: string;
  if (pending.length && roll < 0.85) {
    o = pick(pending);
    amount = chance(0.03) ? o.payTotal + 1 : o.payTotal;
    externalId = `tx-${o.intentId}`;
  } else {
    // A replayed notify (same external id), or a second payment of a settled intent.
    const any = orders.length ? pick(orders) : null;
    if (!any) return { text: 'pay: no order yet', refused: true };
    o = any;
    amount = o.payTotal;
    externalId = o.externalId && chance(0.7) ? o.externalId : `tx-other-${newId()}`;
  }
  const got = await attempt(f.pay(o.intentId, amount, externalId));
  let expected: string | null;
  let value: 'applied' | 'duplicate' | null = null;
  if (o.intent === 'succeeded' && o.externalId === externalId) { expected = null; value = 'duplicate'; }
  else if (amount !== o.payTotal) expected = 'PAYMENT_AMOUNT_MISMATCH';
  else if (o.intent !== 'pending' || o.status !== 'pending_payment') expected = 'ORDER_STATE';
  else { expected = null; value = 'applied'; }
  const result = expectOutcome(`pay ${o.id}`, got, expected);
  if (result !== undefined && result !== value) fail(`pay ${o.id} returned ${result}, expected ${value}`);
  if (value === 'applied') { o.externalId = externalId; applyPaid(o); }
  return { text: `pay ${o.id} (${amount}, ${externalId.slice(0, 12)}…) → ${got.ok ? got.value : got.code}`, refused: !got.ok || value === 'duplicate', touched: [o] };
};

const cancelEvent: Event = async () => {
  const pending = byStatus('pending_payment');
  const o = pending.length && chance(0.9) ? pick(pending) : orders.length ? pick(orders) : null;
  if (!o) return { text: 'cancel: no order', refused: true };
  const got = await attempt(f.cancel(o.id));
  const ok = o.status === 'pending_payment';
  expectOutcome(`cancel ${o.id}`, got, ok ? null : 'ORDER_STATE');
  if (ok) {
    o.status = 'cancelled';
    o.intent = 'closed';
    for (const c of o.commissions) c.status = 'cancelled';
    const leaked = await f.db.execute({ sql: `SELECT count(*) AS n FROM wallet_entries WHERE ref = ?`, args: [o.id] });
    if (Number(leaked.rows[0]!.n) !== 0) fail(`cancelled order ${o.id} has wallet entries`);
  }
  return { text: `cancel ${o.id} (${o.status}) → ${got.ok ? 'ok' : got.code}`, refused: !ok, touched: [o] };
};

const shipEvent: Event = async () => {
  const paid = byStatus('paid');
  const o = paid.length && chance(0.92) ? pick(paid) : orders.length ? pick(orders) : null;
  if (!o) return { text: 'ship: no order', refused: true };
  const ok = o.status === 'paid';
  expectOutcome(`ship ${o.id}`, await attempt(f.ship(o.id)), ok ? null : 'ORDER_STATE');
  if (ok) { o.status = 'shipped'; o.shippedAt = f.now(); }
  return { text: `ship ${o.id} → ${ok ? 'shipped' : 'refused'}`, refused: !ok, touched: [o] };
};

const receiveEvent: Event = async () => {
  const shipped = byStatus('shipped');
  const o = shipped.length && chance(0.92) ? pick(shipped) : orders.length ? pick(orders) : null;
  if (!o) return { text: 'receive: no order', refused: true };
  const ok = o.status === 'shipped';
  expectOutcome(`receive ${o.id}`, await attempt(f.receive(o.id, o.buyer)), ok ? null : 'ORDER_STATE');
  if (ok) { o.status = 'received'; o.receivedAt = f.now(); }
  return { text: `receive ${o.id} → ${ok ? 'received' : 'refused'}`, refused: !ok, touched: [o] };
};

async function advanceOrders() {
  const now = f.now();
  let received = 0;
  let completed = 0;
  for (const o of orders) {
    if (o.status === 'shipped' && o.shippedAt! <= now - AUTO_RECEIVE_MS) { o.status = 'received'; o.receivedAt = now; received++; }
  }
  for (const o of orders) {
    if (o.status === 'received' && o.receivedAt! <= now - COMPLETE_AFTER_MS) {
      o.status = 'completed';
      completed++;
      for (const c of o.commissions) {
        if (c.status !== 'pending') continue;
        c.status = 'frozen';
        c.settleAfter = now + settings.freezeDays * DAY;
        const w = wallet(c.distributorId);
        w.pending -= c.amount - c.reversed;
        w.frozen += c.amount - c.reversed;
      }
    }
  }
  const got = await f.advance_orders();
  expect(got, `advance_orders at ${new Date(now).toISOString()}`).toEqual({ received, completed });
  return { received, completed };
}

const clockEvent: Event = async () => {
  const ms = chance(0.6) ? int(1, 48) * HOUR : int(2, 12) * DAY;
  f.advance(ms);
  const r = await advanceOrders();
  return { text: `clock +${(ms / HOUR).toFixed(0)}h → ${new Date(f.now()).toISOString()}; received ${r.received}, completed ${r.completed}` };
};

/** The next period boundary after now, in shop time. */
function nextPeriodEnd(now: number) {
  if (settings.settlement.period === 'weekly') return lastClosedPeriod(now, TZ, 'weekly').end + 7 * DAY;
  const [y, m] = dayKey(now, TZ).split('-').map(Number) as [number, number];
  return startOfLocalDay(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1, TZ);
}

const settleEvent: Event = async () => {
  if (chance(0.6)) {
    const target = nextPeriodEnd(f.now()) + int(0, 36) * HOUR;
    f.setClock(target);
    await advanceOrders();
  }
  const now = f.now();
  const period = lastClosedPeriod(now, TZ, settings.settlement.period);
  const ran = !settlementRuns.has(period.key);
  let amount = 0;
  if (ran) {
    settlementRuns.add(period.key);
    const per = new Map<string, number>();
    for (const o of orders) for (const c of o.commissions) {
      if (c.status !== 'frozen' || c.settleAfter! > period.end) continue;
      c.status = 'settled';
      per.set(c.distributorId, (per.get(c.distributorId) ?? 0) + c.amount - c.reversed);
    }
    for (const [id, s] of per) {
      const w = wallet(id);
      const debtPaid = Math.min(w.debt, s);
      w.frozen -= s;
      w.debt -= debtPaid;
      w.available += s - debtPaid;
      amount += s;
    }
  }
  const got = await f.settle();
  expect(got, `settle at ${new Date(now).toISOString()}`).toEqual({ period: period.key, ran });
  if (ran) {
    const run = (await f.db.execute({ sql: `SELECT amount FROM settlement_runs WHERE period = ?`, args: [period.key] })).rows[0]!;
    if (Number(run.amount) !== amount) fail(`settlement run ${period.key} amount ${run.amount}, expected ${amount}`);
  }
  return { text: `settle ${period.key} at ${new Date(now).toISOString()} → ${ran ? `ran, ${amount}` : 'already ran'}`, refused: !ran };
};

/** A refund through the after-sales flow; `late` is a staff refund of a completed order. */
async function refundOrder(o: MOrder, kind: 'partial' | 'full' | 'excess', late: boolean): Promise<EventResult> {
  const open = o.lines.filter((l) => l.paid > l.refunded);
  if (open.length === 0) return { text: `refund ${o.id}: nothing left`, refused: true };
  const chosen = kind === 'full' ? open : open.filter(() => chance(0.5));
  if (chosen.length === 0) chosen.push(pick(open));
  const request = chosen.map((l) => {
    const refundable = l.paid - l.refunded;
    const amount = kind === 'full' ? refundable : kind === 'excess' ? refundable + int(1, 100) : chance(0.2) ? refundable : int(1, refundable);
    return { lineId: l.id, quantity: kind === 'full' ? l.qty : int(1, l.qty), amount };
  });
  const statusOk = late || o.status === 'paid' || o.status === 'shipped' || o.status === 'received';
  const expected = !statusOk ? 'ORDER_STATE' : request.some((r) => r.amount > o.lines.find((l) => l.id === r.lineId)!.paid - o.lines.find((l) => l.id === r.lineId)!.refunded) ? 'REFUND_EXCEEDS' : null;
  let got: Outcome<unknown>;
  if (late) {
    // Staff refund after completion: the buyer's after-sales window is over, so (as ledger.test
    // does) the order is put back to 'received' for the refund and completed again after it.
    await f.db.execute({ sql: `UPDATE orders SET status = 'received' WHERE id = ? AND status = 'completed'`, args: [o.id] });
    try {
      got = await attempt(f.refund(o.id, o.buyer, request));
    } finally {
      await f.db.execute({ sql: `UPDATE orders SET status = 'completed' WHERE id = ? AND status = 'received'`, args: [o.id] });
    }
  } else {
    got = await attempt(f.refund(o.id, o.buyer, request));
  }
  expectOutcome(`refund ${o.id} (${o.status})`, got, expected);
  const text = `${late ? 'late ' : ''}${kind} refund ${o.id} (${o.status}) ${request.map((r) => r.amount).join('+')} → ${got.ok ? 'refunded' : got.code}`;
  if (expected !== null) return { text, refused: true, touched: [o] };

  for (const r of request) o.lines.find((l) => l.id === r.lineId)!.refunded += r.amount;
  const per = new Map<string, { p: number; f: number; s: number }>();
  // Counters first, by the earners of each refunded line (the batch does them with the earners as they are).
  for (const r of request) {
    for (const c of o.commissions) {
      if (c.lineId !== r.lineId || !EARNING.includes(c.status)) continue;
      const d = distributor(c.distributorId);
      if (c.level === 1) d.ownSales = Math.max(d.ownSales - r.amount, 0);
      else d.teamSales = Math.max(d.teamSales - r.amount, 0);
    }
  }
  for (const c of o.commissions) {
    if (!EARNING.includes(c.status)) continue;
    const line = o.lines.find((l) => l.id === c.lineId)!;
    const kept = line.paid === 0 ? 0 : Math.floor((c.amount * (line.paid - line.refunded)) / line.paid);
    const delta = c.amount - c.reversed - kept;
    c.reversed = c.amount - kept;
    const x = per.get(c.distributorId) ?? { p: 0, f: 0, s: 0 };
    if (c.status === 'pending') x.p += delta;
    else if (c.status === 'frozen') x.f += delta;
    else x.s += delta;
    per.set(c.distributorId, x);
  }
  for (const [id, x] of per) {
    const w = wallet(id);
    w.pending -= x.p;
    w.frozen -= x.f;
    const fromAvailable = Math.min(w.available, x.s);
    w.available -= fromAvailable;
    w.debt += x.s - fromAvailable;
    addEarned(id, -(x.p + x.f + x.s));
  }
  if (o.lines.every((l) => l.refunded === l.paid)) o.status = 'refunded';
  return { text, touched: [o] };
}

const refundEvent = (kind: 'partial' | 'full'): Event => async () => {
  const refundable = byStatus('paid', 'shipped', 'received');
  if (refundable.length && chance(0.93)) return refundOrder(pick(refundable), chance(0.05) ? 'excess' : kind, false);
  const any = orders.length ? pick(orders) : null;
  return any ? refundOrder(any, kind, false) : { text: 'refund: no order', refused: true };
};

const lateRefundEvent: Event = async () => {
  const completed = byStatus('completed').filter((o) => o.commissions.some((c) => c.status !== 'cancelled'));
  if (!completed.length) return { text: 'late refund: no completed order', refused: true };
  return refundOrder(pick(completed), chance(0.3) ? 'full' : 'partial', true);
};

const withdrawEvent: Event = async () => {
  const now = f.now();
  const day = dayKey(now, TZ);
  const rules = settings.withdrawal;
  const minimum = Math.max(rules.minimum, 1);
  const funded = [...dists.keys()].filter((id) => wallet(id).available >= minimum);
  const who = chance(0.04) ? pick(buyers) : funded.length && chance(0.7) ? pick(funded) : pick([...dists.keys()]);
  const w = wallets.get(who);
  const available = w?.available ?? 0;
  const roll = rand();
  const amount = roll < 0.08 && minimum > 1 ? int(1, minimum - 1)
    : roll < 0.28 ? available + int(1, 5000)
    : roll < 0.4 ? Math.max(available, 1)
    : available >= minimum ? int(minimum, available) : int(minimum, minimum + 500);
  const method: PayoutMethod = chance(0.95) ? pick(rules.methods) : pick(['wechat', 'alipay', 'bank', 'offline'] as const);
  const fee = withdrawalFee(amount, rules.feeBps);
  const d = dists.get(who);
  const today = withdrawals.filter((x) => x.distributorId === who && x.day === day && x.status !== 'rejected' && x.status !== 'failed').reduce((n, x) => n + x.amount, 0);
  const expected = !rules.methods.includes(method) ? 'WITHDRAWAL_METHOD_DISABLED'
    : amount < minimum || amount - fee <= 0 ? 'WITHDRAWAL_BELOW_MINIMUM'
    : !d ? 'NOT_DISTRIBUTOR'
    : today + amount > rules.dailyMax ? 'WITHDRAWAL_DAILY_LIMIT'
    : amount > available ? 'INSUFFICIENT_BALANCE'
    : null;
  const got = await attempt(requestWithdrawal(f.db, who, { amount, method, account: { name: name(who) } }, settings, day, now));
  const value = expectOutcome(`withdraw ${amount} by ${name(who)} (available ${available})`, got, expected);
  if (value) {
    if (value.fee !== fee || value.net !== amount - fee) fail(`withdrawal fee ${value.fee}/net ${value.net}, expected ${fee}/${amount - fee}`);
    withdrawals.push({ id: value.id, distributorId: who, amount, fee, status: 'pending', day });
    w!.available -= amount;
    w!.reserved += amount;
  }
  return { text: `withdraw ${amount} (${method}) by ${name(who)}, available ${available} → ${got.ok ? 'reserved' : got.code}`, refused: !got.ok };
};

function pickWithdrawal(preferred: MWithdrawal['status'][]) {
  const candidates = withdrawals.filter((x) => preferred.includes(x.status));
  if (candidates.length && chance(0.9)) return pick(candidates);
  return withdrawals.length ? pick(withdrawals) : null;
}

const approveEvent: Event = async () => {
  const x = pickWithdrawal(['pending']);
  if (!x) return { text: 'approve: no withdrawal', refused: true };
  const ok = x.status === 'pending';
  expectOutcome(`approve ${x.id}`, await attempt(approveWithdrawal(f.db, x.id, 'staff-1', f.now())), ok ? null : 'WITHDRAWAL_STATE');
  if (ok) x.status = 'approved';
  return { text: `approve withdrawal ${x.id} → ${ok ? 'approved' : 'refused'}`, refused: !ok };
};

const rejectEvent: Event = async () => {
  const x = pickWithdrawal(['pending']);
  if (!x) return { text: 'reject: no withdrawal', refused: true };
  const ok = x.status === 'pending';
  expectOutcome(`reject ${x.id}`, await attempt(rejectWithdrawal(f.db, x.id, 'staff-1', '资料不全', f.now())), ok ? null : 'WITHDRAWAL_STATE');
  if (ok) {
    x.status = 'rejected';
    const w = wallet(x.distributorId);
    w.reserved -= x.amount;
    giveBack(w, x.amount);
  }
  return { text: `reject withdrawal ${x.id} (${x.amount}) → ${ok ? 'rejected' : 'refused'}`, refused: !ok };
};

const startPayoutEvent: Event = async () => {
  const x = pickWithdrawal(['approved']);
  if (!x) return { text: 'start payout: no withdrawal', refused: true };
  const ok = x.status === 'approved';
  expectOutcome(`start payout ${x.id}`, await attempt(startPayout(f.db, x.id, f.now())), ok ? null : 'WITHDRAWAL_STATE');
  if (ok) x.status = 'paying';
  return { text: `start payout ${x.id} → ${ok ? 'paying' : 'refused'}`, refused: !ok };
};

async function payoutResult(x: MWithdrawal, outcome: 'paid' | 'failed'): Promise<EventResult> {
  const got = await attempt(outcome === 'paid' ? markWithdrawalPaid(f.db, x.id, `pay-${x.id}`, f.now()) : markWithdrawalFailed(f.db, x.id, '账户异常', f.now()));
  const duplicate = x.status === outcome;
  const ok = x.status === 'approved' || x.status === 'paying';
  const value = expectOutcome(`payout ${outcome} ${x.id} (${x.status})`, got, duplicate || ok ? null : 'WITHDRAWAL_STATE');
  if (value !== undefined && value !== (duplicate ? 'duplicate' : outcome)) fail(`payout ${outcome} ${x.id} returned ${value}`);
  const before = x.status;
  if (ok) {
    const w = wallet(x.distributorId);
    w.reserved -= x.amount;
    if (outcome === 'paid') w.withdrawn += x.amount;
    else giveBack(w, x.amount);
    x.status = outcome;
  }
  return { text: `payout ${outcome} ${x.id} (${before}, ${x.amount}) → ${got.ok ? got.value : got.code}`, refused: !ok && !duplicate };
}

const paidEvent: Event = async () => { const x = pickWithdrawal(['approved', 'paying']); return x ? payoutResult(x, 'paid') : { text: 'paid: none', refused: true }; };
const failedEvent: Event = async () => { const x = pickWithdrawal(['approved', 'paying']); return x ? payoutResult(x, 'failed') : { text: 'failed: none', refused: true }; };
/** A payment provider calling back twice with the same result. */
const duplicateCallbackEvent: Event = async () => {
  const x = pickWithdrawal(['paid', 'failed']);
  if (!x) return { text: 'duplicate callback: none', refused: true };
  const same = x.status === 'paid' || x.status === 'failed' ? x.status : chance(0.5) ? 'paid' : 'failed';
  return payoutResult(x, chance(0.85) ? same : same === 'paid' ? 'failed' : 'paid');
};

const payoutBatchEvent: Event = async () => {
  const chosen = [...dists.keys()].filter(() => chance(0.3));
  const expected = chosen.filter((id) => wallet(id).available > 0);
  const total = expected.reduce((n, id) => n + wallet(id).available, 0);
  const make = () => createPayoutBatch(f.db, { title: '周结打款', method: 'offline', distributorIds: chosen, staffId: 'staff-1' }, f.now());
  if (expected.length === 0) {
    await expect(make(), 'an empty payout batch').rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    return { text: `payout batch of ${chosen.length} distributors → nothing to pay, refused` };
  }
  const batch = await make();
  expect({ items: batch.items, amount: batch.amount }, 'payout batch').toEqual({ items: expected.length, amount: total });
  const items = await f.db.execute({ sql: `SELECT id, distributor_id FROM withdrawals WHERE batch_id = ?`, args: [batch.id] });
  const itemOf = new Map(items.rows.map((r) => [String(r.distributor_id), String(r.id)]));
  for (const id of expected) {
    const w = wallet(id);
    withdrawals.push({ id: itemOf.get(id)!, distributorId: id, amount: w.available, fee: 0, status: 'approved', day: '' });
    w.reserved += w.available;
    w.available = 0;
  }
  return { text: `payout batch of ${chosen.length} distributors → ${batch.items} items, ${batch.amount}` };
};

const toggleDistributorEvent: Event = async () => {
  const d = distributor(pick([...dists.keys()]));
  const disable = d.status === 'active' ? chance(0.85) : chance(0.15);
  const ok = disable ? d.status === 'active' : d.status === 'disabled';
  const got = await attempt((disable ? disableDistributor : enableDistributor)(f.db, d.id, f.now()));
  expectOutcome(`${disable ? 'disable' : 'enable'} ${d.name}`, got, ok ? null : 'DISTRIBUTOR_STATE');
  if (ok) d.status = disable ? 'disabled' : 'active';
  return { text: `${disable ? 'disable' : 'enable'} ${d.name} → ${ok ? d.status : 'refused'}`, refused: !ok };
};

const bindEvent: Event = async () => {
  const member = chance(0.85) ? pick(buyers) : pick([...dists.keys()]);
  const target = distributor(pick([...dists.keys()]));
  const source: BindSource = pick(['link', 'code', 'register'] as const);
  const now = f.now();
  const current = currentBinding(member, now);
  const own = dists.get(member);
  let expected: string | null = null;
  let outcome: string | null = null;
  if (target.status !== 'active') expected = 'INVITE_CODE_INVALID';
  else if (target.id === member) expected = 'BINDING_SELF';
  else if (own) outcome = 'ignored';
  else if (current === target.id) outcome = 'kept';
  else if (current && settings.binding.mode !== 'latest') outcome = 'kept';
  else if (settings.binding.mode === 'on_register' && source !== 'register') outcome = 'ignored';
  else outcome = current ? 'rebound' : 'bound';
  const got = await attempt(f.bind(member, target.id, source));
  const value = expectOutcome(`bind ${name(member)} to ${target.name}`, got, expected);
  if (value !== undefined && value !== outcome) fail(`bind ${name(member)} to ${target.name} returned ${value}, expected ${outcome}`);
  if (outcome === 'bound' || outcome === 'rebound') {
    bindings.set(member, { distributorId: target.id, expiresAt: settings.binding.expiryDays ? now + settings.binding.expiryDays * DAY : null });
  }
  return { text: `bind ${name(member)} → ${target.name} (${source}, ${settings.binding.mode}) → ${got.ok ? got.value : got.code}`, refused: !got.ok };
};

const settingsEvent: Event = async () => {
  const changes: (() => Partial<DistributionSettings>)[] = [
    () => ({ selfPurchase: !settings.selfPurchase }),
    () => ({ levels: settings.levels === 3 ? 2 : 3 }),
    () => {
      const capBps = pick([3000, 2500, 2000]);
      const rules: CommissionRule[] = [
        { mode: 'bps', levels: [1000, 500, 200] }, { mode: 'bps', levels: [800, 400, 100] }, { mode: 'bps', levels: [1500, 700, 300] },
        { mode: 'bps', levels: [333, 222, 111] }, { mode: 'fixed', levels: [800, 300, 100] },
      ];
      return { capBps, defaultRule: pick(rules.filter((r) => r.mode === 'fixed' || r.levels.reduce((a, b) => a + b, 0) <= capBps)) };
    },
    () => ({ binding: { mode: pick(['first_touch', 'latest', 'on_register'] as const), expiryDays: pick([null, 30, 3]) } }),
    () => ({ freezeDays: pick([0, 3, 7, 15]) }),
    () => ({ settlement: { period: pick(['weekly', 'monthly'] as const) } }),
    () => {
      const minimum = pick([1, 100, 1000]);
      return { withdrawal: { minimum, dailyMax: pick([50_000, 200_000, 1_000_000]), feeBps: pick([0, 60, 2000]), methods: pick([['wechat', 'alipay', 'offline'], ['offline'], ['bank', 'wechat']] as PayoutMethod[][]) } };
    },
  ];
  const patch = pick(changes)();
  await setSettings(patch);
  return { text: `settings ${JSON.stringify(patch)}` };
};

const overrideEvent: Event = async () => {
  const product = chance(0.5);
  const rule = product
    ? pick<CommissionRule | null>([null, { mode: 'fixed', levels: [1500, 800, 600] }, { mode: 'bps', levels: [2000] }, { mode: 'bps', levels: [600, 300, 100] }])
    : pick<CommissionRule | null>([null, { mode: 'bps', levels: [1200, 700] }, { mode: 'fixed', levels: [300, 200, 100] }]);
  const scope = product ? 'product' : 'category';
  const target = product ? f.productId : f.categoryId;
  if (rule) {
    await f.db.execute({ sql: `INSERT INTO commission_overrides (scope, target_id, rule, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (scope, target_id) DO UPDATE SET rule = excluded.rule, updated_at = excluded.updated_at`, args: [scope, target, JSON.stringify(rule), f.now()] });
  } else {
    await f.db.execute({ sql: `DELETE FROM commission_overrides WHERE scope = ? AND target_id = ?`, args: [scope, target] });
  }
  if (product) productRule = rule; else categoryRule = rule;
  return { text: `${scope} rule ${JSON.stringify(rule)}` };
};

const events: [string, number, Event][] = [
  ['place', 22, placeEvent],
  ['pay', 14, payEvent],
  ['cancel', 4, cancelEvent],
  ['ship', 9, shipEvent],
  ['receive', 5, receiveEvent],
  ['clock', 7, clockEvent],
  ['settle', 3, settleEvent],
  ['refund.partial', 5, refundEvent('partial')],
  ['refund.full', 3, refundEvent('full')],
  ['refund.late', 2, lateRefundEvent],
  ['withdraw', 9, withdrawEvent],
  ['withdraw.approve', 3.5, approveEvent],
  ['withdraw.reject', 2, rejectEvent],
  ['payout.start', 1, startPayoutEvent],
  ['payout.paid', 3, paidEvent],
  ['payout.failed', 1.5, failedEvent],
  ['payout.duplicate', 1.5, duplicateCallbackEvent],
  ['payout.batch', 0.5, payoutBatchEvent],
  ['distributor.toggle', 1.5, toggleDistributorEvent],
  ['bind', 2, bindEvent],
  ['settings', 1.5, settingsEvent],
  ['override', 0.5, overrideEvent],
];
const totalWeight = events.reduce((n, [, w]) => n + w, 0);
function pickEvent() {
  let r = rand() * totalWeight;
  for (const e of events) { r -= e[1]; if (r < 0) return e; }
  return events[events.length - 1]!;
}

// ─── Checks ─────────────────────────────────────────────────────────────────────────────────

const names = new Map<string, string>();
const name = (id: string) => names.get(id) ?? id;

const timing = { events: 0, ledger: 0, model: 0 };
let changes: () => Promise<LedgerScope>;

/**
 * After every event: the ledger's invariants over every wallet, order and line the event's writes
 * touched (exact, see trackLedgerChanges; a full check runs every 500 events and at the end as
 * well), then the whole model against the database.
 */
async function check(touched: readonly MOrder[], full: boolean) {
  let t0 = performance.now();
  const scope = await changes();
  const violations = await ledgerViolations(f.db, scope);
  if (full) {
    const all = await ledgerViolations(f.db);
    if (all.length && !violations.length) fail(`the full check found what the incremental one missed:\n  ${all.join('\n  ')}`);
  }
  timing.ledger += performance.now() - t0;
  t0 = performance.now();
  if (violations.length) fail(`ledger violations:\n  ${violations.join('\n  ')}`);
  const [ws, ds] = await f.db.batch([
    `SELECT distributor_id, pending, frozen, available, reserved, withdrawn, debt FROM wallets`,
    `SELECT member_id, status, grade_rank, direct_count, team_l2_count, team_l3_count, own_sales, team_sales, own_orders FROM distributors`,
  ], 'read');
  if (ws!.rows.length !== wallets.size) fail(`${ws!.rows.length} wallets, the model has ${wallets.size}`);
  const openOf = new Map<string, number>();
  const paidOf = new Map<string, number>();
  for (const x of withdrawals) {
    if (x.status === 'pending' || x.status === 'approved' || x.status === 'paying') openOf.set(x.distributorId, (openOf.get(x.distributorId) ?? 0) + x.amount);
    else if (x.status === 'paid') paidOf.set(x.distributorId, (paidOf.get(x.distributorId) ?? 0) + x.amount);
  }
  for (const r of ws!.rows) {
    const id = String(r.distributor_id);
    const m = wallet(id);
    const db = { pending: Number(r.pending), frozen: Number(r.frozen), available: Number(r.available), reserved: Number(r.reserved), withdrawn: Number(r.withdrawn), debt: Number(r.debt) };
    if (JSON.stringify(db) !== JSON.stringify(m)) fail(`wallet of ${name(id)} is ${JSON.stringify(db)}, the model says ${JSON.stringify(m)}`);
    // What the distributor holds in all buckets is exactly what they earned (net of refunds).
    if (db.pending + db.frozen + db.available + db.reserved + db.withdrawn - db.debt !== (earned.get(id) ?? 0)) fail(`wallet of ${name(id)} does not add up to the ${earned.get(id)} earned`);
    const open = openOf.get(id) ?? 0;
    const out = paidOf.get(id) ?? 0;
    if (db.reserved !== open || db.withdrawn !== out) fail(`${name(id)}: reserved ${db.reserved}/withdrawn ${db.withdrawn}, open withdrawals ${open}/paid ${out}`);
    if (Object.values(db).some((v) => v < 0)) fail(`negative bucket for ${name(id)}`);
  }
  for (const r of ds!.rows) {
    const d = distributor(String(r.member_id));
    const db = [r.status, r.grade_rank, r.direct_count, r.team_l2_count, r.team_l3_count, r.own_sales, r.team_sales, r.own_orders].map((v) => (typeof v === 'string' ? v : Number(v)));
    const m = [d.status, d.gradeRank, d.direct, d.l2, d.l3, d.ownSales, d.teamSales, d.ownOrders];
    if (JSON.stringify(db) !== JSON.stringify(m)) fail(`distributor ${d.name} is ${JSON.stringify(db)}, the model says ${JSON.stringify(m)} (status, grade, direct, l2, l3, own sales, team sales, own orders)`);
  }
  for (const o of touched) await checkOrder(o);
  timing.model += performance.now() - t0;
}

async function checkOrder(o: MOrder) {
  const rs = await f.db.execute({ sql: `SELECT c.order_line_id, c.level, c.distributor_id, c.base, c.rate_mode, c.rate, c.amount, c.reversed, c.status, c.settle_after, o.status AS order_status
    FROM orders o LEFT JOIN commissions c ON c.order_id = o.id WHERE o.id = ? ORDER BY c.order_line_id, c.level`, args: [o.id] });
  if (String(rs.rows[0]?.order_status) !== o.status) fail(`order ${o.id} is ${rs.rows[0]?.order_status}, the model says ${o.status}`);
  const db = rs.rows.filter((r) => r.order_line_id !== null).map((r) => `${r.order_line_id}|${r.level}|${name(String(r.distributor_id))}|${r.base}|${r.rate_mode}|${r.rate}|${r.amount}|${r.reversed}|${r.status}|${r.settle_after}`);
  const model = [...o.commissions].sort((a, b) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : a.level - b.level))
    .map((c) => `${c.lineId}|${c.level}|${name(c.distributorId)}|${c.base}|${c.mode}|${c.rate}|${c.amount}|${c.reversed}|${c.status}|${c.settleAfter}`);
  if (db.join('\n') !== model.join('\n')) expect(db, `commissions of order ${o.id}`).toEqual(model);
  for (const l of o.lines) {
    const total = o.commissions.filter((c) => c.lineId === l.id).reduce((n, c) => n + c.amount, 0);
    if (total > lineCaps.get(l.id)!) fail(`line ${l.id} pays ${total}, over its cap ${lineCaps.get(l.id)}`);
  }
}

/** The whole database against the model, once at the end. */
async function finalCheck() {
  for (const o of orders) await checkOrder(o);
  const lines = await f.db.execute(`SELECT id, refunded_amount FROM order_lines`);
  const refunded = new Map(orders.flatMap((o) => o.lines.map((l) => [l.id, l.refunded] as const)));
  for (const r of lines.rows) if (refunded.get(String(r.id)) !== Number(r.refunded_amount)) fail(`line ${r.id} refunded ${r.refunded_amount}, model ${refunded.get(String(r.id))}`);
  const ws = await f.db.execute(`SELECT id, distributor_id, amount, fee, net, status FROM withdrawals`);
  expect(ws.rows.length, 'withdrawals').toBe(withdrawals.length);
  for (const r of ws.rows) {
    const x = withdrawals.find((w) => w.id === r.id);
    if (!x || x.status !== r.status || x.amount !== Number(r.amount) || x.fee !== Number(r.fee) || Number(r.net) !== x.amount - x.fee) fail(`withdrawal ${r.id} is ${JSON.stringify(r)}, model ${JSON.stringify(x)}`);
  }
  const leaked = await f.db.execute(`SELECT count(*) AS n FROM wallet_entries e JOIN orders o ON o.id = e.ref WHERE o.status IN ('cancelled', 'closed')`);
  expect(Number(leaked.rows[0]!.n), 'wallet entries of cancelled orders').toBe(0);
  const uncancelled = await f.db.execute(`SELECT count(*) AS n FROM commissions c JOIN orders o ON o.id = c.order_id WHERE o.status IN ('cancelled', 'closed') AND c.status <> 'cancelled'`);
  expect(Number(uncancelled.rows[0]!.n), 'live commissions of cancelled orders').toBe(0);
  const overCap = await f.db.execute(`SELECT l.id, l.paid_amount, sum(c.amount) AS total FROM commissions c JOIN order_lines l ON l.id = c.order_line_id GROUP BY l.id`);
  for (const r of overCap.rows) if (Number(r.total) > lineCaps.get(String(r.id))!) fail(`line ${r.id} pays ${r.total} over its cap`);
}

// ─── The run ────────────────────────────────────────────────────────────────────────────────

async function setup() {
  settings = assertCompliant({
    ...defaultDistributionSettings,
    freezeDays: 7,
    withdrawal: { minimum: 100, dailyMax: 200_000, feeBps: 60, methods: ['wechat', 'alipay', 'offline'] },
  });
  f = await createShopFixture(settings);
  changes = await trackLedgerChanges(f.db);
  await f.db.batch(grades.map((g) => ({
    sql: `INSERT INTO distributor_grades (id, name, rank, rates, min_sales, min_team, min_direct, match, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [g.id, g.name, g.rank, g.rates ? JSON.stringify(g.rates) : null, g.minSales, g.minTeam, g.minDirect, g.match, f.now(), f.now()],
  })), 'write');

  // 15 distributors: two roots, a chain five deep, the rest recruited by random earlier ones.
  const order: string[] = [];
  const recruit = async (label: string, parent: string | null) => {
    const id = await f.addDistributor(label, parent ?? undefined);
    names.set(id, label);
    const p = parent ? distributor(parent) : null;
    const d: MDistributor = { id, name: label, parent, gp: p?.parent ?? null, ggp: p?.gp ?? null, status: 'active', direct: 0, l2: 0, l3: 0, ownSales: 0, teamSales: 0, ownOrders: 0, gradeRank: 0, gradeRates: null };
    dists.set(id, d);
    wallets.set(id, { pending: 0, frozen: 0, available: 0, reserved: 0, withdrawn: 0, debt: 0 });
    if (parent) bindings.set(id, { distributorId: parent, expiresAt: null });
    for (const [ancestor, bump] of [[d.parent, 'direct'], [d.gp, 'l2'], [d.ggp, 'l3']] as const) if (ancestor) distributor(ancestor)[bump] += 1;
    for (const ancestor of [d.parent, d.gp, d.ggp]) if (ancestor) upgrade(distributor(ancestor));
    order.push(id);
    return id;
  };
  const r0 = await recruit('D0', null);
  await recruit('D1', null);
  let up = r0;
  for (let i = 2; i <= 5; i++) up = await recruit(`D${i}`, up);
  for (let i = 6; i < 15; i++) await recruit(`D${i}`, pick(order));

  // 20 buyers, most bound to a random distributor.
  for (let i = 0; i < 20; i++) {
    const id = await f.addMember(`B${i}`);
    names.set(id, `B${i}`);
    buyers.push(id);
    if (i < 17) {
      const d = pick(order);
      expect(await f.bind(id, d)).toBe('bound');
      bindings.set(id, { distributorId: d, expiresAt: null });
    }
  }
  const tree = await f.db.execute(`SELECT member_id, parent_id, grandparent_id, great_grandparent_id FROM distributors`);
  for (const r of tree.rows) {
    const d = distributor(String(r.member_id));
    expect([r.parent_id, r.grandparent_id, r.great_grandparent_id], `upline of ${d.name}`).toEqual([d.parent, d.gp, d.ggp]);
  }
  await check([], true);
}

afterAll(async () => { await f?.close(); });

it(`keeps the commission ledger consistent over ${EVENTS} random events (seed ${SEED}; replay with TUIKE_SIM_SEED=${SEED})`, async () => {
  const started = Date.now();
  await setup();
  const recent: string[] = [];
  for (let step = 1; step <= EVENTS; step++) {
    const [kind, , run] = pickEvent();
    let result: EventResult | undefined;
    try {
      const t0 = performance.now();
      result = await run();
      timing.events += performance.now() - t0;
      recent.push(`#${step} ${result.text}`);
      if (recent.length > 25) recent.shift();
      await check(result.touched ?? [], step % 500 === 0);
    } catch (e) {
      if (!result) recent.push(`#${step} ${kind} (threw)`);
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`simulation seed ${SEED} failed at event ${step} of ${EVENTS} (${kind}): ${message}\nreplay: TUIKE_SIM_SEED=${SEED} npx vitest run packages/distribution/src/simulation.test.ts\nlast events:\n  ${recent.join('\n  ')}`, { cause: e });
    }
    const s = stats.get(kind) ?? { ran: 0, refused: 0 };
    if (result.refused) s.refused++; else s.ran++;
    stats.set(kind, s);
  }
  await finalCheck();
  const violations = await ledgerViolations(f.db);
  expect(violations).toEqual([]);

  // The run must have exercised what it claims to.
  const count = async (sql: string) => Number((await f.db.execute(sql)).rows[0]!.n);
  const coverage = {
    paidOrders: await count(`SELECT count(*) AS n FROM orders WHERE paid_at IS NOT NULL`),
    settled: await count(`SELECT count(*) AS n FROM commissions WHERE status = 'settled'`),
    reversed: await count(`SELECT count(*) AS n FROM commissions WHERE reversed > 0`),
    reversedAfterSettlement: await count(`SELECT count(*) AS n FROM commissions WHERE reversed > 0 AND status = 'settled'`),
    debts: await count(`SELECT count(*) AS n FROM wallet_entries WHERE debt > 0`),
    debtPaidBySettlement: await count(`SELECT count(*) AS n FROM wallet_entries WHERE debt < 0 AND kind = 'commission.settled'`),
    paidWithdrawals: await count(`SELECT count(*) AS n FROM withdrawals WHERE status = 'paid'`),
    clamped: await count(`SELECT count(*) AS n FROM (SELECT l.id FROM commissions c JOIN order_lines l ON l.id = c.order_line_id GROUP BY l.id HAVING sum(c.amount) < sum(CASE WHEN c.rate_mode = 'fixed' THEN c.rate * l.quantity ELSE c.base * c.rate / 10000 END))`),
    upgraded: await count(`SELECT count(*) AS n FROM distributors WHERE grade_rank >= 2`),
  };
  const refused = [...stats.values()].reduce((n, s) => n + s.refused, 0);
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`0 violations in ${EVENTS} events (seed ${SEED}) in ${secs(Date.now() - started)} (events ${secs(timing.events)}, ledger checks ${secs(timing.ledger)}, model checks ${secs(timing.model)}); ${orders.length} orders, ${withdrawals.length} withdrawals, ${refused} events refused as expected\n` +
    `  events (done/refused): ${[...stats].map(([k, s]) => `${k} ${s.ran}/${s.refused}`).join(', ')}\n` +
    `  refusals: ${[...refusals].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}\n  coverage ${JSON.stringify(coverage)}`);
  if (EVENTS >= 10_000) {
    for (const [k, v] of Object.entries(coverage)) expect(v, `coverage: ${k}`).toBeGreaterThan(0);
  }
}, 600_000);

it('the per-event (incremental) ledger check catches every corruption the full check catches', async () => {
  const g = await createShopFixture();
  try {
    const changed = await trackLedgerChanges(g.db);
    const a = await g.addDistributor('A');
    const b = await g.addDistributor('B', a);
    const buyer = await g.addMember('buyer');
    await g.bind(buyer, b);
    const placed = await g.place(buyer, [{ skuId: g.skuIds[1]!, quantity: 2 }]);
    await g.pay(placed.intentId, 24_690);
    expect(await ledgerViolations(g.db, await changed())).toEqual([]);
    const order = placed.orderId;
    const corruptions: [string, string, string, RegExp][] = [
      ['an entry no wallet counted', `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, pending, created_at) VALUES ('t', 't', '${a}', 'tamper', 'x', 5, 0)`, `DELETE FROM wallet_entries WHERE id = 't'`, /differs from its ledger/],
      ['a wallet edited', `UPDATE wallets SET available = available + 7 WHERE distributor_id = '${b}'`, `UPDATE wallets SET available = available - 7 WHERE distributor_id = '${b}'`, /differs from its ledger/],
      ['a commission grown', `UPDATE commissions SET amount = amount + 1 WHERE order_id = '${order}' AND level = 2`, `UPDATE commissions SET amount = amount - 1 WHERE order_id = '${order}' AND level = 2`, /pending of .* commissions say/],
      ['a refund without reversal', `UPDATE order_lines SET refunded_amount = 12345 WHERE order_id = '${order}'`, `UPDATE order_lines SET refunded_amount = 0 WHERE order_id = '${order}'`, /does not match what is still paid/],
      ['an order back to unpaid', `UPDATE orders SET status = 'pending_payment' WHERE id = '${order}'`, `UPDATE orders SET status = 'paid' WHERE id = '${order}'`, /out of step with its order/],
    ];
    for (const [what, corrupt, undo, why] of corruptions) {
      await g.db.execute(corrupt);
      const incremental = await ledgerViolations(g.db, await changed());
      const full = await ledgerViolations(g.db);
      expect(incremental, what).toEqual(full);
      expect(incremental.join('\n'), what).toMatch(why);
      await g.db.execute(undo);
      expect(await ledgerViolations(g.db, await changed()), `after undoing ${what}`).toEqual([]);
    }
  } finally {
    await g.close();
  }
});
