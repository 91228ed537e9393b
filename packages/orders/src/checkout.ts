import type { Client, InStatement } from '@libsql/client';
import { AppError, isCheckViolation, isUniqueViolation, newId } from '@tuike/core';
import { afterStockTaken } from './notices';
import { defaultShipping, priceLines, type PricedCart, type PricingHook, type ShippingRule } from './pricing';

export interface RequestedLine {
  skuId: string;
  quantity: number;
}

interface SkuRow {
  skuId: string;
  productId: string;
  title: string;
  specs: Record<string, string>;
  image: string | null;
  price: number;
  stock: number;
  onShelf: boolean;
  /** Columns other modules asked for (commission rules, …), raw as the database returned them. */
  extra: Record<string, unknown>;
}

export interface CheckoutContext {
  shipping: ShippingRule;
  orderTimeoutMs: number;
  address: Record<string, string> | null;
  /** The values of the extra columns the caller asked for, by name. */
  extra: Record<string, unknown>;
}

/** A column another module adds to a checkout read: `sql` is a scalar expression, `args` its parameters. */
export interface ExtraColumn { sql: string; args: (string | number | null)[] }

function extraSelect(extra: Record<string, ExtraColumn>) {
  const names = Object.keys(extra);
  for (const n of names) if (!/^[a-z_]+$/.test(n)) throw new Error(`bad column name ${n}`);
  return { sql: names.map((n) => `, ${extra[n]!.sql} AS x_${n}`).join(''), args: names.flatMap((n) => extra[n]!.args), names };
}

const extraOf = (row: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((n) => [n, row[`x_${n}`] ?? null]));

const SKU_COLUMNS = `k.id AS sku_id, k.product_id, k.specs, k.price, k.stock, p.title, p.images,
  (p.status = 'on' AND p.deleted_at IS NULL AND k.deleted_at IS NULL) AS on_shelf`;

/** Read 1 of 2: the requested SKUs with their products, live. */
export async function loadSkus(db: Client, skuIds: readonly string[], extra: Record<string, ExtraColumn> = {}): Promise<Map<string, SkuRow>> {
  if (skuIds.length === 0) return new Map();
  const x = extraSelect(extra);
  const rs = await db.execute({
    sql: `SELECT ${SKU_COLUMNS}${x.sql} FROM skus k JOIN products p ON p.id = k.product_id WHERE k.id IN (${skuIds.map(() => '?').join(', ')})`,
    args: [...x.args, ...skuIds],
  });
  return skuMap(rs.rows, x.names);
}

/** Read 1 of 2 when buying the cart: its lines and their SKUs in the same query. */
export async function loadCartSkus(db: Client, memberId: string, extra: Record<string, ExtraColumn> = {}): Promise<{ lines: RequestedLine[]; skus: Map<string, SkuRow> }> {
  const x = extraSelect(extra);
  const rs = await db.execute({
    sql: `SELECT c.quantity, ${SKU_COLUMNS}${x.sql} FROM cart_items c JOIN skus k ON k.id = c.sku_id JOIN products p ON p.id = k.product_id
          WHERE c.member_id = ? ORDER BY c.created_at`,
    args: [...x.args, memberId],
  });
  return { lines: rs.rows.map((r) => ({ skuId: String(r.sku_id), quantity: Number(r.quantity) })), skus: skuMap(rs.rows, x.names) };
}

function skuMap(rows: Iterable<Record<string, unknown>>, extraNames: string[] = []): Map<string, SkuRow> {
  return new Map([...rows].map((r) => [String(r.sku_id), {
    skuId: String(r.sku_id), productId: String(r.product_id), title: String(r.title),
    specs: JSON.parse(String(r.specs)) as Record<string, string>,
    image: (JSON.parse(String(r.images)) as string[])[0] ?? null,
    price: Number(r.price), stock: Number(r.stock), onShelf: Number(r.on_shelf) === 1,
    extra: extraOf(r, extraNames),
  } satisfies SkuRow]));
}

/** Read 2 of 2: shipping rule, order timeout and (when given) the buyer's own address, in one query. */
export async function loadCheckoutContext(db: Client, memberId: string, addressId: string | null, extra: Record<string, ExtraColumn> = {}): Promise<CheckoutContext> {
  const x = extraSelect(extra);
  const rs = await db.execute({
    sql: `SELECT (SELECT value FROM settings WHERE key = 'shipping') AS shipping,
                 (SELECT value FROM settings WHERE key = 'orderTimeoutMinutes') AS timeout,
                 (SELECT json_object('name', name, 'phone', phone, 'province', province, 'city', city, 'district', district, 'detail', detail)
                    FROM addresses WHERE id = ? AND member_id = ?) AS address${x.sql}`,
    args: [addressId ?? '', memberId, ...x.args],
  });
  const row = rs.rows[0];
  const shipping = row?.shipping ? (JSON.parse(String(row.shipping)) as ShippingRule) : defaultShipping;
  const minutes = row?.timeout ? Number(JSON.parse(String(row.timeout))) : 30;
  return {
    shipping, orderTimeoutMs: minutes * 60_000, address: row?.address ? (JSON.parse(String(row.address)) as Record<string, string>) : null,
    extra: row ? extraOf(row, x.names) : {},
  };
}

/** Merges repeated SKUs and checks quantities; the server prices everything, the client nothing. */
export function normalizeLines(lines: readonly RequestedLine[]): RequestedLine[] {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.skuId, (merged.get(l.skuId) ?? 0) + l.quantity);
  const out = [...merged].map(([skuId, quantity]) => ({ skuId, quantity }));
  if (out.length === 0) throw new AppError('CART_EMPTY');
  if (out.some((l) => l.quantity < 1 || l.quantity > 999)) throw new AppError('VALIDATION_FAILED', { quantity: '1–999' });
  return out;
}

export interface PricedCheckout {
  cart: PricedCart;
  rows: SkuRow[];
}

/** Prices requested lines from live SKU rows; refuses what cannot be bought now. */
export function priceCheckout(requested: readonly RequestedLine[], skus: Map<string, SkuRow>, shipping: ShippingRule, hooks: readonly PricingHook[] = []): PricedCheckout {
  const rows = requested.map((l) => {
    const row = skus.get(l.skuId);
    if (!row || !row.onShelf) throw new AppError('PRODUCT_NOT_FOUND', { skuId: l.skuId });
    if (row.stock < l.quantity) throw new AppError('OUT_OF_STOCK', { skuId: l.skuId, available: row.stock });
    return row;
  });
  const cart = priceLines(requested.map((l, i) => ({ skuId: l.skuId, quantity: l.quantity, unitPrice: rows[i]!.price })), shipping, hooks);
  return { cart, rows };
}

export interface PlaceOrderInput {
  memberId: string;
  channel: 'wechat' | 'h5' | 'app';
  clientKey: string;
  remark: string;
  address: Record<string, string>;
  fromCart: boolean;
  provider: 'sandbox' | 'wechat' | 'alipay';
}

/** A placed line as other modules see it when they add to the placement batch. */
export interface PlacedLine { lineId: string; skuId: string; productId: string; quantity: number; paidAmount: number }

/**
 * What distribution (or a plugin) adds to the order as it is placed: the upline and the
 * distributor shop captured on the order, and statements that ride in the same batch.
 */
export interface PlacementAttachment {
  upline: (string | null)[] | null;
  distributorShopId: string | null;
  statements(order: { orderId: string; orderNo: string; lines: PlacedLine[] }): InStatement[];
  /** The order row's `offers` and `plugins` (JSON text), once `statements` has run; both NULL when absent. */
  orderColumns?(): { offers: string | null; plugins: string | null };
  /** The error a buyer should get when the batch failed on one of this attachment's own holds, or null. */
  refusal?(error: unknown): Error | null;
}

/** Human order numbers: date + 10 random digits, e.g. 20261121 8402957731 (unique index backs it). */
export function orderNumber(now: number): string {
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => b % 10).join('');
  return `${day}${digits}`;
}

const guard = (name: string, condition: string, args: (string | number)[] = []): InStatement =>
  ({ sql: `INSERT INTO invariant_guards (name, holds) SELECT ?, (${condition})`, args: [name, ...args] });

/**
 * The order as one write batch (C3): guarded stock decrement for every line (CHECK stock >= 0
 * refuses an oversell under any concurrency), a guard that each SKU still has the price we
 * charged and its product is on the shelf, stock movements, the order, its lines, the payment
 * intent and — from a cart — removal of the bought items. Either all of it or none.
 */
export function placeOrderStatements(input: PlaceOrderInput, priced: PricedCheckout, now: number, timeoutMs: number, attachment?: PlacementAttachment) {
  const orderId = newId();
  const placedLines: PlacedLine[] = [];
  const intentId = newId();
  const orderNo = orderNumber(now);
  const { cart, rows } = priced;
  const statements: InStatement[] = [];
  cart.lines.forEach((line, i) => {
    const row = rows[i]!;
    statements.push({ sql: 'UPDATE skus SET stock = stock - ?, updated_at = ? WHERE id = ? AND price = ? AND deleted_at IS NULL', args: [line.quantity, now, line.skuId, line.unitPrice] });
    statements.push(guard('sku_unchanged', 'changes() = 1'));
    statements.push({ sql: `INSERT INTO stock_movements (id, sku_id, delta, reason, ref, created_at) VALUES (?, ?, ?, 'order', ?, ?)`, args: [newId(), line.skuId, -line.quantity, orderId, now] });
    const lineId = newId();
    placedLines.push({ lineId, skuId: line.skuId, productId: row.productId, quantity: line.quantity, paidAmount: line.paidAmount });
    statements.push({
      sql: `INSERT INTO order_lines (id, order_id, sku_id, product_id, title, specs, image, unit_price, quantity, discount, paid_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [lineId, orderId, line.skuId, row.productId, row.title, JSON.stringify(row.specs), row.image, line.unitPrice, line.quantity, line.discount, line.paidAmount],
    });
  });
  const productIds = [...new Set(rows.map((r) => r.productId))];
  statements.push(guard('products_on_shelf', `(SELECT count(*) FROM products WHERE status = 'on' AND deleted_at IS NULL AND id IN (${productIds.map(() => '?').join(', ')})) = ?`, [...productIds, productIds.length]));
  // After the shelf guard: an auto off-shelf triggered by this very sale must not refuse it.
  cart.lines.forEach((line, i) => statements.push(...afterStockTaken(line.skuId, rows[i]!.productId, line.quantity, now)));
  const attached = attachment ? attachment.statements({ orderId, orderNo, lines: placedLines }) : [];
  const columns = attachment?.orderColumns?.() ?? { offers: null, plugins: null };
  statements.unshift({
    sql: `INSERT INTO orders (id, order_no, member_id, client_key, status, channel, items_total, discount_total, shipping_fee, pay_total, address, remark, upline, distributor_shop_id, offers, plugins, expires_at, created_at, updated_at)
          VALUES (?, ?, ?, ?, 'pending_payment', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [orderId, orderNo, input.memberId, input.clientKey, input.channel, cart.itemsTotal, cart.discountTotal, cart.shippingFee, cart.payTotal, JSON.stringify(input.address), input.remark,
      attachment?.upline ? JSON.stringify(attachment.upline) : null, attachment?.distributorShopId ?? null, columns.offers, columns.plugins, now + timeoutMs, now, now],
  });
  statements.push(...attached);
  statements.push({ sql: `INSERT INTO payment_intents (id, order_id, provider, amount, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)`, args: [intentId, orderId, input.provider, cart.payTotal, now, now] });
  const bought = cart.lines.filter((l) => !l.gift);
  if (input.fromCart && bought.length) {
    statements.push({ sql: `DELETE FROM cart_items WHERE member_id = ? AND sku_id IN (${bought.map(() => '?').join(', ')})`, args: [input.memberId, ...bought.map((l) => l.skuId)] });
  }
  statements.push('DELETE FROM invariant_guards');
  return { orderId, intentId, orderNo, statements };
}

/** Runs the placement batch; a lost race becomes the error a buyer understands. */
export async function placeOrder(db: Client, input: PlaceOrderInput, priced: PricedCheckout, now: number, timeoutMs: number, attachment?: PlacementAttachment) {
  const placed = placeOrderStatements(input, priced, now, timeoutMs, attachment);
  try {
    await db.batch(placed.statements, 'write');
    return { ...placed, replayed: false };
  } catch (e) {
    if (isUniqueViolation(e, 'orders.member_id') || isUniqueViolation(e, 'orders.client_key')) {
      const existing = await db.execute({ sql: `SELECT o.id, o.order_no, (SELECT id FROM payment_intents WHERE order_id = o.id ORDER BY created_at DESC LIMIT 1) AS intent_id FROM orders o WHERE member_id = ? AND client_key = ?`, args: [input.memberId, input.clientKey] });
      const row = existing.rows[0];
      if (row) return { orderId: String(row.id), orderNo: String(row.order_no), intentId: String(row.intent_id), statements: placed.statements, replayed: true };
    }
    if (isCheckViolation(e, 'skus_stock')) throw new AppError('OUT_OF_STOCK');
    if (isCheckViolation(e, 'invariant_guards')) throw new AppError('PRICE_CHANGED');
    throw attachment?.refusal?.(e) ?? e;
  }
}
