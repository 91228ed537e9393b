import { Hono } from 'hono';
import { AppError } from '@tuike/core';
import { PaymentSignatureError, PayoutUnknownError } from '@tuike/payments';
import type { AppEnv } from '../context';
import { auditStatement } from '../http/audited';
import { permit } from '../http/staff-auth';
import { applyPayoutOutcome, payoutProviderFor, payWithdrawal, refreshPayout } from '../http/payout-providers';

/** Staff pay approved withdrawals through the provider (D9) and ask about the unclear ones. */
export const adminPayoutRoutes = new Hono<AppEnv>()
  .post('/withdrawals/:id/pay', permit('payouts.manage'), async (c) => {
    const id = c.req.param('id');
    const status = await payWithdrawal(c, id);
    await c.get('shop').db.execute(auditStatement(c, { entity: 'withdrawal', entityId: id, action: 'pay', before: { status: 'approved' }, after: { status } }));
    return c.json({ status }, status === 'paying' ? 202 : 200);
  })
  .post('/withdrawals/:id/refresh', permit('payouts.manage'), async (c) => c.json({ status: await refreshPayout(c, c.req.param('id')) }));

/** WeChat calls this when a transfer finishes (MCHTRANSFER.BILL.FINISHED); verified by signature. */
export const payoutNotifyRoutes = new Hono<AppEnv>()
  .post('/payouts/notify/wechat', async (c) => {
    try {
      const provider = await payoutProviderFor(c, 'wechat');
      const notice = await provider.parseNotify({ headers: Object.fromEntries(c.req.raw.headers.entries()), body: await c.req.text() });
      await applyPayoutOutcome(c, notice.payoutId, notice.outcome);
      return c.body(null, 204);
    } catch (e) {
      if (e instanceof PaymentSignatureError) return c.json({ code: 'FAIL', message: 'PAYMENT_SIGNATURE_INVALID' }, 401);
      if (e instanceof PayoutUnknownError) return c.json({ code: 'FAIL', message: 'RETRY' }, 500);
      const code = e instanceof AppError ? e.code : 'INTERNAL';
      return c.json({ code: 'FAIL', message: code }, e instanceof AppError ? (e.status as 400) : 500);
    }
  });
