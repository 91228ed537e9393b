import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { and, desc, eq } from 'drizzle-orm';
import { AppError } from '@tuike/core';
import { afterSales, afterSaleStatuses } from '@tuike/db-tenant';
import { approveAfterSale, completeReturn, rejectAfterSale, requestAfterSale, submitReturn } from '@tuike/orders';
import { refundedCommissionStatements } from '@tuike/distribution';
import { refundThroughProvider } from '../http/payment-providers';
import type { AppEnv } from '../context';
import { auditStatement } from '../http/audited';
import { json, query } from '../http/json-body';
import { requireMember } from '../http/member-auth';
import { permit } from '../http/staff-auth';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const RequestInput = v.strictObject({
  kind: v.picklist(['refund', 'return_refund', 'exchange']),
  reason: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
  images: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(6)), []),
  lines: v.pipe(v.array(v.strictObject({
    lineId: Id,
    quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(999)),
    amount: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000_000))),
  })), v.minLength(1), v.maxLength(100)),
});
const ReturnInput = v.strictObject({
  carrier: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(20)),
  trackingNo: v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9-]{4,40}$/)),
});
const ListQuery = v.object({ status: v.optional(v.picklist(afterSaleStatuses)) });

const now = (c: Context<AppEnv>) => c.get('services').platform.clock.now();


/** After-sales for buyers (C7): request with reason, lines and images; send goods back; withdraw. */
export const buyerAfterSaleRoutes = new Hono<AppEnv>()
  .post('/orders/:id/after-sales', requireMember, json(RequestInput), async (c) => {
    const created = await requestAfterSale(c.get('shop').db, c.get('member').id, c.req.param('id'), c.req.valid('json'), now(c));
    return c.json({ afterSale: created }, 201);
  })
  .get('/after-sales', requireMember, async (c) => c.json({
    items: await c.get('shop').orm.select().from(afterSales).where(eq(afterSales.memberId, c.get('member').id)).orderBy(desc(afterSales.createdAt)).limit(50),
  }))
  .post('/after-sales/:id/return', requireMember, json(ReturnInput), async (c) => {
    const { carrier, trackingNo } = c.req.valid('json');
    await submitReturn(c.get('shop').db, c.req.param('id'), c.get('member').id, carrier, trackingNo, now(c));
    return c.json({ ok: true });
  })
  .post('/after-sales/:id/cancel', requireMember, async (c) => {
    const [row] = await c.get('shop').orm.update(afterSales).set({ status: 'cancelled', resolvedAt: now(c), updatedAt: now(c) })
      .where(and(eq(afterSales.id, c.req.param('id')), eq(afterSales.memberId, c.get('member').id), eq(afterSales.status, 'requested'))).returning();
    if (!row) throw new AppError('ORDER_STATE');
    return c.json({ ok: true });
  });

/** The after-sales queue for staff: review, approve (refund now or await the goods), reject, receive returns. */
export const adminAfterSaleRoutes = new Hono<AppEnv>()
  .get('/after-sales', permit('aftersales.manage'), query(ListQuery), async (c) => {
    const { status } = c.req.valid('query');
    const { orm } = c.get('shop');
    return c.json({ items: await orm.select().from(afterSales).where(status ? eq(afterSales.status, status) : undefined).orderBy(desc(afterSales.createdAt)).limit(100) });
  })
  .post('/after-sales/:id/approve', permit('aftersales.manage'), async (c) => {
    const id = c.req.param('id');
    const result = await approveAfterSale(c.get('shop').db, id, refundThroughProvider(c, '售后退款'), now(c),
      [auditStatement(c, { entity: 'after_sale', entityId: id, action: 'approve', before: { status: 'requested' }, after: null })],
      (refund) => refundedCommissionStatements(refund.orderId, refund.lines, now(c)));
    c.set('eventsWritten', true);
    return c.json({ status: result });
  })
  .post('/after-sales/:id/reject', permit('aftersales.manage'), json(v.strictObject({ reason: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)) })), async (c) => {
    const id = c.req.param('id');
    const { reason } = c.req.valid('json');
    await rejectAfterSale(c.get('shop').db, id, reason, now(c), [auditStatement(c, { entity: 'after_sale', entityId: id, action: 'reject', before: { status: 'requested' }, after: { status: 'rejected', reason } })]);
    return c.json({ status: 'rejected' });
  })
  .post('/after-sales/:id/receive-return', permit('aftersales.manage'), async (c) => {
    const id = c.req.param('id');
    const result = await completeReturn(c.get('shop').db, id, refundThroughProvider(c, '退货退款'), now(c),
      [auditStatement(c, { entity: 'after_sale', entityId: id, action: 'receive_return', before: { status: 'returned' }, after: null })],
      (refund) => refundedCommissionStatements(refund.orderId, refund.lines, now(c)));
    c.set('eventsWritten', true);
    return c.json({ status: result });
  });
