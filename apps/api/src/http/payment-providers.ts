import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { AppError } from '@tuike/core';
import { settings } from '@tuike/db-tenant';
import { createAlipay, createWechatPayV3, type AlipayConfig, type PaymentProvider, type WechatPayV3Config } from '@tuike/payments';
import type { RefundFn } from '@tuike/orders';
import type { AppEnv } from '../context';

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
export async function providerFor(c: Context<AppEnv>, id: 'wechat' | 'alipay'): Promise<PaymentProvider> {
  const accounts = await paymentAccounts(c);
  const { paymentEndpoints } = c.get('services').config;
  const now = () => c.get('services').platform.clock.now();
  if (id === 'wechat' && accounts.wechat) return createWechatPayV3({ ...accounts.wechat, baseUrl: paymentEndpoints.wechatBaseUrl, now });
  if (id === 'alipay' && accounts.alipay) return createAlipay({ ...accounts.alipay, gateway: paymentEndpoints.alipayGateway, now });
  throw new AppError('PAYMENT_NOT_CONFIGURED', { provider: id });
}

/** Refunds go back the way the money came: the intent's provider, by its transaction id. */
export function refundThroughProvider(c: Context<AppEnv>, reason: string): RefundFn {
  return async ({ intentId, refundId, amount }) => {
    const rs = await c.get('shop').db.execute({ sql: `SELECT provider, external_id, amount FROM payment_intents WHERE id = ?`, args: [intentId] });
    const intent = rs.rows[0];
    if (!intent) throw new AppError('ORDER_NOT_FOUND');
    const provider = String(intent.provider);
    if (provider === 'sandbox' || provider === 'offline') return { externalId: `${provider}_rf_${refundId.replaceAll('-', '')}` };
    const adapter = await providerFor(c, provider as 'wechat' | 'alipay');
    const result = await adapter.refund({ intentId, externalId: String(intent.external_id), refundId, amount, total: Number(intent.amount), reason });
    return { externalId: result.externalRefundId };
  };
}
