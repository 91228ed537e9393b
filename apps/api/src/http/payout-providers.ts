import type { Context } from 'hono';
import { AppError } from '@tuike/core';
import { markWithdrawalFailed, markWithdrawalPaid, startPayout, loadWithdrawal, type WithdrawalRow } from '@tuike/distribution';
import { createAlipayTransfer, createWechatTransfer, PayoutUnknownError, type PayoutAccount, type PayoutOutcome, type PayoutProvider, type WechatPayoutProvider } from '@tuike/payments';
import type { AppEnv } from '../context';
import { paymentAccounts } from './payment-providers';

/**
 * The transfer scene commission payouts are reported under (WeChat 商家转账: 1005 佣金报酬),
 * with the report fields that scene asks for; a shop may override them in its WeChat account.
 */
const COMMISSION_SCENE = { transferSceneId: '1005', sceneReportInfos: [{ infoType: '岗位类型', infoContent: '推广分销' }, { infoType: '报酬说明', infoContent: '分销佣金' }] };

export async function payoutProviderFor(c: Context<AppEnv>, method: 'wechat'): Promise<WechatPayoutProvider>;
export async function payoutProviderFor(c: Context<AppEnv>, method: 'wechat' | 'alipay'): Promise<PayoutProvider>;
export async function payoutProviderFor(c: Context<AppEnv>, method: 'wechat' | 'alipay'): Promise<PayoutProvider> {
  const accounts = await paymentAccounts(c);
  const { paymentEndpoints } = c.get('services').config;
  const now = () => c.get('services').platform.clock.now();
  if (method === 'wechat' && accounts.wechat?.appId) {
    return createWechatTransfer({ ...COMMISSION_SCENE, ...accounts.wechat, appId: accounts.wechat.appId, baseUrl: paymentEndpoints.wechatBaseUrl, now });
  }
  if (method === 'alipay' && accounts.alipay) return createAlipayTransfer({ ...accounts.alipay, gateway: paymentEndpoints.alipayGateway, now });
  throw new AppError('PAYMENT_NOT_CONFIGURED', { provider: method });
}

/** Where the money goes: the account on the withdrawal, or for WeChat the member's openid in this shop's app. */
async function payee(c: Context<AppEnv>, w: WithdrawalRow): Promise<PayoutAccount> {
  if (w.method === 'alipay') {
    if (!w.account.identity) throw new AppError('VALIDATION_FAILED', { account: 'an Alipay account is needed' });
    return { method: 'alipay', identity: w.account.identity, identityType: /^2088\d{12}$/.test(w.account.identity) ? 'ALIPAY_USER_ID' : 'ALIPAY_LOGON_ID', realName: w.account.realName };
  }
  const openid = w.account.openid ?? String((await c.get('shop').db.execute({
    sql: `SELECT subject FROM member_identities WHERE member_id = ? AND provider = 'wechat' ORDER BY created_at LIMIT 1`, args: [w.distributorId],
  })).rows[0]?.subject ?? '');
  if (!openid) throw new AppError('VALIDATION_FAILED', { account: 'the distributor has no WeChat identity in this shop' });
  return { method: 'wechat', openid, realName: w.account.realName };
}

/** Applies a provider's answer to the withdrawal; `processing` leaves it paying, to be asked again. */
export async function applyPayoutOutcome(c: Context<AppEnv>, id: string, outcome: PayoutOutcome) {
  const now = c.get('services').platform.clock.now();
  if (outcome.status === 'succeeded') {
    c.set('eventsWritten', true);
    return markWithdrawalPaid(c.get('shop').db, id, outcome.externalId, now);
  }
  if (outcome.status === 'failed') return markWithdrawalFailed(c.get('shop').db, id, `${outcome.code}: ${outcome.reason}`, now);
  return 'paying' as const;
}

/**
 * Pays an approved withdrawal through WeChat or Alipay (D9). It is marked paying before the
 * transfer is asked for, so a crash or an unclear answer leaves it paying — never failed, which
 * would hand back money that may have left — and a later refresh asks the provider what happened.
 */
export async function payWithdrawal(c: Context<AppEnv>, id: string) {
  const w = await loadWithdrawal(c.get('shop').db, id);
  if (w.method !== 'wechat' && w.method !== 'alipay') throw new AppError('WITHDRAWAL_STATE', { method: w.method });
  const provider = await payoutProviderFor(c, w.method);
  const account = await payee(c, w);
  await startPayout(c.get('shop').db, id, c.get('services').platform.clock.now());
  try {
    return await applyPayoutOutcome(c, id, await provider.transfer({ payoutId: w.id, amount: w.net, account, remark: '佣金提现' }));
  } catch (e) {
    if (e instanceof PayoutUnknownError) return 'paying' as const;
    throw e;
  }
}

/** Asks the provider about a withdrawal still paying. */
export async function refreshPayout(c: Context<AppEnv>, id: string) {
  const w = await loadWithdrawal(c.get('shop').db, id);
  if (w.status !== 'paying' || (w.method !== 'wechat' && w.method !== 'alipay')) throw new AppError('WITHDRAWAL_STATE');
  const provider = await payoutProviderFor(c, w.method);
  try {
    return await applyPayoutOutcome(c, id, await provider.query(w.id));
  } catch (e) {
    if (e instanceof PayoutUnknownError) throw new AppError('PAYOUT_UNAVAILABLE');
    throw e;
  }
}
