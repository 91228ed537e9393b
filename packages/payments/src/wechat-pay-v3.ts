import { clip } from './clip';
import { PaymentNotifyIgnoredError, PaymentInputError, PaymentProviderError, PaymentSignatureError } from './errors';
import { integerField, objectField, stringField, type JsonObject } from './json-fields';
import { fromMerchantOrderNo, toMerchantOrderNo } from './merchant-order-no';
import { assertFen } from './money';
import type { CreatePaymentInput, CreatePaymentResult, NotifyRequest, PaymentNotice, PaymentProvider, RefundInput, RefundNotice, RefundResult, RefundStatus } from './provider';
import { createWechatPayV3Client, type WechatPayV3Credentials } from './wechat-pay-v3-client';
import { jsapiPayMessage, newNonce } from './wechat-pay-v3-signing';

/**
 * WeChat Pay API v3 for a directly connected merchant (直连商户): JSAPI and H5 orders, the
 * payment-success notify, and domestic refunds. Requests are signed with the merchant key;
 * every response and notify is verified against the platform key its Wechatpay-Serial names
 * (a platform certificate's key, or the newer 微信支付公钥 whose id goes in the same header).
 */
export interface WechatPayV3Config extends WechatPayV3Credentials {
  /** 公众号 AppID the payer's openid belongs to. */
  appId: string;
  /** Where WeChat posts refund results; without it the URL set in the merchant console applies. */
  refundNotifyUrl?: string;
}

const DESCRIPTION_MAX = 127; // JSAPI/H5 下单: description string(127)
const REASON_MAX = 80; // 申请退款: reason string(80)
const ATTACH_MAX = 128;


export function createWechatPayV3(config: WechatPayV3Config): PaymentProvider {
  const client = createWechatPayV3Client(config);
  const { call, now } = client;

  function orderBody(input: CreatePaymentInput): JsonObject {
    assertFen(input.amount, 'amount');
    return {
      appid: config.appId,
      mchid: config.mchId,
      description: clip(input.description, DESCRIPTION_MAX),
      out_trade_no: toMerchantOrderNo(input.intentId),
      // attach comes back in queries and bills: the order number makes reconciliation readable.
      attach: clip(input.orderNo, ATTACH_MAX),
      notify_url: input.notifyUrl,
      amount: { total: input.amount, currency: 'CNY' },
    };
  }

  async function jsapiParams(prepayId: string): Promise<Record<string, string>> {
    const timeStamp = String(Math.floor(now() / 1000));
    const nonceStr = newNonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = await client.sign(jsapiPayMessage(config.appId, timeStamp, nonceStr, pkg));
    return { appId: config.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }

  return {
    id: 'wechat',

    async createPayment(input): Promise<CreatePaymentResult> {
      const openid = input.payer?.openid;
      if (openid) {
        const res = await call('POST', '/v3/pay/transactions/jsapi', { ...orderBody(input), payer: { openid } });
        return { kind: 'jsapi', params: await jsapiParams(stringField(res, 'prepay_id')) };
      }
      const clientIp = input.payer?.clientIp;
      if (!clientIp) throw new PaymentInputError('WeChat Pay needs payer.openid (JSAPI) or payer.clientIp (H5)');
      const res = await call('POST', '/v3/pay/transactions/h5', { ...orderBody(input), scene_info: { payer_client_ip: clientIp, h5_info: { type: 'Wap' } } });
      return { kind: 'redirect', url: withRedirect(stringField(res, 'h5_url'), input.returnUrl) };
    },

    async parseNotify(request: NotifyRequest): Promise<PaymentNotice | RefundNotice> {
      const notify = await client.readNotify(request);
      if (notify.eventType.startsWith('REFUND.')) return refundNotice(await notify.decrypt());
      if (!notify.eventType.startsWith('TRANSACTION.')) throw new PaymentNotifyIgnoredError(`event ${notify.eventType}`);
      const tx = await notify.decrypt();
      // Authentic but meant for another merchant or app: never apply it to our orders.
      if (tx.mchid !== config.mchId || tx.appid !== config.appId) throw new PaymentSignatureError('notify is for another merchant or app');
      return {
        intentId: fromMerchantOrderNo(stringField(tx, 'out_trade_no')),
        externalId: stringField(tx, 'transaction_id'),
        // The order total, not payer_total: a WeChat-funded coupon lowers what the payer paid
        // but the merchant is still owed (and settled) the full total.
        amount: integerField(objectField(tx, 'amount'), 'total'),
        outcome: stringField(tx, 'trade_state') === 'SUCCESS' ? 'paid' : 'failed',
      };
    },

    async refund(input: RefundInput): Promise<RefundResult> {
      assertFen(input.amount, 'refund amount');
      assertFen(input.total, 'total');
      if (input.amount > input.total) throw new PaymentInputError('refund exceeds the payment');
      const reason = clip(input.reason, REASON_MAX);
      const res = await call('POST', '/v3/refund/domestic/refunds', {
        transaction_id: input.externalId,
        out_refund_no: toMerchantOrderNo(input.refundId),
        ...(reason ? { reason } : {}),
        ...(config.refundNotifyUrl ? { notify_url: config.refundNotifyUrl } : {}),
        amount: { refund: input.amount, total: input.total, currency: 'CNY' },
      });
      return { externalRefundId: stringField(res, 'refund_id'), status: refundStatus(stringField(res, 'status')) };
    },
  };

  /** 退款结果通知 (REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED), already verified. */
  function refundNotice(r: JsonObject): RefundNotice {
    // Authentic but for another merchant: never apply it to our refunds (refund notifies carry no appid).
    if (r.mchid !== config.mchId) throw new PaymentSignatureError('refund notify is for another merchant');
    const providerStatus = stringField(r, 'refund_status');
    const status = refundStatus(providerStatus);
    // A notify only ever reports a final state; anything else carries no outcome to apply.
    if (status === 'processing') throw new PaymentNotifyIgnoredError(`refund_status ${providerStatus}`);
    const outRefundNo = stringField(r, 'out_refund_no');
    let refundId: string | null;
    try {
      refundId = fromMerchantOrderNo(outRefundNo);
    } catch {
      refundId = null; // not a number this system issued; the route records it as unknown
    }
    return {
      kind: 'refund',
      refundId,
      outRefundNo,
      externalRefundId: stringField(r, 'refund_id'),
      amount: integerField(objectField(r, 'amount'), 'refund'),
      outcome: status,
      providerStatus,
    };
  }
}

/**
 * 退款状态: SUCCESS is final; PROCESSING is not (the result comes in a notify); CLOSED is final and
 * ABNORMAL means the money could not reach the buyer (a closed card …) and needs the merchant —
 * both are a failed refund for us.
 */
function refundStatus(status: string): RefundStatus {
  if (status === 'SUCCESS') return 'succeeded';
  if (status === 'PROCESSING') return 'processing';
  if (status === 'CLOSED' || status === 'ABNORMAL') return 'failed';
  throw new PaymentProviderError('REFUND_STATUS', `unexpected refund status ${JSON.stringify(status)}`);
}

/** H5: appending an urlencoded redirect_url to h5_url brings the buyer back after paying. */
function withRedirect(h5Url: string, returnUrl: string | undefined): string {
  if (!returnUrl) return h5Url;
  return `${h5Url}${h5Url.includes('?') ? '&' : '?'}redirect_url=${encodeURIComponent(returnUrl)}`;
}
