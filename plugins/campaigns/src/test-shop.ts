/**
 * A shop database for the plugin's tests, used the way the platform will: the migrations applied
 * to a real libSQL file, then every statement the plugin runs goes through `createPluginDb` — so a
 * statement outside the `plg_campaigns_` tables fails the test as it would fail in production.
 * Only tests import this file.
 */
import { createClient, type Client } from '@libsql/client';
import { createPluginDb, type SqlExecutor, type SqlInStatement } from '@tuike/plugin-runtime';
import type { CartLine, PluginContext, PluginDb, PluginResponse, RouteMethod, SqlRowValue } from '@tuike/plugin-sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import type { CampaignState } from './campaign-state';
import { campaigns } from './index';
import type { CampaignSettings } from './settings';

export const day = 86_400_000;
/** 2026-01-01 12:00 in Shanghai. */
export const start = Date.UTC(2026, 0, 1, 4, 0);

export interface CallOptions {
  query?: Record<string, string>;
  body?: unknown;
  member?: string | null;
  staff?: string | null;
}

export interface TestShop {
  client: Client;
  /** Read-write, as routes get it. */
  db: PluginDb;
  /** SELECT-only, as loadState gets it. */
  readDb: PluginDb;
  clock: { now: number };
  settings: Record<string, unknown>;
  /** Statements the plugin has sent to the database so far. */
  statements: string[];
  ctx(): PluginContext<CampaignSettings>;
  /** Calls the route declared for `method path` (path with `:params` filled in) the way the platform would. */
  call(method: RouteMethod, path: string, options?: CallOptions): Promise<PluginResponse & { status: number }>;
  loadState(lines?: readonly CartLine[]): Promise<CampaignState>;
  rows(orderBy?: string): Promise<Record<string, SqlRowValue>[]>;
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

function strictExecutor(client: Client, seen: string[]): SqlExecutor {
  return {
    execute: (s) => { checkArgs(s); seen.push(s.sql); return client.execute(s); },
    batch: (statements, mode) => { statements.forEach(checkArgs); seen.push(...statements.map((s) => s.sql)); return client.batch(statements, mode); },
  };
}

export async function openTestShop(options: { settings?: Record<string, unknown> } = {}): Promise<TestShop> {
  const dir = mkdtempSync(join(tmpdir(), 'plg-campaigns-'));
  const client = createClient({ url: `file:${join(dir, 'shop.db')}` });
  // The platform applies each migration step once; definePlugin has already held them to the prefix.
  for (const step of campaigns.migrations) await client.executeMultiple(step);
  const statements: string[] = [];
  const strict = strictExecutor(client, statements);
  const db = createPluginDb(strict, campaigns.id, campaigns.capabilities);
  const readDb = createPluginDb(strict, campaigns.id, campaigns.capabilities, { access: 'read' });
  const clock = { now: start };
  const settingsOf = () => v.parse(campaigns.settings.schema, shop.settings);
  const shop: TestShop = {
    client,
    db,
    readDb,
    clock,
    settings: { ...options.settings },
    statements,
    ctx() {
      return {
        pluginId: campaigns.id,
        shop: { slug: 'test-shop', timeZone: 'Asia/Shanghai' },
        settings: settingsOf(),
        db,
        log: { info() {}, warn() {}, error() {} },
        now: () => clock.now,
      };
    },
    async call(method, path, o = {}): Promise<PluginResponse & { status: number }> {
      for (const r of campaigns.routes) {
        if (r.method !== method) continue;
        const params = matchRoute(r.path, path);
        if (!params) continue;
        if (r.auth === 'member' && !o.member) return { status: 401, body: { error: 'platform: sign in' } };
        if (r.auth === 'staff' && !o.staff) return { status: 403, body: { error: 'platform: staff only' } };
        let body: unknown = undefined;
        if (r.input) {
          const parsed = v.safeParse(r.input, o.body);
          if (!parsed.success) return { status: 400, body: { error: 'platform: invalid body' } };
          body = parsed.output;
        }
        const res = await r.handler(
          { params, query: o.query ?? {}, body, member: o.member ? { id: o.member } : null, staff: o.staff ? { id: o.staff } : null },
          shop.ctx(),
        );
        return { ...res, status: res.status ?? 200 };
      }
      throw new Error(`no route for ${method} ${path}`);
    },
    async loadState(lines = []) {
      const load = campaigns.hooks.loadState;
      if (!load) throw new Error('no loadState');
      return load({ db: readDb, member: null, lines, settings: settingsOf(), choice: null, now: clock.now });
    },
    async rows(orderBy = 'rowid') {
      const r = await client.execute(`SELECT * FROM plg_campaigns_campaigns ORDER BY ${orderBy}`);
      return r.rows.map((row) => Object.fromEntries(r.columns.map((c) => [c, row[c] as SqlRowValue])));
    },
    close() {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return shop;
}

/** A campaign body for POST /admin/campaigns: 满100减10 / 满200减30 / 满300减50 on everything, live for a week. */
export function campaignBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '周末满减',
    window: { startsAt: start - day, endsAt: start + 7 * day },
    scope: { type: 'all' },
    terms: { kind: 'tiered_reduction', tiers: [{ threshold: 10_000, off: 1_000 }, { threshold: 20_000, off: 3_000 }, { threshold: 30_000, off: 5_000 }] },
    ...overrides,
  };
}

/** Creates a campaign through the admin route and returns its id. */
export async function createCampaign(shop: TestShop, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await shop.call('POST', '/admin/campaigns', { staff: 'staff-1', body: campaignBody(overrides) });
  if (res.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(res.body)}`);
  return (res.body as { campaign: { id: string } }).campaign.id;
}

export const errorCode = (res: PluginResponse) => ((res.body as { error?: { code?: string } } | null)?.error?.code ?? null);

/** A cart line for loadState and routes. */
export function line(lineId: string, unitPrice: number, extra: Partial<CartLine> = {}): CartLine {
  return { lineId, skuId: `sku-${lineId}`, productId: `p-${lineId}`, categoryId: null, quantity: 1, unitPrice, ...extra };
}
