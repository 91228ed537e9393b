import type { Client, InStatement } from '@libsql/client';
import { AppError, isCheckViolation, newId } from '@tuike/core';
import { paidNotices } from './notices';

/*
 * The order state machine (DESIGN.md): every transition is a named function (applyPayment,
 * releaseUnpaid here; shipOrder, receiveOrder, advanceDueOrders in fulfilment; refunds in
 * after-sales) that writes one batch whose UPDATE names the state it leaves and a guard that
 * exactly one row moved, so a transition happens once however many callers race for it.
 */
const movedOne = (name: string): InStatement => ({ sql: `INSERT INTO invariant_guards (name, holds) SELECT ?, changes() = 1`, args: [name] });
const clearGuards: InStatement = 'DELETE FROM invariant_guards';

export interface PaymentNotice {
  intentId: string;
  externalId: string;
  amount: number;
  provider: string;
}

/**
 * pending_payment → paid, from a verified payment notice: one batch, no read on the way in. A
 * replayed notice or a wrong amount fails the guards; only then do we read to say which it was.
 */
export async function applyPayment(db: Client, notice: PaymentNotice, now: number, extra: InStatement[] = []): Promise<'applied' | 'duplicate'> {
  const statements: InStatement[] = [
    // A failed attempt can be followed by a successful one on the same intent (as with WeChat
    // Pay's out_trade_no); only a succeeded or closed intent is final.
    { sql: `UPDATE payment_intents SET status = 'succeeded', external_id = ?, updated_at = ? WHERE id = ? AND status IN ('pending', 'failed') AND amount = ?`, args: [notice.externalId, now, notice.intentId, notice.amount] },
    movedOne('intent_pending'),
    { sql: `UPDATE orders SET status = 'paid', paid_at = ?, updated_at = ? WHERE id = (SELECT order_id FROM payment_intents WHERE id = ?) AND status = 'pending_payment'`, args: [now, now, notice.intentId] },
    movedOne('order_pending'),
    { sql: `UPDATE products SET sales = sales + (SELECT sum(l.quantity) FROM order_lines l WHERE l.order_id = (SELECT order_id FROM payment_intents WHERE id = ?) AND l.product_id = products.id)
            WHERE id IN (SELECT product_id FROM order_lines WHERE order_id = (SELECT order_id FROM payment_intents WHERE id = ?))`, args: [notice.intentId, notice.intentId] },
    { sql: `INSERT INTO payment_notifications (id, provider, intent_id, outcome, detail, created_at) VALUES (?, ?, ?, 'applied', ?, ?)`, args: [newId(), notice.provider, notice.intentId, JSON.stringify(notice), now] },
    ...paidNotices(notice.intentId, now),
    ...extra,
    clearGuards,
  ];
  try {
    await db.batch(statements, 'write');
    return 'applied';
  } catch (e) {
    if (!isCheckViolation(e, 'invariant_guards')) throw e;
  }
  const rs = await db.execute({ sql: `SELECT i.status, i.amount, i.external_id, o.status AS order_status FROM payment_intents i JOIN orders o ON o.id = i.order_id WHERE i.id = ?`, args: [notice.intentId] });
  const row = rs.rows[0];
  const outcome = !row ? 'unknown_intent'
    : row.status === 'succeeded' && row.external_id === notice.externalId ? 'duplicate'
    : Number(row.amount) !== notice.amount ? 'amount_mismatch'
    : row.order_status !== 'pending_payment' ? `order_${String(row.order_status)}`
    : `intent_${String(row.status)}`;
  await recordNotice(db, notice.provider, notice.intentId, outcome, notice, now);
  if (outcome === 'duplicate') return 'duplicate';
  if (outcome === 'unknown_intent') throw new AppError('ORDER_NOT_FOUND');
  if (outcome === 'amount_mismatch') throw new AppError('PAYMENT_AMOUNT_MISMATCH');
  throw new AppError('ORDER_STATE', { outcome });
}

/** Every notice that was not applied is still kept, with why (forged, replayed, wrong amount). */
export async function recordNotice(db: Client, provider: string, intentId: string | null, outcome: string, detail: unknown, now: number) {
  await db.execute({ sql: `INSERT INTO payment_notifications (id, provider, intent_id, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)`, args: [newId(), provider, intentId, outcome, JSON.stringify(detail), now] });
}

/**
 * pending_payment → cancelled (the buyer) or closed (the timeout): the order's stock goes back,
 * with ledger rows, and its open payment intents close — one batch.
 */
export async function releaseUnpaid(db: Client, orderId: string, to: 'cancelled' | 'closed', now: number, opts: { memberId?: string; beforeDeadline?: boolean; extra?: InStatement[] } = {}) {
  const lines = await db.execute({ sql: `SELECT sku_id, quantity FROM order_lines WHERE order_id = ?`, args: [orderId] });
  const owner = opts.memberId ? ' AND member_id = ?' : '';
  const checkExpiry = to === 'closed' && !opts.beforeDeadline;
  const expiry = checkExpiry ? ' AND expires_at <= ?' : '';
  const statements: InStatement[] = [
    { sql: `UPDATE orders SET status = ?, closed_at = ?, updated_at = ? WHERE id = ? AND status = 'pending_payment'${owner}${expiry}`, args: [to, now, now, orderId, ...(opts.memberId ? [opts.memberId] : []), ...(checkExpiry ? [now] : [])] },
    movedOne('order_pending'),
    ...lines.rows.flatMap((l): InStatement[] => [
      { sql: `UPDATE skus SET stock = stock + ?, updated_at = ? WHERE id = ?`, args: [Number(l.quantity), now, String(l.sku_id)] },
      { sql: `INSERT INTO stock_movements (id, sku_id, delta, reason, ref, created_at) VALUES (?, ?, ?, 'release', ?, ?)`, args: [newId(), String(l.sku_id), Number(l.quantity), orderId, now] },
    ]),
    { sql: `UPDATE payment_intents SET status = 'closed', updated_at = ? WHERE order_id = ? AND status IN ('pending', 'failed')`, args: [now, orderId] },
    ...(opts.extra ?? []),
    clearGuards,
  ];
  try {
    await db.batch(statements, 'write');
  } catch (e) {
    if (isCheckViolation(e, 'invariant_guards')) throw new AppError('ORDER_STATE');
    throw e;
  }
}

/** Closes every unpaid order past its deadline; each in its own batch, so one failure stops none. */
export async function closeExpiredOrders(db: Client, now: number, limit = 200, extraFor: (orderId: string) => InStatement[] = () => []): Promise<number> {
  const due = await db.execute({ sql: `SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at <= ? ORDER BY expires_at LIMIT ?`, args: [now, limit] });
  let closed = 0;
  for (const row of due.rows) {
    try {
      await releaseUnpaid(db, String(row.id), 'closed', now, { extra: extraFor(String(row.id)) });
      closed++;
    } catch (e) {
      if (!(e instanceof AppError)) throw e; // paid or cancelled meanwhile: nothing to close
    }
  }
  return closed;
}
