import { importOaepPrivateKey, oaepDecryptBase64 } from '../rsa';
import { delay, type RecordedRequest, type Reply } from './http';
import { randomDigits } from './random-digits';
import { buildWechatNotify } from './wechat-notify';

/**
 * The 商家转账 side of the WeChat Pay stand-in: POST /v3/fund-app/mch-transfer/transfer-bills
 * and GET …/out-bill-no/{out_bill_no}, behind the stand-in's request authentication. One bill per
 * out_bill_no, ever: a repeat with the same parameters answers with the existing bill and moves
 * no money; different parameters under a used number are refused. user_name must be RSA-OAEP
 * encrypted with the platform key named in Wechatpay-Serial. Tests script what the next requests
 * meet, then settle bills (payee confirmed, or WeChat gave up) and build their notifies.
 */
export type WechatTransferState = 'ACCEPTED' | 'PROCESSING' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELING' | 'CANCELLED';

export interface WechatTransferScript {
  /** The state a new bill starts in; WAIT_USER_CONFIRM (the usual answer) when unset. */
  state?: WechatTransferState;
  failReason?: string;
  /** Refuse the request with this HTTP status and code; a new bill is not created. */
  refuse?: { status: number; code: string; message?: string };
  /** Answer this much later, the bill already made: lets a client time out on a transfer that happened. */
  delayMs?: number;
}

export interface StandInTransferBill {
  mch_id: string;
  appid: string;
  out_bill_no: string;
  transfer_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  transfer_amount: number;
  transfer_remark: string;
  state: WechatTransferState;
  fail_reason?: string;
  package_info: string;
  /** The payee name as decrypted, when one was sent. */
  user_name?: string;
  create_time: string;
  update_time: string;
  /** How many transfer requests named this bill (money moves once whatever the count). */
  requests: number;
}

export interface WechatTransferDesk {
  bills: Map<string, StandInTransferBill>;
  /** Scripts the next transfer requests, one script per request, in order. */
  scriptNext(...scripts: WechatTransferScript[]): void;
  /** Moves a bill to a final state and returns the resource its MCHTRANSFER.BILL.FINISHED carries. */
  settle(outBillNo: string, state: 'SUCCESS' | 'FAIL' | 'CANCELLED', failReason?: string): Record<string, unknown>;
}

export interface TransferDeskContext {
  mchId: string;
  platformSerialNo: string;
  platformPrivateKeyPem: string;
  now: () => number;
  signed(status: number, payload: object): Promise<Reply>;
}

const PATH = '/v3/fund-app/mch-transfer/transfer-bills';
const OUT_BILL_NO = /^[A-Za-z0-9]{1,32}$/;

export function createWechatTransferDesk(ctx: TransferDeskContext): WechatTransferDesk & { route(req: RecordedRequest, body: Record<string, unknown>): Promise<Reply> | undefined } {
  const bills = new Map<string, StandInTransferBill>();
  const scripts: WechatTransferScript[] = [];
  let nameKey: Promise<CryptoKey> | undefined;
  const fail = (status: number, code: string, message: string) => ctx.signed(status, { code, message });
  const iso = () => new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00');

  /** The stored name, or why the request is malformed. */
  async function payeeName(req: RecordedRequest, b: Record<string, unknown>): Promise<{ name?: string } | string> {
    if (b.user_name === undefined) return (b.transfer_amount as number) >= 200_000 ? 'user_name is required from 2,000 yuan' : {};
    if (typeof b.user_name !== 'string') return 'user_name';
    if (req.headers['wechatpay-serial'] !== ctx.platformSerialNo) return 'Wechatpay-Serial must name the key user_name is encrypted with';
    try {
      return { name: await oaepDecryptBase64(await (nameKey ??= importOaepPrivateKey(ctx.platformPrivateKeyPem)), b.user_name) };
    } catch {
      return 'user_name does not decrypt';
    }
  }

  function invalid(b: Record<string, unknown>): string | null {
    if (typeof b.appid !== 'string' || !b.appid) return 'appid';
    if (typeof b.out_bill_no !== 'string' || !OUT_BILL_NO.test(b.out_bill_no)) return 'out_bill_no';
    if (typeof b.transfer_scene_id !== 'string' || !b.transfer_scene_id) return 'transfer_scene_id';
    if (typeof b.openid !== 'string' || !b.openid) return 'openid';
    if (!Number.isSafeInteger(b.transfer_amount) || (b.transfer_amount as number) <= 0) return 'transfer_amount';
    if (typeof b.transfer_remark !== 'string' || !b.transfer_remark || [...b.transfer_remark].length > 32) return 'transfer_remark';
    if (b.notify_url !== undefined && (typeof b.notify_url !== 'string' || !/^https:\/\/[^?]+$/.test(b.notify_url))) return 'notify_url';
    const infos = b.transfer_scene_report_infos;
    if (!Array.isArray(infos) || infos.length === 0 || !infos.every((i: { info_type?: unknown; info_content?: unknown }) => typeof i.info_type === 'string' && typeof i.info_content === 'string')) {
      return 'transfer_scene_report_infos';
    }
    return null;
  }

  const answer = (bill: StandInTransferBill) => ({
    out_bill_no: bill.out_bill_no,
    transfer_bill_no: bill.transfer_bill_no,
    create_time: bill.create_time,
    state: bill.state,
    ...(bill.state === 'WAIT_USER_CONFIRM' ? { package_info: bill.package_info } : {}),
    ...(bill.fail_reason ? { fail_reason: bill.fail_reason } : {}),
  });

  const view = (bill: StandInTransferBill) => {
    const { requests: _requests, package_info: _package, user_name: _name, ...rest } = bill;
    return rest;
  };

  async function transfer(req: RecordedRequest, b: Record<string, unknown>): Promise<Reply> {
    const script = scripts.shift() ?? {};
    const problem = invalid(b);
    if (problem) return fail(400, 'PARAM_ERROR', `invalid ${problem}`);
    const named = await payeeName(req, b);
    if (typeof named === 'string') return fail(400, 'PARAM_ERROR', named);
    const outBillNo = b.out_bill_no as string;
    let bill = bills.get(outBillNo);
    if (script.refuse) return fail(script.refuse.status, script.refuse.code, script.refuse.message ?? 'refused by the test script');
    if (bill) {
      if (bill.transfer_amount !== b.transfer_amount || bill.openid !== b.openid || bill.appid !== b.appid) return fail(400, 'INVALID_REQUEST', '商户单号重复，请求参数与原单不一致');
      bill.requests++;
    } else {
      bill = {
        mch_id: ctx.mchId,
        appid: b.appid as string,
        out_bill_no: outBillNo,
        transfer_bill_no: `1330${randomDigits(36)}`,
        transfer_scene_id: b.transfer_scene_id as string,
        openid: b.openid as string,
        transfer_amount: b.transfer_amount as number,
        transfer_remark: b.transfer_remark as string,
        state: script.state ?? 'WAIT_USER_CONFIRM',
        package_info: `ABBQO+oYAAABAAAAAAA${randomDigits(20)}`,
        create_time: iso(),
        update_time: iso(),
        requests: 1,
      };
      if (script.failReason) bill.fail_reason = script.failReason;
      if (named.name !== undefined) bill.user_name = named.name;
      bills.set(outBillNo, bill);
    }
    if (script.delayMs) await delay(script.delayMs);
    return ctx.signed(200, answer(bill));
  }

  return {
    bills,
    scriptNext: (...next) => void scripts.push(...next),

    settle(outBillNo, state, failReason) {
      const bill = bills.get(outBillNo);
      if (!bill) throw new Error(`stand-in has no transfer bill ${outBillNo}`);
      bill.state = state;
      if (failReason) bill.fail_reason = failReason;
      bill.update_time = iso();
      const { out_bill_no, transfer_bill_no, mch_id, transfer_amount, openid, create_time, update_time } = bill;
      return { mch_id, out_bill_no, transfer_bill_no, state, transfer_amount, openid, ...(bill.fail_reason ? { fail_reason: bill.fail_reason } : {}), create_time, update_time };
    },

    route(req, body) {
      if (req.method === 'POST' && req.url === PATH) return transfer(req, body);
      const m = req.method === 'GET' ? new RegExp(`^${PATH}/out-bill-no/([^/?]+)$`).exec(req.url) : null;
      if (!m) return undefined;
      const bill = bills.get(decodeURIComponent(m[1]!));
      return bill ? ctx.signed(200, view(bill)) : fail(404, 'NOT_FOUND', '记录不存在');
    },
  };
}

/** The MCHTRANSFER.BILL.FINISHED notify for a settled bill (see WechatTransferDesk.settle). */
export function buildWechatTransferNotify(o: { apiV3Key: string; platformPrivateKeyPem: string; platformSerialNo: string; bill: Record<string, unknown>; timestamp?: number }) {
  return buildWechatNotify({
    apiV3Key: o.apiV3Key,
    platformPrivateKeyPem: o.platformPrivateKeyPem,
    platformSerialNo: o.platformSerialNo,
    transaction: o.bill,
    eventType: 'MCHTRANSFER.BILL.FINISHED',
    originalType: 'mch_payment',
    summary: '商家转账单据终态通知',
    timestamp: o.timestamp,
  });
}
