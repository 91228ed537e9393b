import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import { AppError, newId } from '@tuike/core';
import { orders, paymentIntents } from '@tuike/db-tenant';
import { applyPayment, applyRefundNotice, recordNotice, sandboxKey, signSandboxNotify, verifySandboxNotify, type SandboxNotify } from '@tuike/orders';
import { PaymentNotifyIgnoredError, PaymentSignatureError } from '@tuike/payments';
import { providerFor } from '../http/payment-providers';
import { commissionOnPayment } from '../http/distribution-hooks';
import { orderPaidEvent } from '../plugins/order-events';
import type { AppEnv } from '../context';
import { json } from '../http/json-body';
import { requireMember } from '../http/member-auth';

const keyOf = (c: Context<AppEnv>) => sandboxKey(c.get('services').config.paymentSandboxSecret, c.get('shop').tenant.id);

const NotifyBody = v.strictObject({
  intentId: v.pipe(v.string(), v.maxLength(64)),
  externalId: v.pipe(v.string(), v.maxLength(64)),
  amount: v.pipe(v.number(), v.integer(), v.minValue(0)),
  outcome: v.picklist(['paid', 'failed']),
  timestamp: v.pipe(v.number(), v.integer()),
});

/** Handles a sandbox notify exactly as a real provider's: verify, then apply once. */
async function handleSandboxNotify(c: Context<AppEnv>, notice: SandboxNotify, signature: string) {
  const { db } = c.get('shop');
  const t = c.get('services').platform.clock.now();
  if (!verifySandboxNotify(keyOf(c), notice, signature)) {
    await recordNotice(db, 'sandbox', notice.intentId, 'bad_signature', notice, t);
    throw new AppError('PAYMENT_SIGNATURE_INVALID');
  }
  if (notice.outcome === 'failed') {
    await db.execute({ sql: `UPDATE payment_intents SET status = 'failed', updated_at = ? WHERE id = ? AND status = 'pending'`, args: [t, notice.intentId] });
    await recordNotice(db, 'sandbox', notice.intentId, 'failed', notice, t);
    return 'failed' as const;
  }
  c.set('eventsWritten', true);
  return applyPayment(db, { intentId: notice.intentId, externalId: notice.externalId, amount: notice.amount, provider: 'sandbox' }, t, [...await commissionOnPayment(db, notice.intentId, t), orderPaidEvent(notice.intentId, t)]);
}

/**
 * A real provider's notify (C4): verify the signature (and decrypt, for WeChat), then apply the
 * payment once by its transaction id. Every notice that is not applied is recorded with why.
 */
async function handleProviderNotify(c: Context<AppEnv>, id: 'wechat' | 'alipay') {
  const { db } = c.get('shop');
  const t = c.get('services').platform.clock.now();
  const body = await c.req.text();
  const headers = Object.fromEntries(c.req.raw.headers.entries());
  const provider = await providerFor(c, id);
  let notice;
  try {
    notice = await provider.parseNotify({ headers, body });
  } catch (e) {
    if (e instanceof PaymentNotifyIgnoredError) return 'ignored' as const;
    if (e instanceof PaymentSignatureError) {
      await recordNotice(db, id, null, 'bad_signature', { headers: pickSignatureHeaders(headers), length: body.length }, t);
      throw new AppError('PAYMENT_SIGNATURE_INVALID');
    }
    throw e;
  }
  // A refund's final result (WeChat's REFUND.*): settle the processing refund once, by our refund id.
  if (notice.kind === 'refund') return applyRefundNotice(db, { refundId: notice.refundId, externalRefundId: notice.externalRefundId, amount: notice.amount, outcome: notice.outcome, provider: id }, t);
  if (notice.outcome === 'failed') {
    await recordNotice(db, id, notice.intentId, 'failed', notice, t);
    return 'failed' as const;
  }
  c.set('eventsWritten', true);
  return applyPayment(db, { ...notice, provider: id }, t, [...await commissionOnPayment(db, notice.intentId, t), orderPaidEvent(notice.intentId, t)]);
}

const pickSignatureHeaders = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => /^wechatpay-|content-type/i.test(k)));

/** The sandbox provider's pages call these; the notify endpoints are what providers call. */
export const paymentRoutes = new Hono<AppEnv>()
  .post('/payments/notify/wechat', async (c) => {
    // WeChat Pay v3 expects 2xx with no body for success, and {code, message} otherwise.
    try {
      await handleProviderNotify(c, 'wechat');
      return c.body(null, 204);
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'INTERNAL';
      return c.json({ code: 'FAIL', message: code }, e instanceof AppError ? (e.status as 400) : 500);
    }
  })
  .post('/payments/notify/alipay', async (c) => {
    // Alipay retries until it reads the plain text "success".
    try {
      await handleProviderNotify(c, 'alipay');
      return c.text('success');
    } catch (e) {
      return c.text('failure', e instanceof AppError ? (e.status as 400) : 500);
    }
  })
  .post('/payments/notify/sandbox', json(NotifyBody), async (c) => {
    const result = await handleSandboxNotify(c, c.req.valid('json'), c.req.header('x-sandbox-signature') ?? '');
    return c.json({ result });
  })
  .get('/payments/sandbox/:intentId', requireMember, async (c) => {
    const { orm } = c.get('shop');
    const [row] = await orm.select({ intent: paymentIntents, order: orders }).from(paymentIntents).innerJoin(orders, eq(orders.id, paymentIntents.orderId))
      .where(and(eq(paymentIntents.id, c.req.param('intentId')), eq(orders.memberId, c.get('member').id)));
    if (!row) throw new AppError('ORDER_NOT_FOUND');
    return c.json({ intent: { id: row.intent.id, amount: row.intent.amount, status: row.intent.status }, order: { id: row.order.id, orderNo: row.order.orderNo, status: row.order.status } });
  })
  .post('/payments/sandbox/:intentId/complete', requireMember, json(v.strictObject({ outcome: v.picklist(['paid', 'failed']) })), async (c) => {
    const { orm } = c.get('shop');
    const [row] = await orm.select({ intent: paymentIntents }).from(paymentIntents).innerJoin(orders, eq(orders.id, paymentIntents.orderId))
      .where(and(eq(paymentIntents.id, c.req.param('intentId')), eq(orders.memberId, c.get('member').id)));
    if (!row) throw new AppError('ORDER_NOT_FOUND');
    // The simulated provider: it took the money and now tells us, signed, as a real one would.
    const notice: SandboxNotify = { intentId: row.intent.id, externalId: `sbx_${newId()}`, amount: row.intent.amount, outcome: c.req.valid('json').outcome, timestamp: c.get('services').platform.clock.now() };
    const result = await handleSandboxNotify(c, notice, signSandboxNotify(keyOf(c), notice));
    const [order] = await orm.select({ status: orders.status }).from(orders).where(eq(orders.id, row.intent.orderId));
    return c.json({ result, order: { id: row.intent.orderId, status: order?.status } });
  });
