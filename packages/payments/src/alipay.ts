import { NOTIFY_UNSIGNED, REQUEST_UNSIGNED, alipayTimestamp, rawTopLevelMember, signContent, type Params } from './alipay-signing';
import { PaymentNotifyIgnoredError, PaymentInputError, PaymentProviderError, PaymentSignatureError } from './errors';
import { parseJsonObject, optionalString, stringField, type JsonObject } from './json-fields';
import { fromMerchantOrderNo, toMerchantOrderNo } from './merchant-order-no';
import { assertFen, fenToYuan, yuanToFen } from './money';
import type { CreatePaymentResult, NotifyRequest, PaymentNotice, PaymentProvider, RefundInput, RefundResult } from './provider';
import { importPrivateKey, importPublicKey, signBase64, verifyBase64 } from './rsa';

/**
 * Alipay open platform (the openapi gateway, "普通公钥" mode, RSA2): 手机网站支付
 * alipay.trade.wap.pay as a signed redirect, the async notify, and alipay.trade.refund.
 */
export interface AlipayConfig {
  appId: string;
  /** Application private key: PKCS#8 PEM, PKCS#1 PEM or the bare base64 the key tool prints. */
  privateKeyPem: string;
  /** 支付宝公钥 (not the application public key): SPKI PEM or bare base64. */
  alipayPublicKeyPem: string;
  gateway?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

const SUBJECT_MAX = 256;
const REASON_MAX = 256;
const clip = (s: string, max: number) => Array.from(s).slice(0, max).join('');

export function createAlipay(config: AlipayConfig): PaymentProvider {
  const gateway = config.gateway ?? 'https://openapi.alipay.com/gateway.do';
  const doFetch = config.fetch ?? ((input, init) => fetch(input, init));
  const now = config.now ?? Date.now;
  let appKey: Promise<CryptoKey> | undefined;
  let alipayKey: Promise<CryptoKey> | undefined;
  const privateKey = () => (appKey ??= importPrivateKey(config.privateKeyPem));
  const publicKey = () => (alipayKey ??= importPublicKey(config.alipayPublicKeyPem));

  /** Common request parameters plus `sign` over all of them (sign_type included). */
  async function signedParams(method: string, bizContent: object, extra: Params): Promise<Record<string, string>> {
    const params: Params = {
      app_id: config.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: alipayTimestamp(now()),
      version: '1.0',
      ...extra,
      biz_content: JSON.stringify(bizContent),
    };
    const sign = await signBase64(await privateKey(), signContent(params, REQUEST_UNSIGNED));
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') out[k] = v;
    out.sign = sign;
    return out;
  }

  return {
    id: 'alipay',

    async createPayment(input): Promise<CreatePaymentResult> {
      assertFen(input.amount, 'amount');
      const params = await signedParams(
        'alipay.trade.wap.pay',
        {
          out_trade_no: toMerchantOrderNo(input.intentId),
          total_amount: fenToYuan(input.amount),
          subject: clip(input.description, SUBJECT_MAX),
          product_code: 'QUICK_WAP_WAY',
          // Where the cashier's "back" button goes; our return page shows the real state anyway.
          ...(input.returnUrl ? { quit_url: input.returnUrl } : {}),
        },
        { notify_url: input.notifyUrl, return_url: input.returnUrl },
      );
      // encodeURIComponent, not URLSearchParams: the timestamp's space must arrive as %20.
      const query = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      return { kind: 'redirect', url: `${gateway}?${query}` };
    },

    async parseNotify(request: NotifyRequest): Promise<PaymentNotice> {
      // application/x-www-form-urlencoded (charset utf-8): URLSearchParams also turns '+' into ' '.
      const params: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(request.body)) params[k] = v;
      const sign = params.sign;
      if (!sign) throw new PaymentSignatureError('notify has no sign');
      if (params.sign_type !== undefined && params.sign_type !== 'RSA2') throw new PaymentSignatureError(`sign_type ${params.sign_type} is not accepted`);
      if (!(await verifyBase64(await publicKey(), signContent(params, NOTIFY_UNSIGNED), sign))) throw new PaymentSignatureError('signature does not verify');
      // 异步通知 checks: the notify must be for our app before its trade means anything to us.
      if (params.app_id !== config.appId) throw new PaymentSignatureError('notify is for another app');
      const status = params.trade_status;
      const outcome = status === 'TRADE_SUCCESS' || status === 'TRADE_FINISHED' ? 'paid' : status === 'TRADE_CLOSED' ? 'failed' : undefined;
      if (!outcome) throw new PaymentNotifyIgnoredError(`trade_status ${status ?? '(none)'}`);
      const { out_trade_no, trade_no, total_amount } = params;
      if (!out_trade_no || !trade_no || !total_amount) throw new PaymentProviderError('BAD_NOTIFY', 'out_trade_no, trade_no or total_amount missing');
      return { intentId: fromMerchantOrderNo(out_trade_no), externalId: trade_no, amount: yuanToFen(total_amount), outcome };
    },

    async refund(input: RefundInput): Promise<RefundResult> {
      assertFen(input.amount, 'refund amount');
      if (input.amount > input.total) throw new PaymentInputError('refund exceeds the payment');
      // out_request_no identifies this refund under the trade: a retry with the same value can
      // never refund twice, and it is mandatory for partial refunds.
      const outRequestNo = toMerchantOrderNo(input.refundId);
      const reason = clip(input.reason, REASON_MAX);
      const params = await signedParams(
        'alipay.trade.refund',
        { trade_no: input.externalId, refund_amount: fenToYuan(input.amount), out_request_no: outRequestNo, ...(reason ? { refund_reason: reason } : {}) },
        {},
      );
      const res = await doFetch(gateway, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', Accept: 'application/json' },
        body: new URLSearchParams(params).toString(),
      });
      const text = await res.text();
      if (!res.ok) throw new PaymentProviderError(`HTTP_${res.status}`, text.slice(0, 200), res.status);
      const response = await verifiedResponse(text, 'alipay_trade_refund_response');
      if (response.code !== '10000') throw businessError(response, 'refund failed');
      if (stringField(response, 'trade_no') !== input.externalId) throw new PaymentProviderError('BAD_RESPONSE', 'refund answered for another trade');
      // fund_change=Y: money moved by this call. N: nothing moved now (e.g. a repeated
      // out_request_no); only the refund query can tell whether it had already succeeded.
      return { externalRefundId: outRequestNo, status: response.fund_change === 'Y' ? 'succeeded' : 'processing' };
    },
  };

  async function verifiedResponse(text: string, member: string) {
    const raw = rawTopLevelMember(text, member);
    if (raw === undefined) {
      // The gateway answers malformed calls (bad signature, missing parameters) with error_response.
      const err = rawTopLevelMember(text, 'error_response');
      throw businessError(err ? parseJsonObject(err, 'error_response') : {}, `no ${member}`);
    }
    const response = parseJsonObject(raw, member);
    const sign = optionalString(parseJsonObject(text, 'Alipay response'), 'sign');
    // An unsigned failure cannot be trusted either, but acting on it is safe: nothing moved,
    // and a retry with the same out_request_no cannot refund twice.
    if (!sign && response.code !== '10000') throw businessError(response, 'call failed');
    if (!sign || !(await verifyBase64(await publicKey(), raw, sign))) throw new PaymentSignatureError(`${member} signature does not verify`);
    return response;
  }
}

/** Alipay reports failures as code/msg plus the precise sub_code/sub_msg (e.g. ACQ.TRADE_NOT_EXIST). */
function businessError(r: JsonObject, fallback: string): PaymentProviderError {
  return new PaymentProviderError(optionalString(r, 'sub_code') ?? optionalString(r, 'code') ?? 'BAD_RESPONSE', optionalString(r, 'sub_msg') ?? optionalString(r, 'msg') ?? fallback);
}
