import type { EventHandlers, PluginContext, PluginStatement } from '@tuike/plugin-sdk';
import { text } from './rows';
import type { FlashSaleSettings } from './settings';

/**
 * The order events after a flash-sale order was placed (its units were held in the order's own
 * batch by reserveOrder, so every event finds its purchases already there):
 *   order.paid      → the purchases are marked paid (for stats; the units stay held)
 *   order.cancelled → the units go back (buyer, merchant or the unpaid-order timeout)
 *   order.refunded  → the units of a flash line go back once that line is refunded in full
 *                     (its refunds add up to what the buyer paid for it); a partial refund keeps them
 *
 * Delivery is at least once and possibly out of order. Each handler records its fact once —
 * `release_reason` set only where still null, a refund row keyed by (refund id, order line) —
 * then runs the same release statements, which give back only purchases marked and not yet
 * released and set `released_at` in the same batch. A replayed cancel or refund finds nothing
 * left to release: the units go back exactly once.
 */
type Args = Record<string, string | number>;
const stmt = (sql: string, args: Args): PluginStatement => ({ sql, args });

const due = 'p.order_id = :o AND p.release_reason IS NOT NULL AND p.released_at IS NULL';

/** Gives back the units of order `o`'s purchases that are due for release, and marks them released. */
function releaseStatements(o: string, now: number): PluginStatement[] {
  return [
    stmt(`UPDATE plg_flash_sale_entries
      SET sold = sold - (SELECT sum(p.quantity) FROM plg_flash_sale_purchases p WHERE ${due} AND p.entry_id = plg_flash_sale_entries.id)
      WHERE id IN (SELECT p.entry_id FROM plg_flash_sale_purchases p WHERE ${due})`, { o }),
    stmt(`UPDATE plg_flash_sale_member_counts
      SET bought = bought - (SELECT sum(p.quantity) FROM plg_flash_sale_purchases p WHERE ${due}
        AND p.entry_id = plg_flash_sale_member_counts.entry_id AND p.member_id = plg_flash_sale_member_counts.member_id)
      WHERE EXISTS (SELECT 1 FROM plg_flash_sale_purchases p WHERE ${due}
        AND p.entry_id = plg_flash_sale_member_counts.entry_id AND p.member_id = plg_flash_sale_member_counts.member_id)`, { o }),
    stmt(`UPDATE plg_flash_sale_purchases SET released_at = :now
      WHERE order_id = :o AND release_reason IS NOT NULL AND released_at IS NULL`, { o, now }),
  ];
}

/** The order lines of `orderId` that hold flash units; empty for the many orders without any. */
async function flashLinesOf(ctx: PluginContext<FlashSaleSettings>, orderId: string): Promise<Set<string>> {
  const r = await ctx.db.execute('SELECT order_line_id FROM plg_flash_sale_purchases WHERE order_id = ?', [orderId]);
  return new Set(r.rows.map((row) => text(row, 'order_line_id')));
}

export const orderEventHandlers: EventHandlers<FlashSaleSettings> = {
  async 'order.paid'(event, ctx) {
    const p = event.payload;
    await ctx.db.execute('UPDATE plg_flash_sale_purchases SET paid_at = :at WHERE order_id = :o AND paid_at IS NULL', { o: p.orderId, at: p.paidAt });
  },

  async 'order.cancelled'(event, ctx) {
    const o = event.payload.orderId;
    if ((await flashLinesOf(ctx, o)).size === 0) return;
    await ctx.db.batch([
      stmt(`UPDATE plg_flash_sale_purchases SET release_reason = 'cancelled' WHERE order_id = :o AND release_reason IS NULL`, { o }),
      ...releaseStatements(o, ctx.now()),
    ]);
  },

  async 'order.refunded'(event, ctx) {
    const p = event.payload;
    const o = p.orderId;
    const flash = await flashLinesOf(ctx, o);
    // Refund lines name order lines (what order.placed calls lineId, reserveOrder orderLineId).
    const amounts = new Map<string, number>();
    for (const l of p.lines) if (flash.has(l.lineId)) amounts.set(l.lineId, (amounts.get(l.lineId) ?? 0) + l.amount);
    if (amounts.size === 0) return;
    await ctx.db.batch([
      ...[...amounts].map(([ol, amount]) => stmt(`INSERT INTO plg_flash_sale_refunds (refund_id, order_line_id, order_id, amount, refunded_at)
        VALUES (:r, :ol, :o, :a, :at) ON CONFLICT (refund_id, order_line_id) DO NOTHING`, { r: p.refundId, ol, o, a: amount, at: event.occurredAt })),
      stmt(`UPDATE plg_flash_sale_purchases SET release_reason = 'refunded'
        WHERE order_id = :o AND release_reason IS NULL
          AND EXISTS (SELECT 1 FROM plg_flash_sale_refunds r WHERE r.order_id = :o AND r.order_line_id = plg_flash_sale_purchases.order_line_id)
          AND (SELECT sum(r.amount) FROM plg_flash_sale_refunds r WHERE r.order_id = :o AND r.order_line_id = plg_flash_sale_purchases.order_line_id) >= paid_amount`, { o }),
      ...releaseStatements(o, ctx.now()),
    ]);
  },
};
