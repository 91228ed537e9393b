import { encodeHexLowerCase } from '@oslojs/encoding';
import { importPrivateKey, importPublicKey, signBase64, verifyBase64 } from '../rsa';
import { MAX_CLOCK_SKEW_S, newNonce, parseAuthorization, requestMessage, responseMessage } from '../wechat-pay-v3-signing';
import { startLocalServer, type LocalServer, type RecordedRequest, type Reply } from './http';
import { randomDigits } from './random-digits';
import { createWechatTransferDesk, type WechatTransferDesk } from './wechat-transfer-desk';

/**
 * A local stand-in for api.mch.weixin.qq.com: it checks each request's Authorization exactly as
 * WeChat Pay does (scheme, mchid, merchant serial, 5-minute timestamp, SHA256withRSA over the
 * request 签名串 with the merchant's public key) and answers with bodies signed by a platform
 * key, carrying the Wechatpay-* headers. Orders, refunds and merchant transfer bills
 * (`transfers`, see wechat-transfer-desk.ts) live in memory.
 */
export interface WechatPayStandInOptions {
  mchId: string;
  merchantSerialNo: string;
  merchantPublicKeyPem: string;
  platformSerialNo: string;
  platformPrivateKeyPem: string;
  /** What a new refund reports; WeChat usually answers PROCESSING and notifies later. */
  refundStatus?: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
  now?: () => number;
}

export interface StandInOrder {
  appid: string;
  mchid: string;
  out_trade_no: string;
  total: number;
  kind: 'jsapi' | 'h5';
  openid?: string;
  transaction_id?: string;
  refunded: number;
}

export interface WechatPayStandIn extends LocalServer {
  orders: Map<string, StandInOrder>;
  /**
   * The buyer pays: the order gets a transaction_id and the returned object is the transaction
   * resource WeChat would encrypt into the notify (pass it to buildWechatNotify).
   */
  pay(outTradeNo: string): Record<string, unknown>;
  /** 商家转账 bills: script outcomes, settle bills, read what was paid. */
  transfers: WechatTransferDesk;
  /** Refunds by out_refund_no, as the refund API last reported them (status PROCESSING, SUCCESS …). */
  refunds: Map<string, Record<string, unknown>>;
  /**
   * WeChat finishes a refund: its status becomes final and the returned object is the refund
   * resource WeChat would encrypt into the REFUND.* notify (pass it to buildWechatRefundNotify).
   * A CLOSED refund gives its amount back to the order's refundable balance.
   */
  settleRefund(outRefundNo: string, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'): Record<string, unknown>;
}

const OUT_TRADE_NO = /^[A-Za-z0-9_\-|*]{6,32}$/;

export async function startWechatPayStandIn(opts: WechatPayStandInOptions): Promise<WechatPayStandIn> {
  const now = opts.now ?? Date.now;
  const merchantKey = await importPublicKey(opts.merchantPublicKeyPem);
  const platformKey = await importPrivateKey(opts.platformPrivateKeyPem);
  const orders = new Map<string, StandInOrder>();
  const refunds = new Map<string, Record<string, unknown>>();

  async function signed(status: number, payload: object): Promise<Reply> {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(now() / 1000));
    const nonce = newNonce();
    return {
      status,
      body,
      headers: {
        'Wechatpay-Serial': opts.platformSerialNo,
        'Wechatpay-Timestamp': timestamp,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Signature': await signBase64(platformKey, responseMessage(timestamp, nonce, body)),
        'Request-ID': crypto.randomUUID(),
      },
    };
  }
  const fail = (status: number, code: string, message: string) => signed(status, { code, message });
  const transfers = createWechatTransferDesk({ mchId: opts.mchId, platformSerialNo: opts.platformSerialNo, platformPrivateKeyPem: opts.platformPrivateKeyPem, now, signed });

  async function authenticate(req: RecordedRequest): Promise<string | null> {
    const auth = parseAuthorization(req.headers.authorization ?? '');
    if (!auth) return 'Authorization is missing or not WECHATPAY2-SHA256-RSA2048';
    if (auth.mchid !== opts.mchId) return 'mchid does not match';
    if (auth.serial_no !== opts.merchantSerialNo) return 'serial_no is not the merchant certificate';
    if (Math.abs(now() / 1000 - Number(auth.timestamp)) > MAX_CLOCK_SKEW_S) return 'timestamp outside 5 minutes';
    const message = requestMessage(req.method, req.url, auth.timestamp, auth.nonce_str, req.body);
    return (await verifyBase64(merchantKey, message, auth.signature)) ? null : 'signature does not verify';
  }

  function createOrder(kind: 'jsapi' | 'h5', b: Record<string, unknown>): StandInOrder | string {
    const amount = b.amount as { total?: unknown; currency?: unknown } | undefined;
    if (b.mchid !== opts.mchId || typeof b.appid !== 'string') return 'appid/mchid';
    if (typeof b.description !== 'string' || !b.description || [...b.description].length > 127) return 'description';
    if (typeof b.out_trade_no !== 'string' || !OUT_TRADE_NO.test(b.out_trade_no)) return 'out_trade_no';
    if (typeof b.notify_url !== 'string' || !/^https?:\/\//.test(b.notify_url)) return 'notify_url';
    if (!amount || !Number.isSafeInteger(amount.total) || (amount.total as number) <= 0 || amount.currency !== 'CNY') return 'amount';
    const payer = b.payer as { openid?: unknown } | undefined;
    if (kind === 'jsapi' && typeof payer?.openid !== 'string') return 'payer.openid';
    const scene = b.scene_info as { payer_client_ip?: unknown; h5_info?: { type?: unknown } } | undefined;
    if (kind === 'h5' && (typeof scene?.payer_client_ip !== 'string' || typeof scene.h5_info?.type !== 'string')) return 'scene_info';
    const order: StandInOrder = { appid: b.appid, mchid: b.mchid, out_trade_no: b.out_trade_no, total: amount.total as number, kind, refunded: 0 };
    if (typeof payer?.openid === 'string') order.openid = payer.openid;
    return order;
  }

  async function route(req: RecordedRequest): Promise<Reply> {
    const problem = await authenticate(req);
    if (problem) return fail(401, 'SIGN_ERROR', problem);
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    if (req.method === 'POST' && (req.url === '/v3/pay/transactions/jsapi' || req.url === '/v3/pay/transactions/h5')) {
      const kind = req.url.endsWith('jsapi') ? 'jsapi' : 'h5';
      const order = createOrder(kind, body);
      if (typeof order === 'string') return fail(400, 'PARAM_ERROR', `invalid ${order}`);
      const existing = orders.get(order.out_trade_no);
      if (existing?.transaction_id) return fail(400, 'ORDERPAID', 'order already paid');
      orders.set(order.out_trade_no, order);
      const prepayId = `wx${encodeHexLowerCase(crypto.getRandomValues(new Uint8Array(16)))}`;
      if (kind === 'jsapi') return signed(200, { prepay_id: prepayId });
      return signed(200, { h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepayId}&package=${randomDigits(10)}` });
    }
    if (req.method === 'POST' && req.url === '/v3/refund/domestic/refunds') return refund(body);
    const transferReply = transfers.route(req, body);
    if (transferReply) return transferReply;
    return fail(404, 'NOT_FOUND', `no route ${req.method} ${req.url}`);
  }

  async function refund(b: Record<string, unknown>): Promise<Reply> {
    const order = [...orders.values()].find((o) => o.transaction_id !== undefined && o.transaction_id === b.transaction_id);
    if (!order) return fail(404, 'RESOURCE_NOT_EXISTS', 'no paid order with that transaction_id');
    const outRefundNo = b.out_refund_no;
    if (typeof outRefundNo !== 'string' || !/^[A-Za-z0-9_\-|*@]{1,64}$/.test(outRefundNo)) return fail(400, 'PARAM_ERROR', 'invalid out_refund_no');
    const previous = refunds.get(outRefundNo);
    if (previous) return signed(200, previous); // 同一退款单号多次请求只退一笔
    const amount = b.amount as { refund?: unknown; total?: unknown; currency?: unknown } | undefined;
    if (!amount || amount.total !== order.total || amount.currency !== 'CNY' || !Number.isSafeInteger(amount.refund) || (amount.refund as number) <= 0) return fail(400, 'PARAM_ERROR', 'invalid amount');
    if (order.refunded + (amount.refund as number) > order.total) return fail(403, 'NOT_ENOUGH', 'refund exceeds what is left of the payment');
    order.refunded += amount.refund as number;
    const result = {
      refund_id: `50${randomDigits(27)}`,
      out_refund_no: outRefundNo,
      transaction_id: order.transaction_id,
      out_trade_no: order.out_trade_no,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      create_time: new Date(now()).toISOString(),
      status: opts.refundStatus ?? 'PROCESSING',
      amount: { total: order.total, refund: amount.refund, payer_total: order.total, payer_refund: amount.refund, currency: 'CNY' },
    };
    refunds.set(outRefundNo, result);
    return signed(200, result);
  }

  const server = await startLocalServer(route);
  return {
    ...server,
    orders,
    transfers,
    refunds,
    settleRefund(outRefundNo, status) {
      const refund = refunds.get(outRefundNo);
      if (!refund) throw new Error(`stand-in has no refund ${outRefundNo}`);
      const amount = refund.amount as { refund: number; total: number; payer_total: number; payer_refund: number };
      if (refund.status !== status && status === 'CLOSED') {
        const order = orders.get(String(refund.out_trade_no));
        if (order) order.refunded -= amount.refund;
      }
      refund.status = status;
      if (status === 'SUCCESS') refund.success_time = new Date(now()).toISOString();
      return {
        mchid: opts.mchId,
        out_trade_no: refund.out_trade_no,
        transaction_id: refund.transaction_id,
        out_refund_no: refund.out_refund_no,
        refund_id: refund.refund_id,
        refund_status: status,
        ...(status === 'SUCCESS' ? { success_time: refund.success_time } : {}),
        user_received_account: refund.user_received_account,
        amount: { total: amount.total, refund: amount.refund, payer_total: amount.payer_total, payer_refund: amount.payer_refund },
      };
    },
    pay(outTradeNo) {
      const order = orders.get(outTradeNo);
      if (!order) throw new Error(`stand-in has no order ${outTradeNo}`);
      order.transaction_id ??= `4200${randomDigits(24)}`;
      return {
        appid: order.appid,
        mchid: order.mchid,
        out_trade_no: order.out_trade_no,
        transaction_id: order.transaction_id,
        trade_type: order.kind === 'jsapi' ? 'JSAPI' : 'MWEB',
        trade_state: 'SUCCESS',
        trade_state_desc: '支付成功',
        bank_type: 'OTHERS',
        attach: '',
        success_time: new Date(now()).toISOString(),
        payer: { openid: order.openid ?? 'stand-in-openid' },
        amount: { total: order.total, payer_total: order.total, currency: 'CNY', payer_currency: 'CNY' },
      };
    },
  };
}
