import { responseMember as member } from '../alipay-signing';
import { fenToYuan, yuanToFen } from '../money';
import { delay, type Reply } from './http';
import { randomDigits } from './random-digits';

/**
 * The 单笔转账 side of the Alipay stand-in: alipay.fund.trans.uni.transfer and
 * alipay.fund.trans.common.query, behind the stand-in's RSA2 request check. One order per
 * out_biz_no, ever: a repeat with the same parameters answers with the existing order and moves
 * no money; different parameters under a used number are refused. Tests script what the next
 * transfer requests meet and settle orders that were left DEALING.
 */
export type AlipayTransferStatus = 'SUCCESS' | 'DEALING' | 'FAIL' | 'REFUND';

export interface AlipayTransferScript {
  /** The status a new order gets; SUCCESS (what 单笔无密转账 usually answers) when unset. */
  status?: AlipayTransferStatus;
  /** error_code / fail_reason of a FAIL or REFUND order. */
  errorCode?: string;
  failReason?: string;
  /** Answer with this business failure instead; no order is created. */
  refuse?: { code: string; subCode: string; subMsg?: string };
  /** Answer this much later, the order already made: lets a client time out on a transfer that happened. */
  delayMs?: number;
}

export interface StandInTransferOrder {
  out_biz_no: string;
  order_id: string;
  pay_fund_order_id: string;
  /** yuan, as sent */
  trans_amount: string;
  fen: number;
  order_title: string;
  payee: { identity: string; identity_type: string; name?: string };
  status: AlipayTransferStatus;
  error_code?: string;
  fail_reason?: string;
  trans_date: string;
  /** How many transfer requests named this order (money moves once whatever the count). */
  requests: number;
}

export interface AlipayTransferDesk {
  orders: Map<string, StandInTransferOrder>;
  /** Scripts the next transfer requests, one script per request, in order. */
  scriptNext(...scripts: AlipayTransferScript[]): void;
  /** Moves an order to a final status, as Alipay does after DEALING. */
  settle(outBizNo: string, status: 'SUCCESS' | 'FAIL' | 'REFUND', errorCode?: string): void;
}

const METHOD_TRANSFER = 'alipay.fund.trans.uni.transfer';
const METHOD_QUERY = 'alipay.fund.trans.common.query';

export function createAlipayTransferDesk(signedResponse: (member: string, payload: Record<string, unknown>) => Promise<Reply>) {
  const orders = new Map<string, StandInTransferOrder>();
  const scripts: AlipayTransferScript[] = [];
  const businessFailure = (method: string, subCode: string, subMsg: string, code = '40004') =>
    signedResponse(member(method), { code, msg: code === '40004' ? 'Business Failed' : 'Service Currently Unavailable', sub_code: subCode, sub_msg: subMsg });

  function invalid(b: Record<string, unknown>): string | null {
    if (b.product_code !== 'TRANS_ACCOUNT_NO_PWD' || b.biz_scene !== 'DIRECT_TRANSFER') return 'product_code/biz_scene';
    if (typeof b.out_biz_no !== 'string' || !/^\w{1,64}$/.test(b.out_biz_no)) return 'out_biz_no';
    if (typeof b.trans_amount !== 'string' || !/^\d+\.\d{2}$/.test(b.trans_amount) || yuanToFen(b.trans_amount) <= 0) return 'trans_amount';
    if (typeof b.order_title !== 'string' || !b.order_title) return 'order_title';
    const p = b.payee_info as { identity?: unknown; identity_type?: unknown; name?: unknown } | undefined;
    if (!p || typeof p.identity !== 'string' || (p.identity_type !== 'ALIPAY_USER_ID' && p.identity_type !== 'ALIPAY_LOGON_ID')) return 'payee_info';
    if (p.identity_type === 'ALIPAY_LOGON_ID' && typeof p.name !== 'string') return 'payee_info.name';
    return null;
  }

  const transferAnswer = (o: StandInTransferOrder) => ({
    code: '10000',
    msg: 'Success',
    out_biz_no: o.out_biz_no,
    order_id: o.order_id,
    ...(o.status === 'SUCCESS' ? { pay_fund_order_id: o.pay_fund_order_id } : {}),
    status: o.status,
    trans_date: o.trans_date,
  });

  async function transfer(b: Record<string, unknown>): Promise<Reply> {
    const script = scripts.shift() ?? {};
    const problem = invalid(b);
    if (problem) return businessFailure(METHOD_TRANSFER, 'PARAM_ILLEGAL', `参数有误 ${problem}`);
    if (script.refuse) return businessFailure(METHOD_TRANSFER, script.refuse.subCode, script.refuse.subMsg ?? '测试脚本拒绝', script.refuse.code);
    const payee = b.payee_info as StandInTransferOrder['payee'];
    const outBizNo = b.out_biz_no as string;
    let order = orders.get(outBizNo);
    if (order) {
      if (order.trans_amount !== b.trans_amount || order.payee.identity !== payee.identity) return businessFailure(METHOD_TRANSFER, 'PARAM_ILLEGAL', '同一out_biz_no请求参数不一致');
      order.requests++;
    } else {
      order = {
        out_biz_no: outBizNo,
        order_id: `2026${randomDigits(28)}`,
        pay_fund_order_id: `2026${randomDigits(28)}`,
        trans_amount: b.trans_amount as string,
        fen: yuanToFen(b.trans_amount as string),
        order_title: b.order_title as string,
        payee: { ...payee },
        status: script.status ?? 'SUCCESS',
        trans_date: '2026-01-01 12:00:00',
        requests: 1,
      };
      if (script.errorCode) order.error_code = script.errorCode;
      if (script.failReason) order.fail_reason = script.failReason;
      orders.set(outBizNo, order);
    }
    if (script.delayMs) await delay(script.delayMs);
    return signedResponse(member(METHOD_TRANSFER), transferAnswer(order));
  }

  function query(b: Record<string, unknown>): Promise<Reply> {
    if (typeof b.out_biz_no === 'string' && (b.product_code !== 'TRANS_ACCOUNT_NO_PWD' || b.biz_scene !== 'DIRECT_TRANSFER')) {
      return businessFailure(METHOD_QUERY, 'PARAM_ILLEGAL', 'out_biz_no 查询须传 product_code 与 biz_scene');
    }
    const order = typeof b.out_biz_no === 'string' ? orders.get(b.out_biz_no) : undefined;
    if (!order) return businessFailure(METHOD_QUERY, 'ORDER_NOT_EXIST', '转账订单不存在');
    return signedResponse(member(METHOD_QUERY), {
      code: '10000',
      msg: 'Success',
      order_id: order.order_id,
      out_biz_no: order.out_biz_no,
      status: order.status,
      ...(order.status === 'SUCCESS' ? { pay_fund_order_id: order.pay_fund_order_id, trans_amount: fenToYuan(order.fen), pay_date: order.trans_date } : {}),
      ...(order.error_code ? { error_code: order.error_code } : {}),
      ...(order.fail_reason ? { fail_reason: order.fail_reason } : {}),
    });
  }

  const desk: AlipayTransferDesk = {
    orders,
    scriptNext: (...next) => void scripts.push(...next),
    settle(outBizNo, status, errorCode) {
      const order = orders.get(outBizNo);
      if (!order) throw new Error(`stand-in has no transfer order ${outBizNo}`);
      order.status = status;
      if (errorCode) order.error_code = errorCode;
    },
  };
  return {
    desk,
    /** Answers the two transfer methods; undefined for any other. */
    route(method: string | undefined, bizContent: string | undefined): Promise<Reply> | undefined {
      if (method !== METHOD_TRANSFER && method !== METHOD_QUERY) return undefined;
      const b = JSON.parse(bizContent ?? '{}') as Record<string, unknown>;
      return method === METHOD_TRANSFER ? transfer(b) : query(b);
    },
  };
}
