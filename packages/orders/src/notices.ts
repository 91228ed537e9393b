import type { InStatement } from '@libsql/client';
import { newId } from '@tuike/core';

/**
 * Notification rows (C10) as statements that ride in the batch of the event they announce, so a
 * notice exists exactly when its event happened. Texts are in the shop's default language (zh-CN).
 */
const insert = (kind: 'member' | 'staff', type: string) =>
  `INSERT INTO notifications (id, recipient_kind, recipient_id, type, title, body, ref, created_at) SELECT ?, '${kind}', ${kind === 'member' ? 'o.member_id' : 'NULL'}, '${type}'`;

export function paidNotices(intentId: string, now: number): InStatement[] {
  const order = `FROM orders o WHERE o.id = (SELECT order_id FROM payment_intents WHERE id = ?)`;
  return [
    { sql: `${insert('member', 'order.paid')}, '支付成功', '订单 ' || o.order_no || ' 已支付，商家会尽快发货', o.id, ? ${order}`, args: [newId(), now, intentId] },
    { sql: `${insert('staff', 'order.paid')}, '新订单已支付', '订单 ' || o.order_no || ' 已支付 ¥' || printf('%.2f', o.pay_total / 100.0) || '，请及时发货', o.id, ? ${order}`, args: [newId(), now, intentId] },
  ];
}

export function shippedNotice(orderId: string, carrier: string, trackingNo: string, now: number): InStatement {
  return { sql: `${insert('member', 'order.shipped')}, '订单已发货', '订单 ' || o.order_no || ' 已由 ' || ? || ' 发出，运单号 ' || ?, o.id, ? FROM orders o WHERE o.id = ?`, args: [newId(), carrier, trackingNo, now, orderId] };
}

export function refundNotice(orderId: string, amount: number, now: number): InStatement {
  return { sql: `${insert('member', 'refund.succeeded')}, '退款成功', '订单 ' || o.order_no || ' 退款 ¥' || printf('%.2f', ? / 100.0) || ' 已原路退回', o.id, ? FROM orders o WHERE o.id = ?`, args: [newId(), amount, now, orderId] };
}

/**
 * After a sale takes `quantity` from a SKU (B4): a low-stock notice to staff when the stock just
 * crossed the product's threshold (not on every later sale), and the product off the shelf when
 * the merchant asked for that and no SKU has stock left.
 */
export function afterStockTaken(skuId: string, productId: string, quantity: number, now: number): InStatement[] {
  return [
    {
      sql: `INSERT INTO notifications (id, recipient_kind, recipient_id, type, title, body, ref, created_at)
            SELECT ?, 'staff', NULL, 'stock.low', '库存不足', p.title || ' 仅剩 ' || k.stock || ' 件', k.id, ?
            FROM skus k JOIN products p ON p.id = k.product_id
            WHERE k.id = ? AND k.stock <= p.low_stock_threshold AND k.stock + ? > p.low_stock_threshold`,
      args: [newId(), now, skuId, quantity],
    },
    {
      sql: `UPDATE products SET status = 'off', updated_at = ? WHERE id = ? AND auto_off_shelf = 1 AND status = 'on'
            AND NOT EXISTS (SELECT 1 FROM skus WHERE product_id = ? AND deleted_at IS NULL AND stock > 0)`,
      args: [now, productId, productId],
    },
  ];
}
