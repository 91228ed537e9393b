import { PaymentInputError, PaymentProviderError, PaymentSignatureError, PayoutNotFoundError, PayoutUnknownError } from './errors';
import { toMerchantOrderNo } from './merchant-order-no';
import { assertFen } from './money';

/**
 * The payout port: paying a distributor's withdrawal out of the merchant's own account. One
 * provider per automatic method; bank and offline payouts go to a person (offline-payouts.ts).
 *
 * The contract that keeps money safe:
 * - `transfer` is idempotent by payoutId. Adapters send the provider the same out number
 *   (out_bill_no / out_biz_no) on every attempt, and the provider never pays one number twice,
 *   so a retry after any doubt is always safe.
 * - Only a resolved `{ status: 'failed' }` means no money moved and none will; only then may the
 *   reserved amount go back to the distributor's wallet.
 * - A rejection is when the outcome is not known: PayoutUnknownError (network, timeout, 5xx,
 *   rate limit, unreadable answer) or PaymentSignatureError (an answer we cannot trust). Keep the
 *   payout reserved and `query` it later. PaymentInputError is thrown before anything is sent.
 */
export interface PayoutRequest {
  /** Our payout id (a UUID); its 32-hex form is the provider's idempotency key. */
  payoutId: string;
  /** fen, > 0 */
  amount: number;
  account: PayoutAccount;
  /** Shown to the payee (clipped to what the provider accepts). */
  remark: string;
}

export type PayoutAccount =
  | { method: 'wechat'; openid: string; realName?: string }
  | { method: 'alipay'; identity: string; identityType: 'ALIPAY_LOGON_ID' | 'ALIPAY_USER_ID'; realName?: string }
  | { method: 'bank'; bankName: string; accountNo: string; realName: string }
  | { method: 'offline'; note?: string };

export type PayoutMethod = PayoutAccount['method'];

/**
 * WeChat's user-confirmation mode (商家转账, 用户确认模式): a bill in WAIT_USER_CONFIRM is paid
 * only after the payee confirms in WeChat, by the page calling `wx.requestMerchantTransfer`
 * (mini program) or WeixinJSBridge `requestMerchantTransfer` (公众号) with these values.
 */
export interface PayoutUserConfirmation {
  mchId: string;
  appId: string;
  /** package_info */
  package: string;
}

export type PayoutOutcome =
  | { status: 'succeeded'; externalId: string }
  | { status: 'processing'; externalId: string; userConfirmation?: PayoutUserConfirmation }
  | { status: 'failed'; reason: string; code: string };

export interface PayoutProvider {
  readonly method: 'wechat' | 'alipay';
  transfer(req: PayoutRequest): Promise<PayoutOutcome>;
  /** Throws PayoutNotFoundError when the provider has no transfer under this payout's number. */
  query(payoutId: string): Promise<PayoutOutcome>;
}

/** A transfer result notify, verified and decrypted. Apply it idempotently by externalId. */
export interface PayoutNotice {
  payoutId: string;
  externalId: string;
  /** fen */
  amount: number;
  outcome: PayoutOutcome;
}

/** The provider's idempotency key for a payout: the UUID without dashes (32 lowercase hex). */
export const toPayoutNo = (payoutId: string) => toMerchantOrderNo(payoutId);

/** Refuses, before anything is sent, a request no provider of `method` could carry. */
export function assertPayoutRequest<M extends PayoutMethod>(req: PayoutRequest, method: M): Extract<PayoutAccount, { method: M }> {
  assertFen(req.amount, 'payout amount');
  toPayoutNo(req.payoutId);
  if (req.account.method !== method) throw new PaymentInputError(`a ${method} payout provider cannot pay a ${req.account.method} account`);
  return req.account as Extract<PayoutAccount, { method: M }>;
}

/**
 * The provider refused a transfer. Before calling that a failure, ask it for the transfer under
 * the same number: an earlier attempt may have created it (and a refusal of a repeat says nothing
 * about the first). Only "no such transfer" turns the refusal into `failed`.
 */
export async function confirmRefusal(query: () => Promise<PayoutOutcome>, refusal: { code: string; reason: string }): Promise<PayoutOutcome> {
  try {
    return await query();
  } catch (e) {
    if (e instanceof PayoutNotFoundError) return { status: 'failed', code: refusal.code, reason: refusal.reason };
    throw asPayoutError(e);
  }
}

/**
 * What a failed call means for a payout: errors that already say it (not found, unknown, an
 * untrusted answer, a request refused before sending) pass through; anything else — fetch's
 * network failures and timeout aborts, 5xx, rate limits, unreadable answers — is unknown.
 */
export function asPayoutError(e: unknown): Error {
  if (e instanceof PayoutUnknownError || e instanceof PayoutNotFoundError || e instanceof PaymentSignatureError || e instanceof PaymentInputError) return e;
  if (e instanceof PaymentProviderError) return new PayoutUnknownError(e.providerCode, e.message, { cause: e });
  const name = e instanceof Error ? e.name : '';
  const code = name === 'TimeoutError' || name === 'AbortError' ? 'TIMEOUT' : 'NETWORK';
  return new PayoutUnknownError(code, e instanceof Error ? e.message : String(e), { cause: e });
}
