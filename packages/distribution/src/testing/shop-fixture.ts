import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type InStatement } from '@libsql/client';
import { newId } from '@tuike/core';
import { migrations } from '@tuike/db-tenant';
import { migrate, withWriteQueue, type QueuedClient } from '@tuike/db-runtime';
import {
  advanceDueOrders, applyPayment, approveAfterSale, loadCheckoutContext, loadSkus, normalizeLines, placeOrder, priceCheckout,
  releaseUnpaid, requestAfterSale, shipOrder, receiveOrder, type RequestedLine,
} from '@tuike/orders';
import { applyForDistributor, approveDistributor, bindMember, type BindSource } from '../distributors';
import { commissionAttachment, commissionRuleColumns, ledgerHooks, loadDistributionContext, saleContextColumns } from '../order-hooks';
import { defaultDistributionSettings, type DistributionSettings } from '../settings';
import { settleClosedPeriod } from '../settlement';
import type { CommissionAdjuster } from '../commission-rules';

/**
 * A real shop database (libSQL file, every tenant migration) with a catalog, driven through the
 * same order and distribution functions the API calls. Tests of distribution run on it.
 */
export async function createShopFixture(settings: Partial<DistributionSettings> = {}, start = Date.UTC(2026, 10, 2, 2)) {
  // In memory-backed /dev/shm when there is one: a test shop needs no fsync (each costs ms on disk).
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'tuike-dist-'));
  const db: QueuedClient = withWriteQueue(createClient({ url: `file:${join(dir, 'shop.db')}`, timeout: 10_000 }));
  await db.execute('PRAGMA journal_mode=WAL');
  await migrate(db, migrations);
  let clock = start;
  const now = () => clock;
  const full = { ...defaultDistributionSettings, ...settings };
  const categoryId = newId();
  const productId = newId();
  const skuIds = [newId(), newId(), newId()];
  const prices = [9900, 12345, 50000];
  await db.batch([
    { sql: `INSERT INTO settings (key, value, updated_at) VALUES ('distribution', ?, ?), ('timezone', '"Asia/Shanghai"', ?), ('shipping', '{"mode":"flat","fee":0,"freeThreshold":0}', ?)`, args: [JSON.stringify(full), clock, clock, clock] },
    { sql: `INSERT INTO categories (id, name, created_at, updated_at) VALUES (?, '茶', ?, ?)`, args: [categoryId, clock, clock] },
    { sql: `INSERT INTO products (id, category_id, title, images, attributes, specs, price_min, price_max, status, created_at, updated_at) VALUES (?, ?, '龙井', '[]', '{}', '[]', 9900, 50000, 'on', ?, ?)`, args: [productId, categoryId, clock, clock] },
    ...skuIds.map((id, i): InStatement => ({ sql: `INSERT INTO skus (id, product_id, spec_key, specs, price, stock, created_at, updated_at) VALUES (?, ?, ?, '{}', ?, 100000000, ?, ?)`, args: [id, productId, `k${i}`, prices[i]!, clock, clock] })),
  ], 'write');

  async function addMember(name: string) {
    const id = newId();
    await db.execute({ sql: `INSERT INTO members (id, username, nickname, channel, created_at, updated_at) VALUES (?, ?, ?, 'h5', ?, ?)`, args: [id, name, name, clock, clock] });
    return id;
  }

  async function inviteCodeOf(memberId: string) {
    const rs = await db.execute({ sql: `SELECT invite_code FROM distributors WHERE member_id = ?`, args: [memberId] });
    return String(rs.rows[0]!.invite_code);
  }

  const ctx = () => loadDistributionContext(db);

  const fixture = {
    db, dir, productId, categoryId, skuIds, prices, now,
    advance(ms: number) { clock += ms; },
    setClock(at: number) { clock = at; },
    addMember,
    inviteCodeOf,
    async bind(memberId: string, distributorId: string, source: BindSource = 'link') {
      return bindMember(db, memberId, await inviteCodeOf(distributorId), source, (await ctx()).settings, clock);
    },
    /** A member who becomes an active distributor, recruited by `parent` when given. */
    async addDistributor(name: string, parent?: string) {
      const id = await addMember(name);
      if (parent) await fixture.bind(id, parent);
      await applyForDistributor(db, id, { shopName: `${name}的小店`, note: '' }, { ...(await ctx()).settings, autoApprove: false }, clock);
      await approveDistributor(db, id, clock);
      return id;
    },
    /** Places an order exactly as checkout does: two reads, one batch. */
    async place(memberId: string, items: RequestedLine[], adjusters: CommissionAdjuster[] = []) {
      const lines = normalizeLines(items);
      const [skus, context] = await Promise.all([
        loadSkus(db, lines.map((l) => l.skuId), commissionRuleColumns),
        loadCheckoutContext(db, memberId, null, saleContextColumns(memberId, clock)),
      ]);
      const priced = priceCheckout(lines, skus, context.shipping);
      const placed = await placeOrder(db, { memberId, channel: 'h5', clientKey: newId(), remark: '', address: { name: 'x' }, fromCart: false, provider: 'sandbox' },
        priced, clock, context.orderTimeoutMs, commissionAttachment(context.extra, skus, memberId, clock, adjusters));
      return placed;
    },
    async pay(intentId: string, amount: number, externalId = `tx-${intentId}`) {
      return applyPayment(db, { intentId, externalId, amount, provider: 'sandbox' }, clock, ledgerHooks(await ctx(), clock).paid(intentId));
    },
    async cancel(orderId: string) {
      await releaseUnpaid(db, orderId, 'cancelled', clock, { extra: ledgerHooks(await ctx(), clock).released(orderId) });
    },
    async ship(orderId: string) { await shipOrder(db, orderId, 'SF', `SF${orderId.slice(-8).replace(/[^A-Za-z0-9]/g, '0')}`, clock); },
    async receive(orderId: string, memberId: string) { await receiveOrder(db, orderId, memberId, clock); },
    /** The sweeper's completion step, with the commission freeze riding in its batch. */
    async advance_orders() {
      return advanceDueOrders(db, clock, undefined, ledgerHooks(await ctx(), clock).completed());
    },
    async refund(orderId: string, memberId: string, lines: { lineId: string; quantity: number; amount: number }[]) {
      const sale = await requestAfterSale(db, memberId, orderId, { kind: 'refund', reason: 'test', images: [], lines }, clock);
      const hooks = ledgerHooks(await ctx(), clock);
      await approveAfterSale(db, sale.id, async ({ refundId }) => ({ externalId: `rf-${refundId}` }), clock, [], hooks.refunded);
      return sale;
    },
    async settle() { return settleClosedPeriod(db, await ctx(), clock); },
    async setSettings(patch: Partial<DistributionSettings>) {
      const next = { ...(await ctx()).settings, ...patch };
      await db.execute({ sql: `UPDATE settings SET value = ? WHERE key = 'distribution'`, args: [JSON.stringify(next)] });
    },
    async wallet(distributorId: string) {
      const rs = await db.execute({ sql: `SELECT pending, frozen, available, reserved, withdrawn, debt FROM wallets WHERE distributor_id = ?`, args: [distributorId] });
      const r = rs.rows[0]!;
      return { pending: Number(r.pending), frozen: Number(r.frozen), available: Number(r.available), reserved: Number(r.reserved), withdrawn: Number(r.withdrawn), debt: Number(r.debt) };
    },
    async commissionsOf(orderId: string) {
      const rs = await db.execute({ sql: `SELECT distributor_id, level, base, amount, reversed, status FROM commissions WHERE order_id = ? ORDER BY level`, args: [orderId] });
      return rs.rows.map((r) => ({ distributorId: String(r.distributor_id), level: Number(r.level), base: Number(r.base), amount: Number(r.amount), reversed: Number(r.reversed), status: String(r.status) }));
    },
    async linesOf(orderId: string) {
      const rs = await db.execute({ sql: `SELECT id, quantity, paid_amount, refunded_amount FROM order_lines WHERE order_id = ? ORDER BY id`, args: [orderId] });
      return rs.rows.map((r) => ({ lineId: String(r.id), quantity: Number(r.quantity), paidAmount: Number(r.paid_amount), refunded: Number(r.refunded_amount) }));
    },
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

export type ShopFixture = Awaited<ReturnType<typeof createShopFixture>>;

/** What a set of writes touched: the scope of an incremental `ledgerViolations` check. */
export interface LedgerScope { distributors: string[]; orders: string[]; lines: string[] }

/**
 * Change tracking for checking the invariants after every step of a long run (the randomized
 * simulation): triggers in this test database note each distributor, order and order line whose
 * rows a write touched (wallets, wallet entries, commissions, order lines, orders). Every invariant
 * `ledgerViolations` checks is local to one wallet (its entries, its commissions) or to one
 * commission (its line, its order), so from a clean state checking what changed is the same as
 * checking everything, at a cost that does not grow with the history. Returns a function that
 * hands out (and forgets) what changed since its last call.
 */
export async function trackLedgerChanges(db: QueuedClient): Promise<() => Promise<LedgerScope>> {
  const note = (pairs: [string, string][]) => `INSERT OR IGNORE INTO test_ledger_changes (kind, id) VALUES ${pairs.map(([k, col]) => `('${k}', ${col})`).join(', ')};`;
  // Per table: what a row of it belongs to (d: distributor, o: order, l: order line).
  const watched: [string, (row: 'new' | 'old') => [string, string][]][] = [
    ['wallet_entries', (r) => [['d', `${r}.distributor_id`]]],
    ['wallets', (r) => [['d', `${r}.distributor_id`]]],
    ['commissions', (r) => [['d', `${r}.distributor_id`], ['o', `${r}.order_id`], ['l', `${r}.order_line_id`]]],
    ['order_lines', (r) => [['o', `${r}.order_id`], ['l', `${r}.id`]]],
    ['orders', (r) => [['o', `${r}.id`]]],
  ];
  await db.batch([
    `CREATE TABLE IF NOT EXISTS test_ledger_changes (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID`,
    ...watched.flatMap(([table, of]) => [
      `CREATE TRIGGER IF NOT EXISTS test_${table}_inserted AFTER INSERT ON ${table} BEGIN ${note(of('new'))} END`,
      `CREATE TRIGGER IF NOT EXISTS test_${table}_updated AFTER UPDATE ON ${table} BEGIN ${note([...of('old'), ...of('new')])} END`,
      `CREATE TRIGGER IF NOT EXISTS test_${table}_deleted AFTER DELETE ON ${table} BEGIN ${note(of('old'))} END`,
    ]),
    `DELETE FROM test_ledger_changes`,
  ], 'write');
  return async () => {
    const rs = await db.execute(`DELETE FROM test_ledger_changes RETURNING kind, id`);
    const of = (kind: string) => rs.rows.filter((r) => r.kind === kind && r.id !== null).map((r) => String(r.id));
    return { distributors: of('d'), orders: of('o'), lines: of('l') };
  };
}

/**
 * The ledger's invariants, as violations (empty when all hold). One read batch (one snapshot),
 * each table read once. With a scope (from `trackLedgerChanges`), only the wallets of those
 * distributors and the commissions of those orders and lines are checked, reached by index.
 */
export async function ledgerViolations(db: QueuedClient, scope?: LedgerScope): Promise<string[]> {
  const out: string[] = [];
  const list = (ids: string[]) => JSON.stringify(ids);
  // Scoped, each wallet check reads only the named distributors' rows.
  const ofDistributors = (col: string, keyword: 'WHERE' | 'AND') => (scope ? ` ${keyword} ${col} IN (SELECT value FROM json_each(?))` : '');
  const distributorArgs = scope ? [list(scope.distributors)] : [];
  const kept = `(CASE WHEN l.paid_amount = 0 THEN 0 ELSE c.amount * (l.paid_amount - l.refunded_amount) / l.paid_amount END)`;
  const wrongShare = `c.status IN ('pending', 'frozen', 'settled') AND c.amount - c.reversed <> ${kept}`;
  const outOfStep = `c.status <> 'cancelled' AND (c.status = 'awaiting_payment') <> (o.status = 'pending_payment')`;
  // Scoped to nothing, a check has nothing to look at (an event that was refused wrote nothing).
  const wallets = !scope || scope.distributors.length > 0;
  const commissions = !scope || scope.orders.length + scope.lines.length > 0;
  const statements: InStatement[] = [
    // Each wallet is the sum of its ledger entries.
    { sql: `SELECT w.distributor_id FROM wallets w
       LEFT JOIN (SELECT distributor_id, sum(pending) AS p, sum(frozen) AS f, sum(available) AS a, sum(reserved) AS r, sum(withdrawn) AS w, sum(debt) AS d
                  FROM wallet_entries${ofDistributors('distributor_id', 'WHERE')} GROUP BY distributor_id) e ON e.distributor_id = w.distributor_id
     WHERE (w.pending <> coalesce(e.p, 0) OR w.frozen <> coalesce(e.f, 0) OR w.available <> coalesce(e.a, 0)
        OR w.reserved <> coalesce(e.r, 0) OR w.withdrawn <> coalesce(e.w, 0) OR w.debt <> coalesce(e.d, 0))${ofDistributors('w.distributor_id', 'AND')}`,
      args: [...distributorArgs, ...distributorArgs] },
    // The buckets of each wallet against its commissions.
    { sql: `SELECT w.distributor_id, w.pending, w.frozen, w.available, w.reserved, w.withdrawn, w.debt,
            coalesce(c.cp, 0) AS cp, coalesce(c.cf, 0) AS cf, coalesce(c.cs, 0) AS cs
     FROM wallets w
       LEFT JOIN (SELECT distributor_id,
                         sum(CASE WHEN status = 'pending' THEN amount - reversed ELSE 0 END) AS cp,
                         sum(CASE WHEN status = 'frozen' THEN amount - reversed ELSE 0 END) AS cf,
                         sum(CASE WHEN status = 'settled' THEN amount - reversed ELSE 0 END) AS cs
                  FROM commissions${ofDistributors('distributor_id', 'WHERE')} GROUP BY distributor_id) c ON c.distributor_id = w.distributor_id${ofDistributors('w.distributor_id', 'WHERE')}`,
      args: [...distributorArgs, ...distributorArgs] },
    // No commission on refunded money: each keeps exactly its share of what is still paid.
    scope
      ? { sql: `SELECT c.id FROM json_each(?) ids CROSS JOIN commissions c ON c.order_id = ids.value JOIN order_lines l ON l.id = c.order_line_id WHERE ${wrongShare}
                UNION
                SELECT c.id FROM json_each(?) ids CROSS JOIN commissions c ON c.order_line_id = ids.value JOIN order_lines l ON l.id = c.order_line_id WHERE ${wrongShare}`,
          args: [list(scope.orders), list(scope.lines)] }
      : `SELECT c.id FROM commissions c JOIN order_lines l ON l.id = c.order_line_id WHERE ${wrongShare}`,
    // Commission awaits payment exactly while its order does (or was cancelled with it).
    scope
      ? { sql: `SELECT c.id FROM json_each(?) ids CROSS JOIN commissions c ON c.order_id = ids.value JOIN orders o ON o.id = c.order_id WHERE ${outOfStep}`, args: [list(scope.orders)] }
      : `SELECT c.id FROM commissions c JOIN orders o ON o.id = c.order_id WHERE c.status = 'awaiting_payment' AND o.status <> 'pending_payment'
         UNION ALL
         SELECT c.id FROM orders o JOIN commissions c ON c.order_id = o.id WHERE o.status = 'pending_payment' AND c.status NOT IN ('awaiting_payment', 'cancelled')`,
  ];
  const wanted = statements.filter((_, i) => (i < 2 ? wallets : commissions));
  if (wanted.length === 0) return out;
  const results = await db.batch(wanted, 'read');
  const none = { rows: [] as Record<string, unknown>[] };
  const [sums, buckets] = wallets ? [results[0]!, results[1]!] : [none, none];
  const [refunded, unpaid] = commissions ? [results.at(-2)!, results.at(-1)!] : [none, none];
  for (const r of sums.rows) out.push(`wallet ${r.distributor_id} differs from its ledger`);
  for (const r of buckets.rows) {
    if (Number(r.pending) !== Number(r.cp)) out.push(`pending of ${r.distributor_id} is ${r.pending}, commissions say ${r.cp}`);
    if (Number(r.frozen) !== Number(r.cf)) out.push(`frozen of ${r.distributor_id} is ${r.frozen}, commissions say ${r.cf}`);
    if (Number(r.available) + Number(r.reserved) + Number(r.withdrawn) - Number(r.debt) !== Number(r.cs)) out.push(`settled money of ${r.distributor_id} does not add up`);
    if (Number(r.available) < 0 || Number(r.debt) < 0 || Number(r.reserved) < 0) out.push(`negative balance for ${r.distributor_id}`);
    if (Number(r.debt) > 0 && Number(r.available) > 0) out.push(`${r.distributor_id} has debt and available money at once`);
  }
  for (const r of refunded.rows) out.push(`commission ${r.id} does not match what is still paid`);
  for (const r of unpaid.rows) out.push(`commission ${r.id} is out of step with its order`);
  return out;
}
