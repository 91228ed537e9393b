/**
 * A shop database for the plugin's tests, used the way the platform will: the migrations applied
 * to a real libSQL file, then every statement the plugin runs goes through `createPluginDb` — so a
 * statement outside the `plg_coupons_` tables fails the test as it would fail in production.
 * Only tests import this file.
 */
import { createClient, type Client } from '@libsql/client';
import { createPluginDb, pluginStatementProblems, type SqlExecutor, type SqlInStatement } from '@tuike/plugin-runtime';
import type { CartLine, EventName, EventPayloads, PluginContext, PluginDb, PluginEvent, PluginResponse, Reservation, RouteMethod, SqlRowValue, Veto } from '@tuike/plugin-sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import type { CouponChoice, CouponState } from './coupon-state';
import { coupons } from './index';
import type { CouponSettings } from './settings';

export const day = 86_400_000;
/** 2026-01-01 12:00 in Shanghai. */
export const start = Date.UTC(2026, 0, 1, 4, 0);

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  member?: string | null;
  staff?: string | null;
}

export interface TestShop {
  client: Client;
  /** Read-write, as routes and event handlers get it. */
  db: PluginDb;
  /** SELECT-only, as loadState gets it. */
  readDb: PluginDb;
  clock: { now: number };
  settings: Record<string, unknown>;
  ctx(): PluginContext<CouponSettings>;
  /** Calls the route declared for `method path` (path with `:params` filled in) the way the platform would. */
  call(method: RouteMethod, path: string, options?: CallOptions): Promise<PluginResponse & { status: number }>;
  deliver<E extends EventName>(type: E, payload: EventPayloads[E], id?: string): Promise<void>;
  loadState(memberId: string | null, lines: readonly CartLine[], choice?: CouponChoice | null): Promise<CouponState>;
  /**
   * Places an order the way the platform's placement does: the order row (a stand-in) and the
   * plugin's reservation in one write batch, each `expect` guarded through `plugin_guards`.
   * Resolves `{ refusal: null }` when the batch committed, the plugin's refusal when a guard or
   * one of its constraints failed (nothing committed); anything else rejects.
   */
  placeOrder(order: StandInOrder, reservation: Reservation | null): Promise<{ refusal: Veto | null }>;
  /** The stand-in order rows that committed. */
  placedOrderIds(): Promise<string[]>;
  rows(table: string, orderBy?: string): Promise<Record<string, SqlRowValue>[]>;
  /** Every row of every plugin table, to compare before and after. */
  snapshot(): Promise<Record<string, Record<string, SqlRowValue>[]>>;
  close(): void;
}

export const pluginTables = ['plg_coupons_templates', 'plg_coupons_member_coupons', 'plg_coupons_redemptions', 'plg_coupons_orders', 'plg_coupons_refunds', 'plg_coupons_events'];

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

export interface StandInOrder {
  orderId: string;
  memberId: string;
  payTotal: number;
}

/**
 * THE PLATFORM'S TABLES, NOT THE PLUGIN'S. The test database holds only the plugin's migrations,
 * so order placement needs stand-ins: `plugin_guards` exactly as the core schema declares its
 * first slot (the only one a single reserving plugin uses), and a minimal order table for the
 * row the order's batch writes. The plugin never names either; only `placeOrder` below does.
 */
const platformStandIns = `
CREATE TABLE plugin_guards (slot INTEGER NOT NULL, holds INTEGER NOT NULL, CONSTRAINT plugin_guard_0 CHECK (slot <> 0 OR holds = 1));
CREATE TABLE stand_in_orders (id TEXT PRIMARY KEY NOT NULL, member_id TEXT NOT NULL, pay_total INTEGER NOT NULL);
`;

/** The platform's batch for one order: its row, the reservation with a guard after each `expect`, then the guards cleared. */
function orderBatch(order: StandInOrder, reservation: Reservation | null): SqlInStatement[] {
  const out: SqlInStatement[] = [{ sql: 'INSERT INTO stand_in_orders (id, member_id, pay_total) VALUES (?, ?, ?)', args: [order.orderId, order.memberId, order.payTotal] }];
  if (!reservation) return out;
  for (const s of reservation.statements) {
    // The platform refuses (and skips) a reservation naming anything outside the plugin's tables.
    const problems = pluginStatementProblems(s.sql, coupons.id, coupons.capabilities, [], 'write');
    if (problems.length) throw new Error(`the platform would refuse this reservation: ${problems[0]!.message}`);
    out.push({ sql: s.sql, args: Array.isArray(s.args) ? [...s.args] : { ...(s.args as Record<string, never>) } });
    if (s.expect !== undefined) out.push({ sql: 'INSERT INTO plugin_guards (slot, holds) SELECT ?, changes() = ?', args: [0, s.expect] });
  }
  out.push({ sql: 'DELETE FROM plugin_guards', args: [] });
  return out;
}

function messagesOf(e: unknown): string {
  const out: string[] = [];
  for (let cur = e; cur instanceof Error; cur = cur.cause) out.push(cur.message);
  return out.join(' | ');
}

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

export async function openTestShop(options: { settings?: Record<string, unknown>; timeZone?: string } = {}): Promise<TestShop> {
  const dir = mkdtempSync(join(tmpdir(), 'plg-coupons-'));
  const client = createClient({ url: `file:${join(dir, 'shop.db')}` });
  // The platform applies each migration step once; definePlugin has already held them to the prefix.
  for (const step of coupons.migrations) await client.executeMultiple(step);
  await client.executeMultiple(platformStandIns);
  const strict = strictExecutor(client);
  const db = createPluginDb(strict, coupons.id, coupons.capabilities);
  const readDb = createPluginDb(strict, coupons.id, coupons.capabilities, { access: 'read' });
  const clock = { now: start };
  const shop: TestShop = {
    client,
    db,
    readDb,
    clock,
    settings: { ...options.settings },
    ctx() {
      return {
        pluginId: coupons.id,
        shop: { slug: 'test-shop', timeZone: options.timeZone ?? 'Asia/Shanghai' },
        settings: v.parse(coupons.settings.schema, shop.settings),
        db,
        log: { info() {}, warn() {}, error() {} },
        now: () => clock.now,
      };
    },
    async call(method, path, o = {}): Promise<PluginResponse & { status: number }> {
      for (const r of coupons.routes) {
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
      const handler = coupons.hooks.events?.[type] as ((e: PluginEvent<typeof type>, c: PluginContext<CouponSettings>) => Promise<void>) | undefined;
      if (!handler) throw new Error(`no handler for ${type}`);
      await handler({ id: id ?? `evt-${++eventSeq}`, type, occurredAt: clock.now, payload }, shop.ctx());
    },
    async loadState(memberId, lines, choice = null) {
      const load = coupons.hooks.loadState;
      if (!load) throw new Error('no loadState');
      return load({ db: readDb, member: memberId ? { id: memberId } : null, lines, settings: v.parse(coupons.settings.schema, shop.settings), choice, now: clock.now });
    },
    async placeOrder(order, reservation) {
      try {
        await strict.batch(orderBatch(order, reservation), 'write');
        return { refusal: null };
      } catch (e) {
        const text = messagesOf(e);
        const held = /CHECK constraint failed: plugin_guard_0/.test(text) || (/constraint failed/.test(text) && text.includes(coupons.tablePrefix));
        if (reservation && held) return { refusal: reservation.refusal };
        throw e;
      }
    },
    async placedOrderIds() {
      return (await client.execute('SELECT id FROM stand_in_orders ORDER BY id')).rows.map((r) => String(r.id));
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

/** A template body for POST /admin/templates, with overrides. */
export function templateBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '满100减20',
    terms: { kind: 'threshold', amountOff: 2000, threshold: 10_000 },
    scope: { type: 'all' },
    validity: { type: 'relative', days: 7 },
    quantity: 100,
    perMemberLimit: 1,
    ...overrides,
  };
}

/** Creates a template through the admin route and returns its id. */
export async function createTemplate(shop: TestShop, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await shop.call('POST', '/admin/templates', { staff: 'staff-1', body: templateBody(overrides) });
  if (res.status !== 201) throw new Error(`template not created: ${JSON.stringify(res.body)}`);
  return (res.body as { template: { id: string } }).template.id;
}

/** Claims through the storefront route; returns the member coupon id. */
export async function claim(shop: TestShop, templateId: string, member: string): Promise<string> {
  const res = await shop.call('POST', `/templates/${templateId}/claim`, { member });
  if (res.status !== 201) throw new Error(`claim refused: ${JSON.stringify(res.body)}`);
  return (res.body as { coupon: { id: string } }).coupon.id;
}

export const errorCode = (res: PluginResponse) => ((res.body as { error?: { code?: string } } | null)?.error?.code ?? null);

/** A cart line for loadState and routes. */
export function line(lineId: string, unitPrice: number, extra: Partial<CartLine> = {}): CartLine {
  return { lineId, skuId: `sku-${lineId}`, productId: `p-${lineId}`, categoryId: null, quantity: 1, unitPrice, ...extra };
}
