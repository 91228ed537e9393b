/**
 * A shop database for the plugin's tests, used the way the platform will: the migrations applied
 * to a real libSQL file, then every statement the plugin runs goes through `createPluginDb` — so a
 * statement outside the `plg_flash_sale_` tables fails the test as it would fail in production.
 *
 * Orders are placed the way checkout places them: `loadState` on the SELECT-only database, the
 * platform's pricing pipeline, `planReservations` (which checks the hook's SQL against the
 * plugin's tables and turns each `expect` into a `plugin_guards` row), then one write batch with
 * a stand-in order row — so a refused hold rolls the order back with it. Only tests import this
 * file.
 */
import { createClient, type Client } from '@libsql/client';
import {
  createCircuitBreaker, createPluginDb, planReservations, runPricingHooks,
  type InstalledPlugin, type PricingPipelineResult, type SqlExecutor, type SqlInStatement,
} from '@tuike/plugin-runtime';
import type { CartLine, EventName, EventPayloads, PluginContext, PluginDb, PluginDefinition, PluginEvent, PluginResponse, RouteMethod, SqlRowValue, Veto } from '@tuike/plugin-sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import type { FlashSaleState } from './flash-state';
import { flashSale } from './index';
import { flashSaleTables } from './migrations';
import type { FlashSaleSettings } from './settings';

export const hour = 3_600_000;
export const day = 24 * hour;
/** 2026-03-01 12:00 in Shanghai. */
export const start = Date.UTC(2026, 2, 1, 4, 0);

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  member?: string | null;
  staff?: string | null;
}

export interface PlaceOptions {
  member: string | null;
  lines: readonly CartLine[];
  orderId?: string;
  /** The state the cart was priced with; by default loaded now (as placement does). */
  state?: FlashSaleState;
  now?: number;
}

export interface Placement {
  placed: boolean;
  refusal: (Veto & { pluginId: string }) | null;
  priced: PricingPipelineResult;
  orderId: string;
  /** Order line id of each cart line, in order (what refunds name). */
  orderLineIds: string[];
}

export interface TestShop {
  client: Client;
  /** Read-write, as routes and event handlers get it. */
  db: PluginDb;
  /** SELECT-only, as loadState gets it. */
  readDb: PluginDb;
  clock: { now: number };
  settings: Record<string, unknown>;
  ctx(): PluginContext<FlashSaleSettings>;
  call(method: RouteMethod, path: string, options?: CallOptions): Promise<PluginResponse & { status: number }>;
  deliver<E extends EventName>(type: E, payload: EventPayloads[E], id?: string): Promise<void>;
  loadState(memberId: string | null, lines: readonly CartLine[]): Promise<FlashSaleState>;
  /** Prices and reserves an order in one batch, as checkout does; never throws for a refused hold. */
  place(options: PlaceOptions): Promise<Placement>;
  rows(table: string, orderBy?: string): Promise<Record<string, SqlRowValue>[]>;
  snapshot(): Promise<Record<string, Record<string, SqlRowValue>[]>>;
  close(): void;
}

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

/**
 * THE PLATFORM'S TABLES, NOT THE PLUGIN'S: `plugin_guards` as the core schema declares its first
 * slot (the only one a single reserving plugin uses), and a minimal order table for the row the
 * order's batch writes. The plugin never names either; only `place` below does.
 */
const platformStandIns = `
CREATE TABLE plugin_guards (slot INTEGER NOT NULL, holds INTEGER NOT NULL, CONSTRAINT plugin_guard_0 CHECK (slot <> 0 OR holds = 1));
CREATE TABLE test_orders (id TEXT PRIMARY KEY NOT NULL, member_id TEXT);
`;

let eventSeq = 0;
let orderSeq = 0;

export async function openTestShop(options: { settings?: Record<string, unknown> } = {}): Promise<TestShop> {
  const dir = mkdtempSync(join(tmpdir(), 'plg-flash-sale-'));
  const client = createClient({ url: `file:${join(dir, 'shop.db')}` });
  // The platform applies each migration step once; definePlugin has already held them to the prefix.
  for (const step of flashSale.migrations) await client.executeMultiple(step);
  await client.executeMultiple(platformStandIns);
  const strict = strictExecutor(client);
  const db = createPluginDb(strict, flashSale.id, flashSale.capabilities);
  const readDb = createPluginDb(strict, flashSale.id, flashSale.capabilities, { access: 'read' });
  const clock = { now: start };
  const breaker = createCircuitBreaker();
  const settingsNow = () => v.parse(flashSale.settings.schema, shop.settings);
  const installed = (): InstalledPlugin => ({ definition: flashSale as unknown as PluginDefinition, settings: shop.settings, critical: false });

  const shop: TestShop = {
    client,
    db,
    readDb,
    clock,
    settings: { ...options.settings },
    ctx() {
      return { pluginId: flashSale.id, shop: { slug: 'test-shop', timeZone: 'Asia/Shanghai' }, settings: settingsNow(), db, log: { info() {}, warn() {}, error() {} }, now: () => clock.now };
    },
    async call(method, path, o = {}): Promise<PluginResponse & { status: number }> {
      for (const r of flashSale.routes) {
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
      const handler = flashSale.hooks.events?.[type] as ((e: PluginEvent<typeof type>, c: PluginContext<FlashSaleSettings>) => Promise<void>) | undefined;
      if (!handler) throw new Error(`no handler for ${type}`);
      await handler({ id: id ?? `evt-${++eventSeq}`, type, occurredAt: clock.now, payload }, shop.ctx());
    },
    async loadState(memberId, lines) {
      const load = flashSale.hooks.loadState;
      if (!load) throw new Error('no loadState');
      return load({ db: readDb, member: memberId ? { id: memberId } : null, lines, settings: settingsNow(), choice: null, now: clock.now });
    },
    async place(o) {
      const now = o.now ?? clock.now;
      const member = o.member ? { id: o.member } : null;
      const state = o.state ?? (await shop.loadState(o.member, o.lines));
      const options = { breaker };
      const priced = runPricingHooks([installed()], { lines: o.lines, shippingFee: 0, member, now, states: { [flashSale.id]: state } }, options);
      if (priced.skipped.length) throw new Error(`pricing skipped: ${JSON.stringify(priced.skipped)}`);
      const orderId = o.orderId ?? `order-${++orderSeq}`;
      const orderLineIds = o.lines.map((_, i) => `${orderId}-ol${i + 1}`);
      const plan = planReservations([installed()], {
        member, lines: o.lines, priced, now, states: { [flashSale.id]: state }, orderId, orderNo: `NO-${orderId}`,
        placed: priced.lines.map((l, i) => ({ lineId: l.lineId, orderLineId: orderLineIds[i]!, paidAmount: l.paidAmount })),
        installedPluginIds: [flashSale.id],
      }, priced, options);
      if (plan.skipped.length) throw new Error(`reserveOrder skipped: ${JSON.stringify(plan.skipped)}`);
      const batch: SqlInStatement[] = [{ sql: 'INSERT INTO test_orders (id, member_id) VALUES (?, ?)', args: [orderId, o.member] }, ...plan.statements];
      try {
        await strict.batch(batch, 'write');
        return { placed: true, refusal: null, priced, orderId, orderLineIds };
      } catch (e) {
        // refusalFor assumes the caller ruled out the core's own constraints: here, the stand-in order's.
        if (/test_orders/.test(String(e instanceof Error ? `${e.message} ${String(e.cause ?? '')}` : e))) throw e;
        const refusal = plan.refusalFor(e);
        if (!refusal) throw e;
        return { placed: false, refusal, priced, orderId, orderLineIds };
      }
    },
    async rows(table, orderBy) {
      // The counters table has no rowid (WITHOUT ROWID): its key orders it.
      const order = orderBy ?? (table === 'plg_flash_sale_member_counts' ? 'entry_id, member_id' : 'rowid');
      const r = await client.execute(`SELECT * FROM ${table} ORDER BY ${order}`);
      return r.rows.map((row) => Object.fromEntries(r.columns.map((c) => [c, row[c] as SqlRowValue])));
    },
    async snapshot() {
      const out: Record<string, Record<string, SqlRowValue>[]> = {};
      for (const t of [...flashSaleTables, 'test_orders']) out[t] = await shop.rows(t);
      return out;
    },
    close() {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return shop;
}

/** An activity body for POST /admin/activities, with overrides: one SKU, ¥99 → ¥59, 10 units, 2 each. */
export function activityBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '周末秒杀',
    startsAt: start,
    endsAt: start + 2 * hour,
    entries: [{ skuId: 'sku-a', productId: 'p-a', flashPrice: 5_900, stock: 10, limitPerMember: 2 }],
    ...overrides,
  };
}

/** Creates an activity through the admin route and returns it (its id and entry ids). */
export async function createActivity(shop: TestShop, overrides: Record<string, unknown> = {}): Promise<{ id: string; entries: { id: string; skuId: string }[] }> {
  const res = await shop.call('POST', '/admin/activities', { staff: 'staff-1', body: activityBody(overrides) });
  if (res.status !== 201) throw new Error(`activity not created: ${JSON.stringify(res.body)}`);
  return (res.body as { activity: { id: string; entries: { id: string; skuId: string }[] } }).activity;
}

export const errorCode = (res: PluginResponse) => ((res.body as { error?: { code?: string } } | null)?.error?.code ?? null);

/** A cart line of SKU `skuId` (checkout's line id is the SKU id). */
export function line(skuId: string, unitPrice: number, quantity = 1, extra: Partial<CartLine> = {}): CartLine {
  return { lineId: skuId, skuId, productId: `p-${skuId.replace(/^sku-/, '')}`, categoryId: null, quantity, unitPrice, ...extra };
}

/** One entry's counters as the database holds them. */
export async function entryCounters(shop: TestShop, entryId: string): Promise<{ stock: number; sold: number }> {
  const r = await shop.client.execute({ sql: 'SELECT stock, sold FROM plg_flash_sale_entries WHERE id = ?', args: [entryId] });
  return { stock: Number(r.rows[0]?.stock), sold: Number(r.rows[0]?.sold) };
}
