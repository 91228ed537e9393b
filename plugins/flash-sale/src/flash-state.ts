import type { StateContext } from '@tuike/plugin-sdk';
import { int, text } from './rows';
import type { FlashSaleSettings } from './settings';

/**
 * What loadState hands to the synchronous hooks: plain data, frozen by the platform. Only entries
 * of the cart's SKUs that are live at `now` (active sale, `startsAt <= now < endsAt`); the overlap
 * rule makes that at most one per SKU.
 */
export interface LiveEntry {
  id: string;
  activityId: string;
  skuId: string;
  flashPrice: number;
  stock: number;
  /** Units held by placed orders (reserved or paid, not given back) when the state was read. */
  sold: number;
  limitPerMember: number;
  startsAt: number;
  endsAt: number;
  /** Units this member holds of the entry (their purchases not released); 0 for a guest. */
  bought: number;
}

export interface FlashSaleState {
  entries: readonly LiveEntry[];
}

export const emptyState: FlashSaleState = { entries: [] };

/** A cart has at most this many distinct SKUs worth reading; more is not a shopper's cart. */
const maxSkus = 500;

/** The live entries of the cart's SKUs and what this member already holds of each (read-only). */
export async function loadFlashSaleState(ctx: StateContext<FlashSaleSettings>): Promise<FlashSaleState> {
  const skus = [...new Set(ctx.lines.map((l) => l.skuId))].slice(0, maxSkus);
  if (skus.length === 0) return emptyState;
  const found = await ctx.db.execute(
    `SELECT e.id, e.activity_id, e.sku_id, e.flash_price, e.stock, e.sold, e.limit_per_member, a.starts_at, a.ends_at
     FROM plg_flash_sale_entries e JOIN plg_flash_sale_activities a ON a.id = e.activity_id
     WHERE a.status = 'active' AND a.starts_at <= :now AND a.ends_at > :now
       AND e.sku_id IN (SELECT value FROM json_each(:skus))
     ORDER BY e.sku_id, a.starts_at`,
    { now: ctx.now, skus: JSON.stringify(skus) },
  );
  if (found.rows.length === 0) return emptyState;
  const bought = new Map<string, number>();
  if (ctx.member) {
    const held = await ctx.db.execute(
      `SELECT entry_id, coalesce(sum(quantity), 0) AS bought FROM plg_flash_sale_purchases
       WHERE member_id = :m AND released_at IS NULL AND entry_id IN (SELECT value FROM json_each(:entries))
       GROUP BY entry_id`,
      { m: ctx.member.id, entries: JSON.stringify(found.rows.map((r) => text(r, 'id'))) },
    );
    for (const r of held.rows) bought.set(text(r, 'entry_id'), int(r, 'bought'));
  }
  return {
    entries: found.rows.map((r) => ({
      id: text(r, 'id'),
      activityId: text(r, 'activity_id'),
      skuId: text(r, 'sku_id'),
      flashPrice: int(r, 'flash_price'),
      stock: int(r, 'stock'),
      sold: int(r, 'sold'),
      limitPerMember: int(r, 'limit_per_member'),
      startsAt: int(r, 'starts_at'),
      endsAt: int(r, 'ends_at'),
      bought: bought.get(text(r, 'id')) ?? 0,
    })),
  };
}
