import type { Client, InStatement } from '@libsql/client';
import { parse } from 'csv-parse/sync';
import { AppError, isCheckViolation, isUniqueViolation, newId } from '@tuike/core';
import { shippedNotice } from './notices';

const movedOne = (name: string): InStatement => ({ sql: `INSERT INTO invariant_guards (name, holds) SELECT ?, changes() = 1`, args: [name] });

/** paid → shipped, with its parcel: one batch, once. */
export function shipStatements(orderId: string, carrier: string, trackingNo: string, now: number): InStatement[] {
  return [
    { sql: `UPDATE orders SET status = 'shipped', shipped_at = ?, updated_at = ? WHERE id = ? AND status = 'paid'`, args: [now, now, orderId] },
    movedOne('order_paid'),
    { sql: `INSERT INTO shipments (id, order_id, carrier, tracking_no, logistics, created_at) VALUES (?, ?, ?, ?, ?, ?)`, args: [newId(), orderId, carrier, trackingNo, JSON.stringify([{ at: now, text: `已发货 ${carrier} ${trackingNo}` }]), now] },
    shippedNotice(orderId, carrier, trackingNo, now),
    // For the plugins that took part in the order (none: no event).
    { sql: `INSERT INTO outbox_events (id, type, payload, created_at) SELECT ?, 'order.shipped', json_object('orderId', id, 'shippedAt', shipped_at), ?
            FROM orders WHERE id = ? AND status = 'shipped' AND shipped_at = ? AND plugins IS NOT NULL`, args: [newId(), now, orderId, now] },
    'DELETE FROM invariant_guards',
  ];
}

export async function shipOrder(db: Client, orderId: string, carrier: string, trackingNo: string, now: number, extra: InStatement[] = []) {
  try {
    await db.batch([...shipStatements(orderId, carrier, trackingNo, now), ...extra], 'write');
  } catch (e) {
    if (isCheckViolation(e, 'invariant_guards') || isUniqueViolation(e, 'shipments.order_id')) throw new AppError('ORDER_STATE');
    throw e;
  }
}

/** shipped → received: the buyer confirms, or the sweeper after the auto-receive days. */
export async function receiveOrder(db: Client, orderId: string, memberId: string, now: number) {
  const rs = await db.execute({ sql: `UPDATE orders SET status = 'received', received_at = ?, updated_at = ? WHERE id = ? AND member_id = ? AND status = 'shipped'`, args: [now, now, orderId, memberId] });
  if (rs.rowsAffected !== 1) throw new AppError('ORDER_STATE');
}

export interface CompletionRules {
  /** Shipped orders count as received this long after shipping (C5: auto-complete). */
  autoReceiveMs: number;
  /** Received orders complete after the after-sales window. */
  completeAfterMs: number;
}

export const defaultCompletionRules: CompletionRules = { autoReceiveMs: 10 * 86_400_000, completeAfterMs: 7 * 86_400_000 };

/**
 * Moves orders whose time has come: shipped → received, received → completed. `onCompleted`
 * statements ride in the same batch and find the orders just completed by completed_at = now.
 */
export async function advanceDueOrders(db: Client, now: number, rules: CompletionRules = defaultCompletionRules, onCompleted: InStatement[] = []) {
  const [received, completed] = await db.batch([
    { sql: `UPDATE orders SET status = 'received', received_at = ?, updated_at = ? WHERE status = 'shipped' AND shipped_at <= ? RETURNING id`, args: [now, now, now - rules.autoReceiveMs] },
    { sql: `UPDATE orders SET status = 'completed', completed_at = ?, updated_at = ? WHERE status = 'received' AND received_at <= ? RETURNING id`, args: [now, now, now - rules.completeAfterMs] },
    ...onCompleted,
  ], 'write');
  return { received: received!.rows.length, completed: completed!.rows.length };
}

export type ShipRowOutcome =
  | { line: number; orderNo: string; outcome: 'shipped' }
  | { line: number; orderNo: string; outcome: 'error'; code: 'MALFORMED_ROW' | 'DUPLICATE_ROW' | 'UNKNOWN_ORDER' | 'NOT_SHIPPABLE' | 'ALREADY_SHIPPED' };

const TRACKING = /^[A-Za-z0-9-]{4,40}$/;
const ORDER_NO = /^\d{10,32}$/;

/**
 * Batch shipping (C6) from a CSV of order number, carrier, tracking number. Every row gets an
 * outcome; rows are validated against the orders first (one read), the good ones are written in
 * one batch, and if that batch loses a race with another change it is retried row by row — so a
 * bad row never takes a good one down with it.
 */
export async function shipFromCsv(db: Client, csv: string, now: number, audit: (shipped: number) => InStatement[] = () => []): Promise<{ rows: ShipRowOutcome[]; shipped: number; failed: number }> {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch {
    throw new AppError('VALIDATION_FAILED', { csv: 'not a CSV file' });
  }
  if (records.length > 5000) throw new AppError('VALIDATION_FAILED', { csv: 'at most 5,000 rows' });
  const firstIsHeader = records[0] !== undefined && !ORDER_NO.test(records[0][0] ?? '');
  const rows = records.map((cells, i) => ({ line: i + 1, cells })).slice(firstIsHeader ? 1 : 0);
  const wanted = [...new Set(rows.map((r) => r.cells[0] ?? '').filter((n) => ORDER_NO.test(n)))];
  const found = wanted.length
    ? await db.execute({ sql: `SELECT o.id, o.order_no, o.status, s.tracking_no FROM orders o LEFT JOIN shipments s ON s.order_id = o.id WHERE o.order_no IN (${wanted.map(() => '?').join(', ')})`, args: wanted })
    : { rows: [] };
  const orders = new Map(found.rows.map((r) => [String(r.order_no), { id: String(r.id), status: String(r.status), trackingNo: r.tracking_no === null ? null : String(r.tracking_no) }]));

  const seen = new Set<string>();
  const outcomes: ShipRowOutcome[] = [];
  const toShip: { index: number; orderId: string; carrier: string; trackingNo: string }[] = [];
  for (const { line, cells } of rows) {
    const [orderNo = '', carrier = '', trackingNo = ''] = cells;
    if (cells.length !== 3 || !ORDER_NO.test(orderNo) || carrier.length < 1 || carrier.length > 20 || !TRACKING.test(trackingNo)) {
      outcomes.push({ line, orderNo, outcome: 'error', code: 'MALFORMED_ROW' });
      continue;
    }
    if (seen.has(orderNo)) {
      outcomes.push({ line, orderNo, outcome: 'error', code: 'DUPLICATE_ROW' });
      continue;
    }
    seen.add(orderNo);
    const order = orders.get(orderNo);
    if (!order) outcomes.push({ line, orderNo, outcome: 'error', code: 'UNKNOWN_ORDER' });
    else if (order.status !== 'paid') outcomes.push({ line, orderNo, outcome: 'error', code: order.trackingNo ? 'ALREADY_SHIPPED' : 'NOT_SHIPPABLE' });
    else {
      toShip.push({ index: outcomes.length, orderId: order.id, carrier, trackingNo });
      outcomes.push({ line, orderNo, outcome: 'shipped' });
    }
  }
  try {
    if (toShip.length) await db.batch([...toShip.flatMap((s) => shipStatements(s.orderId, s.carrier, s.trackingNo, now)), ...audit(toShip.length)], 'write');
  } catch {
    for (const s of toShip) {
      try {
        await shipOrder(db, s.orderId, s.carrier, s.trackingNo, now, audit(1));
      } catch {
        const row = outcomes[s.index]!;
        outcomes[s.index] = { line: row.line, orderNo: row.orderNo, outcome: 'error', code: 'NOT_SHIPPABLE' };
      }
    }
  }
  const shipped = outcomes.filter((o) => o.outcome === 'shipped').length;
  return { rows: outcomes, shipped, failed: outcomes.length - shipped };
}

/** One CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets never run it. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
