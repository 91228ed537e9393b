import type { JsonValue, PluginDb } from '@tuike/plugin-sdk';
import { phaseOf, withEntries, type Activity } from './activities';
import { int, text } from './rows';

/**
 * The buyer's side. Every answer carries `serverTime` so the countdown runs on the shop's clock,
 * not the phone's. Only `active` sales are shown; drafts and disabled ones do not exist here.
 */
const hourMs = 3_600_000;
const maxListed = 50;

export interface ListFilter {
  productId?: string;
  skuId?: string;
}

function publicView(a: Activity, now: number, filter: ListFilter = {}): JsonValue {
  const entries = a.entries.filter((e) => (filter.productId === undefined || e.productId === filter.productId) && (filter.skuId === undefined || e.skuId === filter.skuId));
  return {
    id: a.id,
    name: a.name,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    phase: phaseOf(a, now),
    entries: entries.map((e) => ({
      id: e.id, skuId: e.skuId, productId: e.productId, flashPrice: e.flashPrice, stock: e.stock,
      remaining: Math.max(0, e.stock - e.sold), soldOut: e.sold >= e.stock, limitPerMember: e.limitPerMember,
    })),
  };
}

/**
 * Sales live now, and those starting within `upcomingHours`, soonest first — optionally only those
 * selling a product or SKU (the product page's countdown), with only those entries.
 */
export async function listPublicActivities(db: PluginDb, now: number, upcomingHours: number, filter: ListFilter): Promise<JsonValue> {
  const r = await db.execute(
    `SELECT id, name, starts_at, ends_at, status, created_at, updated_at FROM plg_flash_sale_activities a
     WHERE status = 'active' AND ends_at > :now AND starts_at <= :horizon
       AND (:product IS NULL OR EXISTS (SELECT 1 FROM plg_flash_sale_entries e WHERE e.activity_id = a.id AND e.product_id = :product))
       AND (:sku IS NULL OR EXISTS (SELECT 1 FROM plg_flash_sale_entries e WHERE e.activity_id = a.id AND e.sku_id = :sku))
     ORDER BY starts_at, id LIMIT ${maxListed}`,
    { now, horizon: now + upcomingHours * hourMs, product: filter.productId ?? null, sku: filter.skuId ?? null },
  );
  const activities = await withEntries(db, r.rows);
  return { serverTime: now, activities: activities.map((a) => publicView(a, now, filter)) };
}

/** One active sale (any phase, ended included, so a shared link still explains itself); null otherwise. */
export async function publicActivity(db: PluginDb, id: string, now: number): Promise<JsonValue | null> {
  const r = await db.execute(`SELECT id, name, starts_at, ends_at, status, created_at, updated_at FROM plg_flash_sale_activities WHERE id = ? AND status = 'active'`, [id]);
  const a = (await withEntries(db, r.rows))[0];
  return a ? { serverTime: now, activity: publicView(a, now) } : null;
}

/** What a member holds of each entry of an active sale, and how many more they may still buy. */
export async function memberAllowance(db: PluginDb, id: string, memberId: string, now: number): Promise<JsonValue | null> {
  const r = await db.execute(`SELECT id, name, starts_at, ends_at, status, created_at, updated_at FROM plg_flash_sale_activities WHERE id = ? AND status = 'active'`, [id]);
  const a = (await withEntries(db, r.rows))[0];
  if (!a) return null;
  const held = await db.execute(
    `SELECT entry_id, coalesce(sum(quantity), 0) AS bought FROM plg_flash_sale_purchases
     WHERE activity_id = ? AND member_id = ? AND released_at IS NULL GROUP BY entry_id`,
    [id, memberId],
  );
  const bought = new Map(held.rows.map((row) => [text(row, 'entry_id'), int(row, 'bought')]));
  return {
    serverTime: now,
    activityId: a.id,
    phase: phaseOf(a, now),
    entries: a.entries.map((e) => {
      const mine = bought.get(e.id) ?? 0;
      const allowance = Math.max(0, e.limitPerMember - mine);
      const remaining = Math.max(0, e.stock - e.sold);
      // What this member can still add to a cart at the flash price right now.
      return { entryId: e.id, skuId: e.skuId, bought: mine, limitPerMember: e.limitPerMember, allowance, remaining, canBuy: Math.min(allowance, remaining) };
    }),
  };
}
