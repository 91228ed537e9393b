import { clip } from './clip';
import { PaymentNotifyIgnoredError, PaymentSignatureError, PayoutNotFoundError } from './errors';
import { integerField, optionalString, parseJsonObject, stringField, type JsonObject } from './json-fields';
import { fromMerchantOrderNo } from './merchant-order-no';
import { asPayoutError, assertPayoutRequest, confirmRefusal, toPayoutNo, type PayoutNotice, type PayoutOutcome, type PayoutProvider } from './payout';
import { headerValue, type NotifyRequest } from './provider';
import { importOaepPublicKey, oaepEncryptBase64 } from './rsa';
import { createWechatPayV3Client, replyError, type WechatPayV3Credentials, type WechatPayV3Reply } from './wechat-pay-v3-client';

/**
 * WeChat Pay 商家转账 (the 2025 "用户确认模式" API that replaced 转账到零钱 batches) for a directly
 * connected merchant: POST /v3/fund-app/mch-transfer/transfer-bills creates a bill keyed by
 * out_bill_no, GET …/out-bill-no/{out_bill_no} reads it, and MCHTRANSFER.BILL.FINISHED notifies
 * its final state. Most scenes need the payee to confirm in WeChat (state WAIT_USER_CONFIRM,
 * see PayoutUserConfirmation) before money moves.
 */
export interface WechatTransferConfig extends WechatPayV3Credentials {
  /** The AppID the payees' openids belong to (bound to the merchant account). */
  appId: string;
  /** 转账场景ID granted in the merchant console, e.g. 1005 (佣金报酬) or 1000 (现金营销). */
  transferSceneId: string;
  /** 转账场景报备信息: fixed info_type names per scene (e.g. 1005: 岗位类型, 报酬说明). */
  sceneReportInfos: readonly { infoType: string; infoContent: string }[];
  /** 用户收款感知, e.g. 劳务报酬; the scene's default when unset. */
  userRecvPerception?: string;
  /** HTTPS URL without query for MCHTRANSFER.BILL.FINISHED. */
  notifyUrl?: string;
  /**
   * Which platform key (serial or 微信支付公钥 id, sent as Wechatpay-Serial) encrypts user_name;
   * defaults to the first of platformPublicKeys.
   */
  encryptionKeySerial?: string;
}

export interface WechatPayoutProvider extends PayoutProvider {
  readonly method: 'wechat';
  /** Verifies and decrypts a MCHTRANSFER.BILL.FINISHED notify; PaymentSignatureError if untrusted. */
  parseNotify(request: NotifyRequest): Promise<PayoutNotice>;
}

export const WECHAT_TRANSFER_PATH = '/v3/fund-app/mch-transfer/transfer-bills';
/** 转账金额 >= 2,000元时, user_name 必填 */
export const WECHAT_REAL_NAME_THRESHOLD_FEN = 200_000;
const REMARK_MAX = 32; // transfer_remark string(32)
const DEFAULT_REMARK = '佣金提现';
const DEFAULT_TIMEOUT_MS = 15_000;

const isOk = (reply: WechatPayV3Reply) => reply.status >= 200 && reply.status <= 299;
// 4xx is WeChat answering "not this request"; 429 (FREQUENCY_LIMITED) asks for the same request later.
const isRefusal = (reply: WechatPayV3Reply) => reply.status >= 400 && reply.status <= 499 && reply.status !== 429;

/** Bill state → outcome. A state we do not know is never a failure. */
export function wechatTransferOutcome(bill: JsonObject, confirm?: { mchId: string; appId: string }): PayoutOutcome {
  const state = stringField(bill, 'state');
  const externalId = stringField(bill, 'transfer_bill_no');
  if (state === 'SUCCESS') return { status: 'succeeded', externalId };
  if (state === 'FAIL') {
    const code = optionalString(bill, 'fail_reason') || 'FAIL';
    return { status: 'failed', code, reason: `WeChat Pay transfer failed: ${code}` };
  }
  if (state === 'CANCELLED') return { status: 'failed', code: 'CANCELLED', reason: 'WeChat Pay transfer was cancelled' };
  // ACCEPTED, PROCESSING (funds being locked), WAIT_USER_CONFIRM, TRANSFERING, CANCELING.
  const packageInfo = optionalString(bill, 'package_info');
  if (state === 'WAIT_USER_CONFIRM' && packageInfo && confirm) return { status: 'processing', externalId, userConfirmation: { ...confirm, package: packageInfo } };
  return { status: 'processing', externalId };
}

export function createWechatTransfer(config: WechatTransferConfig): WechatPayoutProvider {
  const client = createWechatPayV3Client({ ...config, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const confirm = { mchId: config.mchId, appId: config.appId };
  let nameKey: Promise<CryptoKey> | undefined;

  async function encryptName(name: string): Promise<{ serial: string; userName: string }> {
    const serial = config.encryptionKeySerial ?? Object.keys(config.platformPublicKeys)[0];
    const pem = serial !== undefined && Object.hasOwn(config.platformPublicKeys, serial) ? config.platformPublicKeys[serial] : undefined;
    if (serial === undefined || pem === undefined) throw new TypeError('no platform public key to encrypt user_name with');
    nameKey ??= importOaepPublicKey(pem);
    return { serial, userName: await oaepEncryptBase64(await nameKey, name) };
  }

  /** The bill in a verified 2xx body, checked to be ours and the one asked for. */
  async function billOf(reply: WechatPayV3Reply, outBillNo: string): Promise<JsonObject> {
    await client.verify(reply);
    const bill = parseJsonObject(reply.text, 'WeChat Pay transfer bill');
    if (stringField(bill, 'out_bill_no') !== outBillNo) throw new PaymentSignatureError('transfer bill answered for another out_bill_no');
    const mch = optionalString(bill, 'mch_id') ?? optionalString(bill, 'mchid');
    if (mch !== undefined && mch !== config.mchId) throw new PaymentSignatureError('transfer bill is for another merchant');
    return bill;
  }

  async function query(payoutId: string): Promise<PayoutOutcome> {
    const outBillNo = toPayoutNo(payoutId);
    try {
      const reply = await client.send('GET', `${WECHAT_TRANSFER_PATH}/out-bill-no/${outBillNo}`);
      if (isOk(reply)) return wechatTransferOutcome(await billOf(reply, outBillNo), confirm);
      const err = replyError(reply);
      if (reply.status === 404 && err.providerCode === 'NOT_FOUND') {
        // "Not found" can end in a failed payout (confirmRefusal), so a signed one must verify.
        if (headerValue(reply.headers, 'Wechatpay-Signature') !== undefined) await client.verify(reply);
        throw new PayoutNotFoundError(payoutId);
      }
      throw err;
    } catch (e) {
      throw asPayoutError(e);
    }
  }

  return {
    method: 'wechat',
    query,

    async transfer(req) {
      const account = assertPayoutRequest(req, 'wechat');
      const outBillNo = toPayoutNo(req.payoutId);
      const needsName = req.amount >= WECHAT_REAL_NAME_THRESHOLD_FEN;
      if (needsName && !account.realName) {
        return { status: 'failed', code: 'REAL_NAME_REQUIRED', reason: 'WeChat Pay needs the payee’s real name for transfers of 2,000 yuan or more' };
      }
      // The name is sent only where WeChat requires it: below the threshold a mismatch would fail
      // a transfer that needs no name, and the name is personal data we need not share.
      const name = needsName && account.realName ? await encryptName(account.realName) : undefined;
      const body: JsonObject = {
        appid: config.appId,
        out_bill_no: outBillNo,
        transfer_scene_id: config.transferSceneId,
        openid: account.openid,
        ...(name ? { user_name: name.userName } : {}),
        transfer_amount: req.amount,
        transfer_remark: clip(req.remark.trim() || DEFAULT_REMARK, REMARK_MAX),
        ...(config.notifyUrl ? { notify_url: config.notifyUrl } : {}),
        ...(config.userRecvPerception ? { user_recv_perception: config.userRecvPerception } : {}),
        transfer_scene_report_infos: config.sceneReportInfos.map((i) => ({ info_type: i.infoType, info_content: i.infoContent })),
      };
      try {
        const reply = await client.send('POST', WECHAT_TRANSFER_PATH, body, name ? { 'Wechatpay-Serial': name.serial } : {});
        if (isOk(reply)) return wechatTransferOutcome(await billOf(reply, outBillNo), confirm);
        // WeChat: after a non-200, never switch numbers before a query shows the bill failed.
        if (isRefusal(reply)) {
          const err = replyError(reply);
          return await confirmRefusal(() => query(req.payoutId), { code: err.providerCode, reason: err.message });
        }
        throw replyError(reply);
      } catch (e) {
        throw asPayoutError(e);
      }
    },

    async parseNotify(request) {
      const notify = await client.readNotify(request);
      if (notify.eventType !== 'MCHTRANSFER.BILL.FINISHED') throw new PaymentNotifyIgnoredError(`event ${notify.eventType}`);
      const bill = await notify.decrypt();
      // Authentic but for another merchant account: never apply it to our payouts.
      const mch = optionalString(bill, 'mch_id') ?? optionalString(bill, 'mchid');
      if (mch !== config.mchId) throw new PaymentSignatureError('notify is for another merchant');
      return {
        payoutId: fromMerchantOrderNo(stringField(bill, 'out_bill_no')),
        externalId: stringField(bill, 'transfer_bill_no'),
        amount: integerField(bill, 'transfer_amount'),
        outcome: wechatTransferOutcome(bill),
      };
    },
  };
}
