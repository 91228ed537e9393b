import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { AppError } from '@tuike/core';
import { settings } from '@tuike/db-tenant';
import { createAlipay, createWechatPayV3, type AlipayConfig, type PaymentProvider, type WechatPayV3Config } from '@tuike/payments';
import type { RefundFn } from '@tuike/orders';
import type { AppEnv } from '../context';
import { shopUrl } from './shop-url';

/** A shop's provider accounts, kept in its settings ('payments'); keys never leave the server. */
export interface ShopPaymentAccounts {
  wechat?: Omit<WechatPayV3Config, 'fetch' | 'now' | 'baseUrl'>;
  alipay?: Omit<AlipayConfig, 'fetch' | 'now' | 'gateway'>;
}

export async function paymentAccounts(c: Context<AppEnv>): Promise<ShopPaymentAccounts> {
  const [row] = await c.get('shop').orm.select().from(settings).where(eq(settings.key, 'payments'));
  return (row?.value ?? {}) as ShopPaymentAccounts;
}

/** The adapter for one provider, configured from the shop's accounts and the deployment's endpoints. */
export async function providerFor(c: Context<AppEnv>, id: 'wechat' | 'alipay', opts: { wechatRefundNotifyUrl?: string } = {}): Promise<PaymentProvider> {
  const accounts = await paymentAccounts(c);
  const { paymentEndpoints } = c.get('services').config;
  const now = () => c.get('services').platform.clock.now();
  if (id === 'wechat' && accounts.wechat) {
    // A URL the merchant configured wins; else refund results come to our WeChat notify route.
    const refundNotifyUrl = accounts.wechat.refundNotifyUrl ?? opts.wechatRefundNotifyUrl;
    return createWechatPayV3({ ...accounts.wechat, ...(refundNotifyUrl ? { refundNotifyUrl } : {}), baseUrl: paymentEndpoints.wechatBaseUrl, now });
  }
  if (id === 'alipay' && accounts.alipay) return createAlipay({ ...accounts.alipay, gateway: paymentEndpoints.alipayGateway, now });
  throw new AppError('PAYMENT_NOT_CONFIGURED', { provider: id });
}

/** Where a provider posts to this shop (the same URL checkout gives as notify_url). */
export function notifyUrl(c: Context<AppEnv>, id: 'wechat' | 'alipay'): string {
  return shopUrl(c, `/api/payments/notify/${id}`);
}

/**
 * Refunds go back the way the money came: the intent's provider, by its transaction id. The
 * provider's status comes back with it: WeChat usually answers processing, and its refund notify
 * (on /api/payments/notify/wechat) settles the refund later; sandbox, offline and Alipay are final.
 */
export function refundThroughProvider(c: Context<AppEnv>, reason: string): RefundFn {
  return async ({ intentId, refundId, amount }) => {
    const rs = await c.get('shop').db.execute({ sql: `SELECT provider, external_id, amount FROM payment_intents WHERE id = ?`, args: [intentId] });
    const intent = rs.rows[0];
    if (!intent) throw new AppError('ORDER_NOT_FOUND');
    const provider = String(intent.provider);
    if (provider === 'sandbox' || provider === 'offline') return { externalId: `${provider}_rf_${refundId.replaceAll('-', '')}`, status: 'succeeded' };
    const adapter = await providerFor(c, provider as 'wechat' | 'alipay', { wechatRefundNotifyUrl: notifyUrl(c, 'wechat') });
    const result = await adapter.refund({ intentId, externalId: String(intent.external_id), refundId, amount, total: Number(intent.amount), reason });
    return { externalId: result.externalRefundId, status: result.status };
  };
}
