import { businessError, createAlipayClient, type AlipayCredentials } from './alipay-client';
import { NOTIFY_UNSIGNED, signContent } from './alipay-signing';
import { PaymentNotifyIgnoredError, PaymentInputError, PaymentProviderError, PaymentSignatureError } from './errors';
import { clip } from './clip';
import { stringField } from './json-fields';
import { fromMerchantOrderNo, toMerchantOrderNo } from './merchant-order-no';
import { assertFen, fenToYuan, yuanToFen } from './money';
import type { CreatePaymentResult, NotifyRequest, PaymentNotice, PaymentProvider, RefundInput, RefundResult } from './provider';

/**
 * Alipay open platform (the openapi gateway, RSA2; "普通公钥" mode, or 公钥证书 mode when the
 * certificate serials are configured): 手机网站支付 alipay.trade.wap.pay as a signed redirect,
 * the async notify, and alipay.trade.refund.
 */
export type AlipayConfig = AlipayCredentials;

const SUBJECT_MAX = 256;
const REASON_MAX = 256;

export function createAlipay(config: AlipayConfig): PaymentProvider {
  const client = createAlipayClient(config);
  const { gateway, signedParams } = client;

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
      if (!(await client.verify(signContent(params, NOTIFY_UNSIGNED), sign))) throw new PaymentSignatureError('signature does not verify');
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
      const response = await client.execute('alipay.trade.refund', {
        trade_no: input.externalId,
        refund_amount: fenToYuan(input.amount),
        out_request_no: outRequestNo,
        ...(reason ? { refund_reason: reason } : {}),
      });
      if (response.code !== '10000') throw businessError(response, 'refund failed');
      if (stringField(response, 'trade_no') !== input.externalId) throw new PaymentProviderError('BAD_RESPONSE', 'refund answered for another trade');
      // fund_change=Y: money moved by this call. N: nothing moved now (e.g. a repeated
      // out_request_no); only the refund query can tell whether it had already succeeded.
      return { externalRefundId: outRequestNo, status: response.fund_change === 'Y' ? 'succeeded' : 'processing' };
    },
  };
}
