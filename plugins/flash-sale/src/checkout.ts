import type {
  AddToCartContext,
  CartLine,
  InterceptResult,
  PlacedCartLine,
  PricingInput,
  PricingOperation,
  ReservedStatement,
  ReserveContext,
  ReserveResult,
} from '@tuike/plugin-sdk';
import { reservationRefusal, vetoOf } from './errors';
import type { FlashSaleState, LiveEntry } from './flash-state';
import type { FlashSaleSettings } from './settings';

/**
 * The synchronous checkout hooks: pure, no I/O, the same answer for the same input.
 *
 * A member gets the flash price for as many units of a line as they may still have: the
 * entry's units left (stock − sold) and their own allowance (limit − what they hold), whichever
 * is smaller. Units beyond that cost the list price — the cart shows the split in the label —
 * rather than refusing the order: the cart already refused adding them (willAddToCart), so this
 * only happens when others bought the last units in the meantime, and a buyer would rather pay
 * the shown price for the rest than start over. Guests see no flash price (the per-member limit
 * needs a member); they get it once signed in.
 */

/** A flash price ranks above ordinary offers of its class. */
export const flashPriority = 100;

/**
 * A reservation may carry at most 50 statements and an entry takes three, so one order gets the
 * flash price on at most 16 SKUs (in cart order); a price the order could not hold would be sold
 * unheld if the platform set the over-long reservation aside.
 */
export const maxFlashSkusPerOrder = 16;

export const isLive = (e: Readonly<LiveEntry>, now: number) => e.startsAt <= now && now < e.endsAt;

/** Units of `quantity` that may have the flash price, given what is left and what the member holds. */
export function allowedUnits(e: Readonly<LiveEntry>, quantity: number): number {
  const left = e.stock - e.sold;
  const allowance = e.limitPerMember - e.bought;
  return Math.max(0, Math.min(quantity, left, allowance));
}

interface FlashLine<L extends Readonly<CartLine>> {
  line: L;
  entry: Readonly<LiveEntry>;
  units: number;
}

/** Each line of an entry's SKU with its flash units; lines of one SKU share the entry's allowance. */
function flashLines<L extends Readonly<CartLine>>(lines: readonly L[], entries: readonly Readonly<LiveEntry>[]): FlashLine<L>[] {
  const used = new Map<string, number>();
  const out: FlashLine<L>[] = [];
  for (const line of lines) {
    const entry = entries.find((e) => e.skuId === line.skuId);
    if (!entry) continue;
    const before = used.get(entry.id) ?? 0;
    const units = Math.max(0, allowedUnits(entry, before + line.quantity) - before);
    used.set(entry.id, before + units);
    out.push({ line, entry, units });
  }
  return out;
}

function label(units: number, quantity: number) {
  if (units === quantity) return { zh: '限时秒杀', en: 'Flash sale' };
  return { zh: `限时秒杀（${units} 件秒杀价，其余原价）`, en: `Flash sale (${units} at the flash price, the rest at list price)` };
}

/**
 * pricing: a `line_discount` of (list price − flash price) × flash units per line of a live entry,
 * class `flash`, ref = the entry id (what reserveOrder holds). A flash price at or above the list
 * price gives no operation at all — never a negative one.
 */
export function flashPricing(input: PricingInput<FlashSaleSettings, FlashSaleState>): PricingOperation[] {
  if (!input.member) return [];
  // No state means loadState failed or timed out: price without flash sales.
  const live = (input.state?.entries ?? []).filter((e) => isLive(e, input.now));
  const ops: PricingOperation[] = [];
  const held = new Set<string>();
  for (const { line, entry, units } of flashLines(input.lines, live)) {
    const perUnit = line.unitPrice - entry.flashPrice;
    if (units === 0 || perUnit <= 0) continue;
    if (!held.has(entry.id) && held.size === maxFlashSkusPerOrder) continue;
    held.add(entry.id);
    ops.push({ kind: 'line_discount', lineId: line.lineId, amount: perUnit * units, combinesWith: 'flash', priority: flashPriority, ref: entry.id, label: label(units, line.quantity) });
  }
  return ops;
}

/**
 * willAddToCart: while a SKU is in a live flash sale it sells on the sale's terms. Refuses a cart
 * that would hold more of it than is left (FLASH_SALE_SOLD_OUT) or, for a member, more than they
 * may still buy (FLASH_SALE_LIMIT_REACHED). The platform must load state for the cart as it would
 * be after the add (the added SKU among its lines); without the SKU's entry nothing is refused.
 */
export function flashAddToCartCheck(ctx: AddToCartContext<FlashSaleSettings, FlashSaleState>): InterceptResult {
  const entry = (ctx.state?.entries ?? []).find((e) => e.skuId === ctx.sku.skuId && isLive(e, ctx.now));
  if (!entry) return undefined;
  const left = entry.stock - entry.sold;
  if (left <= 0) return vetoOf('FLASH_SALE_SOLD_OUT');
  if (ctx.member && ctx.quantity > entry.limitPerMember - entry.bought) return vetoOf('FLASH_SALE_LIMIT_REACHED');
  if (ctx.quantity > left) return vetoOf('FLASH_SALE_SOLD_OUT');
  return undefined;
}

type Args = Record<string, string | number>;

/**
 * A hold that can never be had: when the price applied a flash offer this call cannot account
 * for (no member, or an entry missing from the state), the order must not go through unheld.
 * `sold > stock` never matches a row (the CHECK forbids it), so `expect: 1` refuses the order.
 */
const unholdable = (entryId: string): ReservedStatement => ({
  sql: 'UPDATE plg_flash_sale_entries SET sold = sold WHERE id = :e AND sold > stock',
  args: { e: entryId },
  expect: 1,
});

/** The three writes that hold `q` units of an entry for an order. */
function holdStatements(a: Args & { e: string; q: number; m: string; o: string; no: string; ol: string; paid: number; price: number; now: number }): ReservedStatement[] {
  return [
    // The units: only while the sale is open at the order's time, at the price the order was
    // priced with, and never past the stock (CHECK plg_flash_sale_sold_within_stock backs it).
    {
      sql: `UPDATE plg_flash_sale_entries SET sold = sold + :q
        WHERE id = :e AND flash_price = :price AND sold + :q <= stock
          AND EXISTS (SELECT 1 FROM plg_flash_sale_activities a WHERE a.id = plg_flash_sale_entries.activity_id
            AND a.status = 'active' AND a.starts_at <= :now AND a.ends_at > :now)`,
      args: { e: a.e, q: a.q, price: a.price, now: a.now },
      expect: 1,
    },
    // The member's counter: CHECK plg_flash_sale_member_limit refuses a hold past the limit,
    // even when two orders of one member race.
    {
      sql: `INSERT INTO plg_flash_sale_member_counts (entry_id, member_id, bought, limit_per_member)
        SELECT id, :m, :q, limit_per_member FROM plg_flash_sale_entries WHERE id = :e
        ON CONFLICT (entry_id, member_id) DO UPDATE SET bought = bought + excluded.bought, limit_per_member = excluded.limit_per_member`,
      args: { e: a.e, m: a.m, q: a.q },
      expect: 1,
    },
    // What the order holds, so cancel and refund give back exactly this (one row per order and entry).
    {
      sql: `INSERT INTO plg_flash_sale_purchases (order_id, entry_id, activity_id, member_id, sku_id, order_no, order_line_id, quantity, flash_price, paid_amount, reserved_at)
        SELECT :o, id, activity_id, :m, sku_id, :no, :ol, :q, flash_price, :paid, :now FROM plg_flash_sale_entries WHERE id = :e`,
      args: { e: a.e, m: a.m, q: a.q, o: a.o, no: a.no, ol: a.ol, paid: a.paid, now: a.now },
      expect: 1,
    },
  ];
}

/**
 * reserveOrder: holds, inside the order's own batch, every flash offer the price applied. The
 * units are the ones pricing gave the flash price to, worked out again the same way from the same
 * state and lines — deliberately without the window check, so an order placed after the sale
 * closed is refused by the database's guard rather than let through unheld. Any guard or
 * constraint failing refuses the whole order with FLASH_SALE_SOLD_OUT.
 */
export function flashReservation(ctx: ReserveContext<FlashSaleSettings, FlashSaleState>): ReserveResult {
  const refs = [...new Set(ctx.priced.applied.flatMap((a) => (a.kind === 'line_discount' && a.ref !== undefined && a.amount > 0 ? [a.ref] : [])))];
  if (refs.length === 0) return null;
  const entries = (ctx.state?.entries ?? []).filter((e) => refs.includes(e.id));
  const statements: ReservedStatement[] = refs.filter((r) => !ctx.member || !entries.some((e) => e.id === r)).map(unholdable);
  if (ctx.member) {
    const byEntry = new Map<string, { entry: Readonly<LiveEntry>; lines: Readonly<PlacedCartLine>[]; units: number }>();
    for (const { line, entry, units } of flashLines(ctx.lines, entries)) {
      const held = byEntry.get(entry.id) ?? { entry, lines: [], units: 0 };
      held.lines.push(line);
      held.units += units;
      byEntry.set(entry.id, held);
    }
    // An applied entry with no line of its SKU cannot be accounted for either.
    for (const e of entries) if (!byEntry.has(e.id)) statements.push(unholdable(e.id));
    for (const { entry, lines, units } of byEntry.values()) {
      // Priced with units the state no longer shows: hold the whole quantity and let the guard decide.
      const q = units > 0 ? units : lines.reduce((s, l) => s + l.quantity, 0);
      statements.push(...holdStatements({
        e: entry.id, q, m: ctx.member.id, o: ctx.orderId, no: ctx.orderNo, ol: lines[0]!.orderLineId,
        paid: lines.reduce((s, l) => s + l.paidAmount, 0), price: entry.flashPrice, now: ctx.now,
      }));
    }
  }
  return { statements, refusal: reservationRefusal };
}
