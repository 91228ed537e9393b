import type { Client, InStatement } from '@libsql/client';
import { AppError, isCheckViolation, isUniqueViolation, newId } from '@tuike/core';
import type { AfterSaleLine } from '@tuike/db-tenant';
import { refundNotice } from './notices';
import { recordNotice } from './order-transitions';

export type AfterSaleKind = 'refund' | 'return_refund' | 'exchange';

/** Which order states accept which request (completed: the after-sales window has passed). */
const ALLOWED: Record<AfterSaleKind, readonly string[]> = {
  refund: ['paid', 'shipped', 'received'],
  return_refund: ['shipped', 'received'],
  exchange: ['shipped', 'received'],
};

interface LineRow { id: string; sku_id: string; quantity: number; paid_amount: number; refunded_amount: number }

async function orderWithLines(db: Client, orderId: string, memberId: string | null) {
  const rs = await db.execute({
    sql: `SELECT o.status, o.member_id, l.id, l.sku_id, l.quantity, l.paid_amount, l.refunded_amount FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.id = ?`,
    args: [orderId],
  });
  const first = rs.rows[0];
  if (!first || (memberId && first.member_id !== memberId)) throw new AppError('ORDER_NOT_FOUND');
  const lines: LineRow[] = rs.rows.map((r) => ({ id: String(r.id), sku_id: String(r.sku_id), quantity: Number(r.quantity), paid_amount: Number(r.paid_amount), refunded_amount: Number(r.refunded_amount) }));
  return { status: String(first.status), lines };
}

export interface AfterSaleRequest {
  kind: AfterSaleKind;
  reason: string;
  images: string[];
  lines: { lineId: string; quantity: number; amount?: number }[];
}

/**
 * A buyer's request (C7): per line, how many units and (for refunds) how much, never more than
 * what was paid for the line less what was already refunded. One open request per order (a
 * partial unique index), so two taps cannot file two claims on the same money.
 */
export async function requestAfterSale(db: Client, memberId: string, orderId: string, input: AfterSaleRequest, now: number) {
  const order = await orderWithLines(db, orderId, memberId);
  if (!ALLOWED[input.kind].includes(order.status)) throw new AppError('ORDER_STATE');
  const claimed: AfterSaleLine[] = input.lines.map((l) => {
    const line = order.lines.find((x) => x.id === l.lineId);
    if (!line || l.quantity < 1 || l.quantity > line.quantity) throw new AppError('VALIDATION_FAILED', { lineId: l.lineId });
    const refundable = line.paid_amount - line.refunded_amount;
    const amount = input.kind === 'exchange' ? 0 : l.amount ?? Math.min(refundable, Math.floor((line.paid_amount * l.quantity) / line.quantity));
    if (amount < 0 || amount > refundable) throw new AppError('REFUND_EXCEEDS', { lineId: l.lineId, refundable });
    return { lineId: line.id, quantity: l.quantity, amount };
  });
  if (claimed.length === 0 || new Set(claimed.map((l) => l.lineId)).size !== claimed.length) throw new AppError('VALIDATION_FAILED', { lines: 'one entry per line' });
  const id = newId();
  const amount = claimed.reduce((n, l) => n + l.amount, 0);
  try {
    await db.execute({
      sql: `INSERT INTO after_sales (id, order_id, member_id, kind, status, reason, images, lines, amount, created_at, updated_at) VALUES (?, ?, ?, ?, 'requested', ?, ?, ?, ?, ?, ?)`,
      args: [id, orderId, memberId, input.kind, input.reason, JSON.stringify(input.images), JSON.stringify(claimed), amount, now, now],
    });
  } catch (e) {
    if (isUniqueViolation(e, 'after_sales.order_id')) throw new AppError('AFTER_SALE_OPEN');
    throw e;
  }
  return { id, amount, lines: claimed };
}

interface AfterSaleRow { id: string; orderId: string; memberId: string; kind: AfterSaleKind; status: string; lines: AfterSaleLine[]; amount: number }

export async function loadAfterSale(db: Client, id: string): Promise<AfterSaleRow> {
  const rs = await db.execute({ sql: `SELECT id, order_id, member_id, kind, status, lines, amount FROM after_sales WHERE id = ?`, args: [id] });
  const r = rs.rows[0];
  if (!r) throw new AppError('AFTER_SALE_NOT_FOUND');
  return { id: String(r.id), orderId: String(r.order_id), memberId: String(r.member_id), kind: String(r.kind) as AfterSaleKind, status: String(r.status), lines: JSON.parse(String(r.lines)) as AfterSaleLine[], amount: Number(r.amount) };
}

const moved = (name: string): InStatement => ({ sql: `INSERT INTO invariant_guards (name, holds) SELECT ?, changes() = 1`, args: [name] });

async function transition(db: Client, statements: InStatement[]) {
  try {
    await db.batch([...statements, 'DELETE FROM invariant_guards'], 'write');
  } catch (e) {
    if (isCheckViolation(e, 'invariant_guards')) throw new AppError('ORDER_STATE');
    if (isCheckViolation(e, 'order_lines_money')) throw new AppError('REFUND_EXCEEDS');
    throw e;
  }
}

export async function rejectAfterSale(db: Client, id: string, reason: string, now: number, extra: InStatement[] = []) {
  await transition(db, [
    { sql: `UPDATE after_sales SET status = 'rejected', reject_reason = ?, resolved_at = ?, updated_at = ? WHERE id = ? AND status = 'requested'`, args: [reason, now, now, id] },
    moved('after_sale_requested'), ...extra,
  ]);
}

/** Buyer sends the goods back (return_refund, exchange): awaiting_return → returned. */
export async function submitReturn(db: Client, id: string, memberId: string, carrier: string, trackingNo: string, now: number) {
  await transition(db, [
    { sql: `UPDATE after_sales SET status = 'returned', return_carrier = ?, return_tracking_no = ?, updated_at = ? WHERE id = ? AND member_id = ? AND status = 'awaiting_return'`, args: [carrier, trackingNo, now, id, memberId] },
    moved('after_sale_awaiting_return'),
  ]);
}

/**
 * The money side of a refund, through the order's payment provider. `status` is what the provider
 * said: succeeded (the money is back; the default, for synchronous providers), processing (the
 * outcome arrives later in a refund notify, see applyRefundNotice) or failed (closed / abnormal).
 */
export type RefundFn = (input: { intentId: string; refundId: string; amount: number }) => Promise<{ externalId: string; status?: 'succeeded' | 'processing' | 'failed' }>;

/**
 * Refunds an after-sale. First one batch records everything: the refund (processing), each line's
 * refunded amount (CHECK refunded <= paid, so two refunds can never exceed what was paid), stock
 * back for goods that came back (or never left), the order marked refunded once every line is,
 * and the `order.refunded` event with the amount per line (distribution reverses commission from
 * it). Only then is the provider asked to pay out, idempotently by the refund id; its answer
 * marks the refund succeeded (with the buyer's notice) or failed (a failed one stays visible for
 * staff to retry), or leaves it processing until the provider's refund notify settles it.
 */
/** Statements other modules add to a refund's batch, given what was refunded per line (distribution reverses commission). */
export type OnRefund = (refund: { orderId: string; afterSaleId: string; lines: { lineId: string; amount: number }[] }) => InStatement[];

async function refund(db: Client, sale: AfterSaleRow, from: string, restock: boolean, refundFn: RefundFn, now: number, extra: InStatement[], onRefund?: OnRefund) {
  const intent = await db.execute({ sql: `SELECT id FROM payment_intents WHERE order_id = ? AND status = 'succeeded' LIMIT 1`, args: [sale.orderId] });
  const intentId = intent.rows[0] ? String(intent.rows[0].id) : null;
  if (!intentId) throw new AppError('ORDER_STATE');
  const refundId = newId();
  const lineSkus = restock ? await db.execute({ sql: `SELECT id, sku_id FROM order_lines WHERE order_id = ?`, args: [sale.orderId] }) : { rows: [] };
  const skuOf = new Map(lineSkus.rows.map((r) => [String(r.id), String(r.sku_id)]));
  await transition(db, [
    { sql: `UPDATE after_sales SET status = 'refunded', resolved_at = ?, updated_at = ? WHERE id = ? AND status = ?`, args: [now, now, sale.id, from] },
    moved(`after_sale_${from}`),
    ...(sale.amount > 0 ? [{ sql: `INSERT INTO refunds (id, after_sale_id, order_id, intent_id, amount, status, created_at) VALUES (?, ?, ?, ?, ?, 'processing', ?)`, args: [refundId, sale.id, sale.orderId, intentId, sale.amount, now] }] : []),
    ...sale.lines.map((l): InStatement => ({ sql: `UPDATE order_lines SET refunded_amount = refunded_amount + ? WHERE id = ?`, args: [l.amount, l.lineId] })),
    ...(restock ? sale.lines.flatMap((l): InStatement[] => [
      { sql: `UPDATE skus SET stock = stock + ?, updated_at = ? WHERE id = ?`, args: [l.quantity, now, skuOf.get(l.lineId)!] },
      { sql: `INSERT INTO stock_movements (id, sku_id, delta, reason, ref, created_at) VALUES (?, ?, ?, 'return', ?, ?)`, args: [newId(), skuOf.get(l.lineId)!, l.quantity, sale.id, now] },
    ]) : []),
    { sql: `UPDATE orders SET status = 'refunded', updated_at = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM order_lines WHERE order_id = ? AND refunded_amount < paid_amount)`, args: [now, sale.orderId, sale.orderId] },
    // For the plugins that took part in the order; an order none took part in has no one to tell.
    { sql: `INSERT INTO outbox_events (id, type, payload, created_at) SELECT ?, 'order.refunded', ?, ? FROM orders WHERE id = ? AND plugins IS NOT NULL`, args: [newId(), JSON.stringify({ orderId: sale.orderId, afterSaleId: sale.id, total: sale.amount, lines: sale.lines.map((l) => ({ lineId: l.lineId, amount: l.amount })) }), now, sale.orderId] },
    ...(onRefund ? onRefund({ orderId: sale.orderId, afterSaleId: sale.id, lines: sale.lines.map((l) => ({ lineId: l.lineId, amount: l.amount })) }) : []),
    ...extra,
  ]);
  if (sale.amount === 0) return;
  let result: Awaited<ReturnType<RefundFn>>;
  try {
    result = await refundFn({ intentId, refundId, amount: sale.amount });
  } catch (e) {
    await db.execute({ sql: `UPDATE refunds SET status = 'failed' WHERE id = ? AND status = 'processing'`, args: [refundId] });
    throw e;
  }
  const status = result.status ?? 'succeeded';
  if (status === 'processing') {
    // Not money back yet: keep it processing (and the buyer un-notified) until the notify says so.
    await db.execute({ sql: `UPDATE refunds SET external_id = ? WHERE id = ? AND external_id IS NULL`, args: [result.externalId, refundId] });
    return;
  }
  // The refund notify may have got here first; whoever moves it out of processing notifies.
  await settleRefund(db, { refundId, orderId: sale.orderId, amount: sale.amount, externalId: result.externalId, to: status }, now);
  if (status === 'failed') throw new Error(`the payment provider did not refund ${refundId} (closed or abnormal)`);
}

/**
 * processing → succeeded (with the buyer's "退款成功" notice, in the same batch) or → failed.
 * Returns false when the refund was no longer processing (already settled) — nothing changed.
 */
async function settleRefund(db: Client, r: { refundId: string; orderId: string; amount: number; externalId: string; to: 'succeeded' | 'failed' }, now: number, extra: InStatement[] = []): Promise<boolean> {
  try {
    await transition(db, [
      { sql: `UPDATE refunds SET status = ?, external_id = ? WHERE id = ? AND status = 'processing' AND amount = ?`, args: [r.to, r.externalId, r.refundId, r.amount] },
      moved('refund_processing'),
      ...(r.to === 'succeeded' ? [refundNotice(r.orderId, r.amount, now)] : []),
      ...extra,
    ]);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === 'ORDER_STATE') return false;
    throw e;
  }
}

/** A provider's verified refund result notify (WeChat Pay's REFUND.SUCCESS / ABNORMAL / CLOSED). */
export interface RefundResultNotice {
  /** Our refund id (null when the provider's refund number is not one we issued). */
  refundId: string | null;
  externalRefundId: string;
  /** fen the provider says it refunded */
  amount: number;
  outcome: 'succeeded' | 'failed';
  provider: string;
}

/**
 * Applies a refund notify once, by our refund id: processing → succeeded (with the buyer's notice)
 * or processing → failed, recorded in payment_notifications in the same batch. A replay (the refund
 * already in that state) changes nothing and answers 'duplicate'. Anything else is recorded with
 * why and refused: an unknown refund (AFTER_SALE_NOT_FOUND), a different amount
 * (PAYMENT_AMOUNT_MISMATCH), a refund already settled the other way (ORDER_STATE).
 */
export async function applyRefundNotice(db: Client, notice: RefundResultNotice, now: number): Promise<'applied' | 'duplicate'> {
  const rs = notice.refundId ? await db.execute({ sql: `SELECT order_id, intent_id, amount, status, external_id FROM refunds WHERE id = ?`, args: [notice.refundId] }) : { rows: [] };
  const row = rs.rows[0];
  const intentId = row ? String(row.intent_id) : null;
  const record = (outcome: string) => recordNotice(db, notice.provider, intentId, outcome, notice, now);
  if (!row) {
    await record('unknown_refund');
    throw new AppError('AFTER_SALE_NOT_FOUND');
  }
  if (Number(row.amount) !== notice.amount) {
    await record('refund_amount_mismatch');
    throw new AppError('PAYMENT_AMOUNT_MISMATCH');
  }
  if (row.status === 'processing') {
    const applied = { sql: `INSERT INTO payment_notifications (id, provider, intent_id, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)`, args: [newId(), notice.provider, intentId, `refund_${notice.outcome}`, JSON.stringify(notice), now] };
    const moved = await settleRefund(db, { refundId: notice.refundId!, orderId: String(row.order_id), amount: notice.amount, externalId: notice.externalRefundId, to: notice.outcome }, now, [applied]);
    if (moved) return 'applied';
    return applyRefundNotice(db, notice, now); // settled meanwhile: say how, from what it is now
  }
  if (row.status === notice.outcome && (row.external_id === null || row.external_id === notice.externalRefundId)) {
    await record('refund_duplicate');
    return 'duplicate';
  }
  await record(`refund_${String(row.status)}`);
  throw new AppError('ORDER_STATE', { refund: String(row.status) });
}

/** Staff approve: a refund pays out now; a return or exchange waits for the goods. */
export async function approveAfterSale(db: Client, id: string, refundFn: RefundFn, now: number, extra: InStatement[] = [], onRefund?: OnRefund) {
  const sale = await loadAfterSale(db, id);
  if (sale.status !== 'requested') throw new AppError('ORDER_STATE');
  if (sale.kind !== 'refund') {
    await transition(db, [
      { sql: `UPDATE after_sales SET status = 'awaiting_return', updated_at = ? WHERE id = ? AND status = 'requested'`, args: [now, id] },
      moved('after_sale_requested'), ...extra,
    ]);
    return 'awaiting_return' as const;
  }
  // Goods that never shipped go back on the shelf with the refund.
  const order = await db.execute({ sql: `SELECT status FROM orders WHERE id = ?`, args: [sale.orderId] });
  await refund(db, sale, 'requested', order.rows[0]?.status === 'paid', refundFn, now, extra, onRefund);
  return 'refunded' as const;
}

/** Staff received the returned goods: refund (return_refund) or settle the exchange; stock comes back. */
export async function completeReturn(db: Client, id: string, refundFn: RefundFn, now: number, extra: InStatement[] = [], onRefund?: OnRefund) {
  const sale = await loadAfterSale(db, id);
  if (sale.status !== 'returned') throw new AppError('ORDER_STATE');
  if (sale.kind === 'return_refund') {
    await refund(db, sale, 'returned', true, refundFn, now, extra, onRefund);
    return 'refunded' as const;
  }
  await transition(db, [
    { sql: `UPDATE after_sales SET status = 'exchanged', resolved_at = ?, updated_at = ? WHERE id = ? AND status = 'returned'`, args: [now, now, id] },
    moved('after_sale_returned'), ...extra,
  ]);
  return 'exchanged' as const;
}
