import type { JsonValue, PluginContext, PluginDb, PluginStatement } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import { activityRules, issuesOf, type ActivityBody, type ActivityInput, type ActivityPatchBody, type EntryInput } from './activity-schema';
import type { FlashSaleErrorCode } from './errors';
import { newId } from './ids';
import { int, oneOf, text, type Row } from './rows';
import type { FlashSaleSettings } from './settings';

/**
 * The merchant's side: flash-sale activities and their SKU entries. Rules the database holds
 * (sold within stock, one active sale per SKU at a time, no removing an entry with sales) are
 * also checked before writing, so the usual refusal names what is wrong; the constraint or
 * trigger is what holds when two admins race, and its failure maps to the same code.
 */
export type ActivityStatus = 'draft' | 'active' | 'disabled';
export const activityStatuses = ['draft', 'active', 'disabled'] as const satisfies readonly ActivityStatus[];
/** How an activity reads at a moment: status, then where `now` falls in its window. */
export type ActivityPhase = 'draft' | 'disabled' | 'upcoming' | 'live' | 'ended';

export interface Entry {
  id: string;
  skuId: string;
  productId: string;
  flashPrice: number;
  stock: number;
  sold: number;
  limitPerMember: number;
}

export interface Activity {
  id: string;
  name: string;
  startsAt: number;
  endsAt: number;
  status: ActivityStatus;
  createdAt: number;
  updatedAt: number;
  entries: Entry[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: FlashSaleErrorCode; details?: JsonValue };
const refuse = <T>(code: FlashSaleErrorCode, details?: JsonValue): Outcome<T> => (details === undefined ? { ok: false, code } : { ok: false, code, details });

export function phaseOf(a: Pick<Activity, 'status' | 'startsAt' | 'endsAt'>, now: number): ActivityPhase {
  if (a.status !== 'active') return a.status;
  if (now < a.startsAt) return 'upcoming';
  return now < a.endsAt ? 'live' : 'ended';
}

const activityColumns = 'id, name, starts_at, ends_at, status, created_at, updated_at';
const entryColumns = 'id, activity_id, sku_id, product_id, flash_price, stock, sold, limit_per_member';

function entryOf(r: Row): Entry {
  return { id: text(r, 'id'), skuId: text(r, 'sku_id'), productId: text(r, 'product_id'), flashPrice: int(r, 'flash_price'), stock: int(r, 'stock'), sold: int(r, 'sold'), limitPerMember: int(r, 'limit_per_member') };
}

function activityOf(r: Row, entries: Entry[]): Activity {
  return {
    id: text(r, 'id'), name: text(r, 'name'), startsAt: int(r, 'starts_at'), endsAt: int(r, 'ends_at'),
    status: oneOf(r, 'status', activityStatuses), createdAt: int(r, 'created_at'), updatedAt: int(r, 'updated_at'), entries,
  };
}

/** Activities with their entries (in the order the merchant listed them), from activity rows. */
export async function withEntries(db: PluginDb, rows: readonly Row[]): Promise<Activity[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => text(r, 'id'));
  const found = await db.execute(
    `SELECT ${entryColumns} FROM plg_flash_sale_entries WHERE activity_id IN (SELECT value FROM json_each(?)) ORDER BY activity_id, position`,
    [JSON.stringify(ids)],
  );
  const byActivity = new Map<string, Entry[]>(ids.map((id) => [id, []]));
  for (const r of found.rows) byActivity.get(text(r, 'activity_id'))?.push(entryOf(r));
  return rows.map((r) => activityOf(r, byActivity.get(text(r, 'id')) ?? []));
}

export async function readActivity(db: PluginDb, id: string): Promise<Activity | null> {
  const r = await db.execute(`SELECT ${activityColumns} FROM plg_flash_sale_activities WHERE id = ?`, [id]);
  return (await withEntries(db, r.rows))[0] ?? null;
}

export async function listActivities(db: PluginDb, status: ActivityStatus | null): Promise<Activity[]> {
  const r = status === null
    ? await db.execute(`SELECT ${activityColumns} FROM plg_flash_sale_activities ORDER BY starts_at DESC, id DESC LIMIT 200`)
    : await db.execute(`SELECT ${activityColumns} FROM plg_flash_sale_activities WHERE status = ? ORDER BY starts_at DESC, id DESC LIMIT 200`, [status]);
  return withEntries(db, r.rows);
}

/** An activity as JSON for the admin, with its phase and each entry's units left. */
export function activityView(a: Activity, now: number): JsonValue {
  return { ...a, phase: phaseOf(a, now), entries: a.entries.map((e) => ({ ...e, remaining: e.stock - e.sold })) };
}

/** SKUs of `skus` already in another active activity whose window overlaps [startsAt, endsAt). */
async function overlaps(db: PluginDb, activityId: string, skus: readonly string[], startsAt: number, endsAt: number): Promise<JsonValue[]> {
  const r = await db.execute(
    `SELECT e.sku_id, a.id AS activity_id, a.name FROM plg_flash_sale_entries e JOIN plg_flash_sale_activities a ON a.id = e.activity_id
     WHERE a.status = 'active' AND a.id <> :id AND a.starts_at < :endsAt AND a.ends_at > :startsAt AND e.sku_id IN (SELECT value FROM json_each(:skus))
     ORDER BY e.sku_id, a.starts_at LIMIT 100`,
    { id: activityId, startsAt, endsAt, skus: JSON.stringify(skus) },
  );
  return r.rows.map((row) => ({ skuId: text(row, 'sku_id'), activityId: text(row, 'activity_id'), activityName: text(row, 'name') }));
}

function messagesOf(e: unknown): string {
  const out: string[] = [];
  for (let cur = e, depth = 0; cur instanceof Error && depth < 6; cur = cur.cause, depth++) out.push(cur.message);
  return out.join(' ');
}

/** The code for a write our own constraints or triggers refused; null for anything else (rethrown). */
function constraintCode(e: unknown): FlashSaleErrorCode | null {
  const m = messagesOf(e);
  if (m.includes('plg_flash_sale_sku_overlap')) return 'FLASH_SALE_SKU_OVERLAP';
  if (m.includes('plg_flash_sale_entry_has_sales')) return 'FLASH_SALE_ENTRY_HAS_SALES';
  if (m.includes('plg_flash_sale_sold_within_stock')) return 'FLASH_SALE_STOCK_BELOW_SOLD';
  return null;
}

async function write<T>(db: PluginDb, statements: PluginStatement[], then: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    await db.batch(statements);
  } catch (e) {
    const code = constraintCode(e);
    if (code === null) throw e;
    return refuse(code);
  }
  return then();
}

function insertEntry(activityId: string, e: EntryInput, position: number, now: number): PluginStatement {
  return {
    sql: `INSERT INTO plg_flash_sale_entries (id, activity_id, sku_id, product_id, position, flash_price, stock, limit_per_member)
      VALUES (:id, :a, :sku, :product, :position, :price, :stock, :limit)`,
    args: { id: newId(now), a: activityId, sku: e.skuId, product: e.productId, position, price: e.flashPrice, stock: e.stock, limit: e.limitPerMember },
  };
}

async function found(db: PluginDb, id: string): Promise<Outcome<Activity>> {
  const a = await readActivity(db, id);
  return a ? { ok: true, value: a } : refuse('FLASH_SALE_ACTIVITY_NOT_FOUND');
}

const invalid = <T>(issues: { path: string; message: string }[]): Outcome<T> => refuse('FLASH_SALE_ACTIVITY_INVALID', { issues });

export async function createActivity(ctx: PluginContext<FlashSaleSettings>, body: ActivityBody): Promise<Outcome<Activity>> {
  const parsed = v.safeParse(activityRules, body);
  if (!parsed.success) return invalid(issuesOf(parsed.issues));
  const input: ActivityInput = parsed.output;
  const now = ctx.now();
  if (input.endsAt <= now) return invalid([{ path: 'endsAt', message: 'the sale would already be over' }]);
  const id = newId(now);
  if (input.status === 'active') {
    const clash = await overlaps(ctx.db, id, input.entries.map((e) => e.skuId), input.startsAt, input.endsAt);
    if (clash.length) return refuse('FLASH_SALE_SKU_OVERLAP', { conflicts: clash });
  }
  return write(ctx.db, [
    {
      sql: `INSERT INTO plg_flash_sale_activities (id, name, starts_at, ends_at, status, created_at, updated_at) VALUES (:id, :name, :startsAt, :endsAt, :status, :now, :now)`,
      args: { id, name: input.name, startsAt: input.startsAt, endsAt: input.endsAt, status: input.status, now },
    },
    ...input.entries.map((e, i) => insertEntry(id, e, i, now)),
  ], () => found(ctx.db, id));
}

/**
 * Applies a patch. `entries`, when given, is the whole new list, matched to the current one by SKU:
 * a SKU kept keeps its entry (and its sold units; stock may not go below them), a new SKU gets a
 * new entry, a SKU left out is removed — only if it never sold. A price change applies to orders
 * placed from then on; orders priced before it are refused at placement and re-priced.
 */
export async function updateActivity(ctx: PluginContext<FlashSaleSettings>, id: string, patch: ActivityPatchBody): Promise<Outcome<Activity>> {
  const current = await readActivity(ctx.db, id);
  if (!current) return refuse('FLASH_SALE_ACTIVITY_NOT_FOUND');
  const given = Object.fromEntries(Object.entries(patch).filter(([, x]) => x !== undefined));
  const parsed = v.safeParse(activityRules, { name: current.name, startsAt: current.startsAt, endsAt: current.endsAt, entries: current.entries.map(({ skuId, productId, flashPrice, stock, limitPerMember }) => ({ skuId, productId, flashPrice, stock, limitPerMember })), ...given });
  if (!parsed.success) return invalid(issuesOf(parsed.issues));
  const next = parsed.output;
  const now = ctx.now();
  const rescheduled = next.startsAt !== current.startsAt || next.endsAt !== current.endsAt;
  if (rescheduled && next.endsAt <= now) return invalid([{ path: 'endsAt', message: 'the sale would already be over' }]);

  const kept = new Map(current.entries.map((e) => [e.skuId, e]));
  const removed = current.entries.filter((e) => !next.entries.some((n) => n.skuId === e.skuId));
  const belowSold = next.entries.flatMap((n) => {
    const e = kept.get(n.skuId);
    return e && n.stock < e.sold ? [{ skuId: n.skuId, sold: e.sold }] : [];
  });
  if (belowSold.length) return refuse('FLASH_SALE_STOCK_BELOW_SOLD', { entries: belowSold });
  if (removed.length) {
    const sold = await ctx.db.execute(
      'SELECT DISTINCT entry_id FROM plg_flash_sale_purchases WHERE entry_id IN (SELECT value FROM json_each(?))',
      [JSON.stringify(removed.map((e) => e.id))],
    );
    const withSales = removed.filter((e) => e.sold > 0 || sold.rows.some((r) => text(r, 'entry_id') === e.id));
    if (withSales.length) return refuse('FLASH_SALE_ENTRY_HAS_SALES', { skuIds: withSales.map((e) => e.skuId) });
  }
  if (current.status === 'active') {
    const clash = await overlaps(ctx.db, id, next.entries.map((e) => e.skuId), next.startsAt, next.endsAt);
    if (clash.length) return refuse('FLASH_SALE_SKU_OVERLAP', { conflicts: clash });
  }

  return write(ctx.db, [
    ...removed.map((e): PluginStatement => ({ sql: 'DELETE FROM plg_flash_sale_entries WHERE id = ?', args: [e.id] })),
    {
      sql: 'UPDATE plg_flash_sale_activities SET name = :name, starts_at = :startsAt, ends_at = :endsAt, updated_at = :now WHERE id = :id',
      args: { id, name: next.name, startsAt: next.startsAt, endsAt: next.endsAt, now },
    },
    ...next.entries.map((n, position): PluginStatement => {
      const e = kept.get(n.skuId);
      if (!e) return insertEntry(id, n, position, now);
      return {
        sql: `UPDATE plg_flash_sale_entries SET product_id = :product, position = :position, flash_price = :price, stock = :stock, limit_per_member = :limit WHERE id = :id`,
        args: { id: e.id, product: n.productId, position, price: n.flashPrice, stock: n.stock, limit: n.limitPerMember },
      };
    }),
  ], () => found(ctx.db, id));
}

/** Draft or disabled → active: only while it has not ended, and never over another active sale of its SKUs. */
export async function activateActivity(ctx: PluginContext<FlashSaleSettings>, id: string): Promise<Outcome<Activity>> {
  const current = await readActivity(ctx.db, id);
  if (!current) return refuse('FLASH_SALE_ACTIVITY_NOT_FOUND');
  if (current.status === 'active') return { ok: true, value: current };
  const now = ctx.now();
  if (current.endsAt <= now) return refuse('FLASH_SALE_ACTIVITY_ENDED');
  const clash = await overlaps(ctx.db, id, current.entries.map((e) => e.skuId), current.startsAt, current.endsAt);
  if (clash.length) return refuse('FLASH_SALE_SKU_OVERLAP', { conflicts: clash });
  return write(ctx.db, [{
    sql: `UPDATE plg_flash_sale_activities SET status = 'active', updated_at = :now WHERE id = :id AND status <> 'active'`,
    args: { id, now },
  }], () => found(ctx.db, id));
}

/**
 * Stops the sale at once: no new flash prices or holds. Orders already placed keep their units
 * until they are cancelled or refunded, which still gives them back.
 */
export async function disableActivity(ctx: PluginContext<FlashSaleSettings>, id: string): Promise<Outcome<Activity>> {
  await ctx.db.execute(`UPDATE plg_flash_sale_activities SET status = 'disabled', updated_at = :now WHERE id = :id AND status <> 'disabled'`, { id, now: ctx.now() });
  return found(ctx.db, id);
}

/** A type alias so it fits a JSON body. */
export type EntryStats = {
  entryId: string;
  skuId: string;
  stock: number;
  /** Units held by placed orders, paid or not (what the stock guard counts). */
  sold: number;
  remaining: number;
  /** Of `sold`, units whose order was paid. */
  paidUnits: number;
  /** Units that came back from cancelled or fully refunded orders. */
  releasedUnits: number;
  /** Orders and members holding units now. */
  orders: number;
  buyers: number;
  /** What the held units sell for at the flash price, in fen. */
  flashRevenue: number;
};

/** Sold per SKU of one activity, from its entries and their purchases. */
export async function activityStats(db: PluginDb, a: Activity): Promise<EntryStats[]> {
  const r = await db.execute(
    `SELECT entry_id,
        coalesce(sum(CASE WHEN released_at IS NULL AND paid_at IS NOT NULL THEN quantity ELSE 0 END), 0) AS paid_units,
        coalesce(sum(CASE WHEN released_at IS NOT NULL THEN quantity ELSE 0 END), 0) AS released_units,
        count(DISTINCT CASE WHEN released_at IS NULL THEN order_id END) AS orders,
        count(DISTINCT CASE WHEN released_at IS NULL THEN member_id END) AS buyers,
        coalesce(sum(CASE WHEN released_at IS NULL THEN quantity * flash_price ELSE 0 END), 0) AS revenue
     FROM plg_flash_sale_purchases WHERE activity_id = ? GROUP BY entry_id`,
    [a.id],
  );
  const byEntry = new Map(r.rows.map((row) => [text(row, 'entry_id'), row]));
  return a.entries.map((e) => {
    const row = byEntry.get(e.id);
    return {
      entryId: e.id, skuId: e.skuId, stock: e.stock, sold: e.sold, remaining: e.stock - e.sold,
      paidUnits: row ? int(row, 'paid_units') : 0, releasedUnits: row ? int(row, 'released_units') : 0,
      orders: row ? int(row, 'orders') : 0, buyers: row ? int(row, 'buyers') : 0, flashRevenue: row ? int(row, 'revenue') : 0,
    };
  });
}

/** The dashboard card: sales live now and the next ones, with units sold against stock. */
export async function dashboardOverview(db: PluginDb, now: number): Promise<JsonValue> {
  const r = await db.execute(
    `SELECT a.id, a.name, a.starts_at, a.ends_at, coalesce(sum(e.stock), 0) AS stock, coalesce(sum(e.sold), 0) AS sold, count(e.id) AS skus
     FROM plg_flash_sale_activities a LEFT JOIN plg_flash_sale_entries e ON e.activity_id = a.id
     WHERE a.status = 'active' AND a.ends_at > :now
     GROUP BY a.id ORDER BY a.starts_at, a.id LIMIT 20`,
    { now },
  );
  const rows = r.rows.map((row) => ({
    id: text(row, 'id'), name: text(row, 'name'), startsAt: int(row, 'starts_at'), endsAt: int(row, 'ends_at'),
    skus: int(row, 'skus'), stock: int(row, 'stock'), sold: int(row, 'sold'),
  }));
  const live = rows.filter((a) => a.startsAt <= now);
  return {
    serverTime: now,
    live,
    upcoming: rows.filter((a) => a.startsAt > now),
    totals: { liveActivities: live.length, sold: live.reduce((s, a) => s + a.sold, 0), stock: live.reduce((s, a) => s + a.stock, 0) },
  };
}
