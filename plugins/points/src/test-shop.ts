/**
 * A shop database for the plugin's tests, used the way the platform will: the migrations applied
 * to a real libSQL file, then every statement the plugin runs goes through `createPluginDb` — so a
 * statement outside the `plg_points_` tables fails the test as it would fail in production.
 * Orders are placed through the platform's own hook pipeline and reservation planner, their
 * batch run against the same file. Only tests import this file.
 */
import { createClient, type Client } from '@libsql/client';
import {
  createCircuitBreaker, createPluginDb, planReservations, runPlaceOrderInterceptors, runPricingHooks,
  type InstalledPlugin, type PricingPipelineResult, type SqlExecutor, type SqlInStatement,
} from '@tuike/plugin-runtime';
import type { CartLine, EventName, EventPayloads, PluginContext, PluginDb, PluginDefinition, PluginEvent, PluginResponse, RouteMethod, SqlRowValue, Veto } from '@tuike/plugin-sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import type { PointsState } from './checkout';
import { points } from './index';
import type { PointsSettings } from './settings';

/** 2026-01-01 12:00 in Shanghai. */
export const start = Date.UTC(2026, 0, 1, 4, 0);

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  member?: string | null;
  staff?: string | null;
}

export interface OrderSpec {
  orderId: string;
  memberId: string;
  lines: readonly CartLine[];
  shippingFee?: number;
  /** What the buyer chose for `points` (unchecked: the pipeline checks it against the schema). */
  choice?: unknown;
}

/** An order priced and checked, its batch not yet run: `commit` runs it. */
export interface PreparedOrder {
  priced: PricingPipelineResult;
  veto: Veto | null;
  /** Runs the order's batch; `refusal` is the plugin's when its hold failed (nothing committed). */
  commit(): Promise<{ refusal: Veto | null }>;
}

export interface TestShop {
  client: Client;
  /** Read-write, as routes and event handlers get it. */
  db: PluginDb;
  /** SELECT-only, as loadState gets it. */
  readDb: PluginDb;
  clock: { now: number };
  settings: Record<string, unknown>;
  ctx(): PluginContext<PointsSettings>;
  /** Calls the route declared for `method path` (path with `:params` filled in) the way the platform would. */
  call(method: RouteMethod, path: string, options?: CallOptions): Promise<PluginResponse & { status: number }>;
  deliver<E extends EventName>(type: E, payload: EventPayloads[E], id?: string): Promise<void>;
  loadState(memberId: string | null, lines: readonly CartLine[], choice?: unknown): Promise<PointsState>;
  /** loadState → pricing → willPlaceOrder → reserveOrder planned, as placement does; not yet written. */
  prepareOrder(order: OrderSpec): Promise<PreparedOrder>;
  /** The stand-in order rows that committed. */
  placedOrderIds(): Promise<string[]>;
  /** Gives a member points through the staff route. */
  grant(memberId: string, delta: number): Promise<void>;
  balance(memberId: string): Promise<number>;
  rows(table: string, orderBy?: string): Promise<Record<string, SqlRowValue>[]>;
  /** Every row of every plugin table, to compare before and after. */
  snapshot(): Promise<Record<string, Record<string, SqlRowValue>[]>>;
  close(): void;
}

export const pluginTables = [
  'plg_points_accounts', 'plg_points_ledger', 'plg_points_orders', 'plg_points_refunds', 'plg_points_events',
  'plg_points_goods', 'plg_points_member_goods', 'plg_points_redemptions',
];

/**
 * THE PLATFORM'S TABLES, NOT THE PLUGIN'S. The test database holds the plugin's migrations, so
 * placement needs stand-ins: `plugin_guards` as the core schema declares it (db/tenant, the
 * guard the planner writes after each `expect`) and a minimal order table for the row the
 * order's batch writes. The plugin never names either.
 */
const platformStandIns = `
CREATE TABLE plugin_guards (slot INTEGER NOT NULL, holds INTEGER NOT NULL,
  CONSTRAINT plugin_guards_slot CHECK (slot >= 0 AND slot < 8),
  CONSTRAINT plugin_guard_0 CHECK (slot <> 0 OR holds = 1), CONSTRAINT plugin_guard_1 CHECK (slot <> 1 OR holds = 1),
  CONSTRAINT plugin_guard_2 CHECK (slot <> 2 OR holds = 1), CONSTRAINT plugin_guard_3 CHECK (slot <> 3 OR holds = 1),
  CONSTRAINT plugin_guard_4 CHECK (slot <> 4 OR holds = 1), CONSTRAINT plugin_guard_5 CHECK (slot <> 5 OR holds = 1),
  CONSTRAINT plugin_guard_6 CHECK (slot <> 6 OR holds = 1), CONSTRAINT plugin_guard_7 CHECK (slot <> 7 OR holds = 1));
CREATE TABLE stand_in_orders (id TEXT PRIMARY KEY NOT NULL, member_id TEXT NOT NULL, pay_total INTEGER NOT NULL);
`;

function matchRoute(template: string, path: string): Record<string, string> | null {
  const a = template.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(':')) params[a[i]!.slice(1)] = decodeURIComponent(b[i]!);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

let eventSeq = 0;

/**
 * The local `file:` client ignores arguments a statement does not use; libSQL over HTTP (sqld,
 * the project's Hrana server) refuses them. So every statement here must bind exactly its
 * parameters: named ones by name, or as many positional ones as it has `?`.
 */
function checkArgs(s: SqlInStatement): void {
  const sql = s.sql.replace(/'(?:[^']|'')*'/g, "''");
  if (Array.isArray(s.args)) {
    const marks = (sql.match(/\?/g) ?? []).length;
    if (marks !== s.args.length) throw new Error(`${marks} ? but ${s.args.length} args: ${s.sql}`);
    return;
  }
  const used = new Set([...sql.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
  const given = new Set(Object.keys(s.args));
  const extra = [...given].filter((n) => !used.has(n));
  const missing = [...used].filter((n) => !given.has(n));
  if (extra.length || missing.length) throw new Error(`named args do not match (extra ${extra.join(',')}; missing ${missing.join(',')}): ${s.sql}`);
}

function strictExecutor(client: Client): SqlExecutor {
  return {
    execute: (s) => { checkArgs(s); return client.execute(s); },
    batch: (statements, mode) => { statements.forEach(checkArgs); return client.batch(statements, mode); },
  };
}

export async function openTestShop(options: { settings?: Record<string, unknown> } = {}): Promise<TestShop> {
  const dir = mkdtempSync(join(tmpdir(), 'plg-points-'));
  const client = createClient({ url: `file:${join(dir, 'shop.db')}` });
  // The platform applies each migration step once; definePlugin has already held them to the prefix.
  for (const step of points.migrations) await client.executeMultiple(step);
  await client.executeMultiple(platformStandIns);
  const strict = strictExecutor(client);
  const db = createPluginDb(strict, points.id, points.capabilities);
  const readDb = createPluginDb(strict, points.id, points.capabilities, { access: 'read' });
  const clock = { now: start };
  const breaker = createCircuitBreaker();
  // A generous budget: these tests are about the hooks' answers, not their speed on a busy machine.
  const hookOptions = { breaker, budgetMs: 1000 };
  const parsedSettings = () => v.parse(points.settings.schema, shop.settings);
  const shop: TestShop = {
    client,
    db,
    readDb,
    clock,
    settings: { ...options.settings },
    ctx() {
      return {
        pluginId: points.id,
        shop: { slug: 'test-shop', timeZone: 'Asia/Shanghai' },
        settings: parsedSettings(),
        db,
        log: { info() {}, warn() {}, error() {} },
        now: () => clock.now,
      };
    },
    async call(method, path, o = {}): Promise<PluginResponse & { status: number }> {
      for (const r of points.routes) {
        if (r.method !== method) continue;
        const routeParams = matchRoute(r.path, path);
        if (!routeParams) continue;
        if (r.auth === 'member' && !o.member) return { status: 401, body: { error: 'platform: sign in' } };
        if (r.auth === 'staff' && !o.staff) return { status: 403, body: { error: 'platform: staff only' } };
        let body: unknown = undefined;
        if (r.input) {
          const parsed = v.safeParse(r.input, o.body);
          if (!parsed.success) return { status: 400, body: { error: 'platform: invalid body', issues: parsed.issues.map((i) => `${v.getDotPath(i) ?? ''}: ${i.message}`) } };
          body = parsed.output;
        }
        const res = await r.handler(
          { params: { ...routeParams, ...o.params }, query: o.query ?? {}, body, member: o.member ? { id: o.member } : null, staff: o.staff ? { id: o.staff } : null },
          shop.ctx(),
        );
        return { ...res, status: res.status ?? 200 };
      }
      throw new Error(`no route for ${method} ${path}`);
    },
    async deliver(type, payload, id) {
      const handler = points.hooks.events?.[type] as ((e: PluginEvent<typeof type>, c: PluginContext<PointsSettings>) => Promise<void>) | undefined;
      if (!handler) throw new Error(`no handler for ${type}`);
      await handler({ id: id ?? `evt-${++eventSeq}`, type, occurredAt: clock.now, payload }, shop.ctx());
    },
    async loadState(memberId, lines, choice = null) {
      const load = points.hooks.loadState;
      if (!load) throw new Error('no loadState');
      const parsedChoice = choice === null ? null : (v.safeParse(points.choice!, choice).success ? v.parse(points.choice!, choice) : null);
      return load({ db: readDb, member: memberId ? { id: memberId } : null, lines, settings: parsedSettings(), choice: parsedChoice, now: clock.now });
    },
    async prepareOrder(order) {
      const installed: InstalledPlugin = { definition: points as unknown as PluginDefinition, settings: shop.settings, critical: false };
      const member = { id: order.memberId };
      const now = clock.now;
      const states = { points: await shop.loadState(order.memberId, order.lines, order.choice ?? null) };
      const choices = order.choice === undefined ? {} : { points: order.choice };
      const call = { lines: order.lines, member, now, states, choices };
      const priced = runPricingHooks([installed], { ...call, shippingFee: order.shippingFee ?? 0 }, hookOptions);
      const verdict = runPlaceOrderInterceptors([installed], { ...call, priced }, hookOptions);
      const plan = planReservations([installed], {
        ...call, priced, orderId: order.orderId, orderNo: `NO-${order.orderId}`, installedPluginIds: [points.id],
        placed: priced.lines.map((l, i) => ({ lineId: l.lineId, orderLineId: `${order.orderId}-ol${i + 1}`, paidAmount: l.paidAmount })),
      }, priced, hookOptions);
      if (plan.skipped.length) throw new Error(`the planner skipped the plugin: ${JSON.stringify(plan.skipped)}`);
      return {
        priced,
        veto: verdict.veto,
        async commit() {
          const batch: SqlInStatement[] = [
            { sql: 'INSERT INTO stand_in_orders (id, member_id, pay_total) VALUES (?, ?, ?)', args: [order.orderId, order.memberId, priced.payTotal] },
            ...plan.statements,
          ];
          try {
            await strict.batch(batch, 'write');
            return { refusal: null };
          } catch (e) {
            const refusal = plan.refusalFor(e);
            if (!refusal) throw e;
            const { pluginId: _owner, ...veto } = refusal;
            return { refusal: veto };
          }
        },
      };
    },
    async placedOrderIds() {
      const r = await client.execute('SELECT id FROM stand_in_orders ORDER BY id');
      return r.rows.map((row) => String(row.id));
    },
    async grant(memberId, delta) {
      const res = await shop.call('POST', '/admin/adjust', { staff: 'staff-1', body: { memberId, delta, reason: 'test grant' } });
      if (res.status !== 201) throw new Error(`grant refused: ${JSON.stringify(res.body)}`);
    },
    async balance(memberId) {
      const r = await client.execute({ sql: 'SELECT balance FROM plg_points_accounts WHERE member_id = ?', args: [memberId] });
      return r.rows[0] ? Number(r.rows[0].balance) : 0;
    },
    async rows(table, orderBy = 'rowid') {
      const r = await client.execute(`SELECT * FROM ${table} ORDER BY ${orderBy}`);
      return r.rows.map((row) => Object.fromEntries(r.columns.map((c) => [c, row[c] as SqlRowValue])));
    },
    async snapshot() {
      const out: Record<string, Record<string, SqlRowValue>[]> = {};
      for (const t of pluginTables) out[t] = await shop.rows(t);
      return out;
    },
    close() {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return shop;
}

export const errorCode = (res: PluginResponse) => ((res.body as { error?: { code?: string } } | null)?.error?.code ?? null);

/** A cart line; the line id is the SKU id, as at checkout. */
export function line(skuId: string, unitPrice: number, quantity = 1): CartLine {
  return { lineId: skuId, skuId, productId: `p-${skuId}`, categoryId: null, quantity, unitPrice };
}

/** The order.placed payload the platform sends for an order priced as `priced`. */
export function placedPayload(orderId: string, memberId: string, priced: PricingPipelineResult): EventPayloads['order.placed'] {
  return {
    orderId, orderNo: `NO-${orderId}`, memberId, payTotal: priced.payTotal,
    lines: priced.lines.map((l) => ({ lineId: l.lineId, skuId: l.skuId, productId: l.productId, quantity: l.quantity, paidAmount: l.paidAmount })),
    applied: priced.applied.filter((a) => a.pluginId === points.id).map((a) => ({ kind: a.kind, amount: a.amount, ...(a.points === undefined ? {} : { points: a.points }), ...(a.ref === null ? {} : { ref: a.ref }) })),
  };
}

/** Sum of the ledger for a member: the balance the cached account must match. */
export async function ledgerSums(shop: TestShop, memberId: string): Promise<{ balance: number; debt: number }> {
  const r = await shop.client.execute({ sql: 'SELECT coalesce(sum(delta), 0) AS b, coalesce(sum(debt_delta), 0) AS d FROM plg_points_ledger WHERE member_id = ?', args: [memberId] });
  return { balance: Number(r.rows[0]!.b), debt: Number(r.rows[0]!.d) };
}
