import { REQUEST_UNSIGNED, signContent } from '../alipay-signing';
import { fenToYuan, yuanToFen } from '../money';
import { importPrivateKey, importPublicKey, signBase64, verifyBase64 } from '../rsa';
import { createAlipayTransferDesk, type AlipayTransferDesk } from './alipay-transfer-desk';
import { startLocalServer, type LocalServer, type RecordedRequest, type Reply } from './http';
import { randomDigits } from './random-digits';

/**
 * A local stand-in for openapi.alipay.com/gateway.do. It verifies RSA2 request signatures with
 * the application public key over the request 待签名字符串 (all parameters but `sign`, sign_type
 * included), plays the wap cashier (GET alipay.trade.wap.pay records the trade) and answers
 * alipay.trade.refund with `{"alipay_trade_refund_response":{…},"sign":"…"}` signed with the
 * Alipay key over the member's raw text, and plays 单笔转账 (`transfers`, see
 * alipay-transfer-desk.ts).
 */
export interface AlipayStandInOptions {
  appId: string;
  appPublicKeyPem: string;
  alipayPrivateKeyPem: string;
  /** Corrupts the response signature, to test that the adapter refuses it. */
  tamperResponses?: boolean;
  /** 公钥证书 mode: every request must carry (and sign) these serials. */
  appCertSn?: string;
  alipayRootCertSn?: string;
}

export interface StandInTrade {
  out_trade_no: string;
  total_fen: number;
  subject: string;
  trade_no?: string;
  refunded_fen: number;
}

export interface AlipayStandIn extends LocalServer {
  /** gateway URL to put in AlipayConfig.gateway */
  gateway: string;
  trades: Map<string, StandInTrade>;
  /** The buyer pays; returns the parameters of the async notify Alipay would then send. */
  pay(outTradeNo: string): Record<string, string>;
  options: AlipayStandInOptions;
  /** 单笔转账 orders: script outcomes, settle orders, read what was paid. */
  transfers: AlipayTransferDesk;
}

export async function startAlipayStandIn(opts: AlipayStandInOptions): Promise<AlipayStandIn> {
  const appKey = await importPublicKey(opts.appPublicKeyPem);
  const alipayKey = await importPrivateKey(opts.alipayPrivateKeyPem);
  const trades = new Map<string, StandInTrade>();
  const refundsByRequest = new Map<string, string>();

  const error = (code: string, msg: string, subCode: string, subMsg: string): Reply => ({
    status: 200,
    body: JSON.stringify({ error_response: { code, msg, sub_code: subCode, sub_msg: subMsg } }),
  });

  async function signedResponse(member: string, payload: Record<string, unknown>): Promise<Reply> {
    const raw = JSON.stringify(payload);
    let sign = await signBase64(alipayKey, raw);
    if (opts.tamperResponses) sign = `${sign.startsWith('A') ? 'B' : 'A'}${sign.slice(1)}`;
    // Built as text so `raw` is byte for byte what was signed, as on the real gateway.
    return { status: 200, body: `{"${member}":${raw},"sign":${JSON.stringify(sign)}}` };
  }

  const transferDesk = createAlipayTransferDesk(signedResponse);

  async function route(req: RecordedRequest): Promise<Reply> {
    const url = new URL(req.url, 'http://stand-in');
    if (url.pathname !== '/gateway.do') return { status: 404, body: '{}' };
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    if (req.method === 'POST') for (const [k, v] of new URLSearchParams(req.body)) params[k] = v;
    if (params.app_id !== opts.appId) return error('40002', 'Invalid Arguments', 'isv.invalid-app-id', '无效的AppID参数');
    if (params.sign_type !== 'RSA2' || params.charset !== 'utf-8' || params.version !== '1.0' || !params.timestamp) {
      return error('40002', 'Invalid Arguments', 'isv.missing-signature-config', 'sign_type/charset/version/timestamp');
    }
    if (!params.sign || !(await verifyBase64(appKey, signContent(params, REQUEST_UNSIGNED), params.sign))) {
      return error('40002', 'Invalid Arguments', 'isv.invalid-signature', '验签出错');
    }
    if (opts.appCertSn !== undefined && (params.app_cert_sn !== opts.appCertSn || params.alipay_root_cert_sn !== opts.alipayRootCertSn)) {
      return error('40002', 'Invalid Arguments', 'isv.invalid-cert-sn', 'app_cert_sn/alipay_root_cert_sn');
    }
    if (req.method === 'POST') {
      const transferReply = transferDesk.route(params.method, params.biz_content);
      if (transferReply) return transferReply;
    }
    const biz = JSON.parse(params.biz_content ?? '{}') as Record<string, string>;
    if (params.method === 'alipay.trade.wap.pay' && req.method === 'GET') return cashier(biz);
    if (params.method === 'alipay.trade.refund' && req.method === 'POST') return refund(biz);
    return error('40004', 'Business Failed', 'isv.invalid-method', `${params.method} via ${req.method}`);
  }

  function cashier(biz: Record<string, string>): Reply {
    if (biz.product_code !== 'QUICK_WAP_WAY' || !biz.subject || !biz.out_trade_no || !/^\w{1,64}$/.test(biz.out_trade_no)) {
      return error('40004', 'Business Failed', 'ACQ.INVALID_PARAMETER', 'biz_content');
    }
    const existing = trades.get(biz.out_trade_no);
    if (!existing) trades.set(biz.out_trade_no, { out_trade_no: biz.out_trade_no, total_fen: yuanToFen(biz.total_amount ?? ''), subject: biz.subject, refunded_fen: 0 });
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>收银台</title>' };
  }

  async function refund(biz: Record<string, string>): Promise<Reply> {
    const member = 'alipay_trade_refund_response';
    const trade = [...trades.values()].find((t) => t.trade_no !== undefined && (t.trade_no === biz.trade_no || t.out_trade_no === biz.out_trade_no));
    if (!trade?.trade_no) return signedResponse(member, { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' });
    const base = { code: '10000', msg: 'Success', buyer_logon_id: 'tes***@example.com', out_trade_no: trade.out_trade_no, trade_no: trade.trade_no, gmt_refund_pay: '2026-01-01 12:00:00' };
    const key = `${trade.trade_no}/${biz.out_request_no ?? ''}`;
    if (refundsByRequest.has(key)) {
      // A repeated out_request_no never refunds twice: success, but no money moves (fund_change N).
      return signedResponse(member, { ...base, refund_fee: fenToYuan(trade.refunded_fen), fund_change: 'N', send_back_fee: '0.00' });
    }
    const fen = yuanToFen(biz.refund_amount ?? '');
    if (fen <= 0 || trade.refunded_fen + fen > trade.total_fen) {
      return signedResponse(member, { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', sub_msg: '退款金额超限' });
    }
    trade.refunded_fen += fen;
    refundsByRequest.set(key, biz.refund_amount ?? '');
    return signedResponse(member, { ...base, refund_fee: fenToYuan(trade.refunded_fen), fund_change: 'Y', send_back_fee: biz.refund_amount });
  }

  const server = await startLocalServer(route);
  return {
    ...server,
    gateway: `${server.url}/gateway.do`,
    trades,
    transfers: transferDesk.desk,
    options: opts,
    pay(outTradeNo) {
      const trade = trades.get(outTradeNo);
      if (!trade) throw new Error(`stand-in has no trade ${outTradeNo}`);
      trade.trade_no ??= `2026${randomDigits(24)}`;
      return {
        app_id: opts.appId,
        out_trade_no: trade.out_trade_no,
        trade_no: trade.trade_no,
        trade_status: 'TRADE_SUCCESS',
        total_amount: fenToYuan(trade.total_fen),
        receipt_amount: fenToYuan(trade.total_fen),
        subject: trade.subject,
        seller_id: '2088000000000000',
        buyer_id: '2088000000000001',
        gmt_payment: '2026-01-01 12:00:00',
      };
    },
  };
}
