import { createAlipayClient, type AlipayCredentials } from './alipay-client';
import { clip } from './clip';
import { PaymentSignatureError, PayoutNotFoundError, PayoutUnknownError } from './errors';
import { optionalString, stringField, type JsonObject } from './json-fields';
import { fenToYuan } from './money';
import { asPayoutError, assertPayoutRequest, confirmRefusal, toPayoutNo, type PayoutOutcome, type PayoutProvider } from './payout';

/**
 * Alipay 单笔转账到支付宝账户: alipay.fund.trans.uni.transfer (product TRANS_ACCOUNT_NO_PWD, scene
 * DIRECT_TRANSFER), keyed by out_biz_no, and alipay.fund.trans.common.query. Alipay requires
 * 公钥证书 mode for fund APIs: set appCertSn and alipayRootCertSn, and the Alipay public key from
 * its certificate.
 */
export interface AlipayTransferConfig extends AlipayCredentials {
  /** Shown in the payee's Alipay bill when the request's remark is empty. */
  defaultTitle?: string;
}

const PRODUCT_CODE = 'TRANS_ACCOUNT_NO_PWD';
const BIZ_SCENE = 'DIRECT_TRANSFER';
const TITLE_MAX = 32;
const REMARK_MAX = 200;
const DEFAULT_TITLE = '佣金提现';
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Business codes that do not decide anything: the gateway's 20000 (服务不可用) and sub codes like
 * SYSTEM_ERROR, isp.unknow-error or aop.* limits, for which Alipay asks for the same call again.
 */
export function isUndecidedAlipayFailure(r: JsonObject): boolean {
  const code = optionalString(r, 'code') ?? '';
  const sub = optionalString(r, 'sub_code') ?? '';
  return code === '20000' || /SYSTEM_ERROR|UNKNOW|PROCESSING|TIMEOUT|^isp\.|^aop\./i.test(sub);
}

/** Transfer order status → outcome. A status we do not know is never a failure. */
export function alipayTransferOutcome(r: JsonObject): PayoutOutcome {
  const status = optionalString(r, 'status') ?? '';
  const orderId = optionalString(r, 'order_id') ?? '';
  if (status === 'SUCCESS') return { status: 'succeeded', externalId: stringField(r, 'order_id') };
  if (status === 'FAIL' || status === 'REFUND' || status === 'CLOSED') {
    const code = optionalString(r, 'error_code') || optionalString(r, 'sub_code') || status;
    return { status: 'failed', code, reason: optionalString(r, 'fail_reason') || `Alipay transfer ${status}` };
  }
  // DEALING, WAIT_PAY, INIT, UNKNOWN: not final yet.
  return { status: 'processing', externalId: orderId };
}

export function createAlipayTransfer(config: AlipayTransferConfig): PayoutProvider {
  const client = createAlipayClient({ ...config, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS });

  /** A response for another out_biz_no would be a provider bug or a replay; never act on it. */
  function checkOurs(r: JsonObject, outBizNo: string): JsonObject {
    const echoed = optionalString(r, 'out_biz_no');
    if (echoed !== undefined && echoed !== outBizNo) throw new PaymentSignatureError('transfer answered for another out_biz_no');
    return r;
  }

  async function query(payoutId: string): Promise<PayoutOutcome> {
    const outBizNo = toPayoutNo(payoutId);
    try {
      const r = await client.execute('alipay.fund.trans.common.query', { product_code: PRODUCT_CODE, biz_scene: BIZ_SCENE, out_biz_no: outBizNo });
      if (r.code === '10000') return alipayTransferOutcome(checkOurs(r, outBizNo));
      if (r.sub_code === 'ORDER_NOT_EXIST') throw new PayoutNotFoundError(payoutId);
      throw undecided(r);
    } catch (e) {
      throw asPayoutError(e);
    }
  }

  return {
    method: 'alipay',
    query,

    async transfer(req) {
      const account = assertPayoutRequest(req, 'alipay');
      const outBizNo = toPayoutNo(req.payoutId);
      // Alipay checks a given name against the account's verified name, and needs one for a logon id.
      if (account.identityType === 'ALIPAY_LOGON_ID' && !account.realName) {
        return { status: 'failed', code: 'REAL_NAME_REQUIRED', reason: 'Alipay needs the payee’s real name to pay an Alipay logon id' };
      }
      const title = clip(req.remark.trim() || config.defaultTitle || DEFAULT_TITLE, TITLE_MAX);
      const biz = {
        out_biz_no: outBizNo,
        trans_amount: fenToYuan(req.amount),
        product_code: PRODUCT_CODE,
        biz_scene: BIZ_SCENE,
        order_title: title,
        payee_info: { identity: account.identity, identity_type: account.identityType, ...(account.realName ? { name: account.realName } : {}) },
        ...(req.remark.trim() ? { remark: clip(req.remark.trim(), REMARK_MAX) } : {}),
      };
      try {
        const r = await client.execute('alipay.fund.trans.uni.transfer', biz);
        if (r.code === '10000') {
          const outcome = alipayTransferOutcome(checkOurs(r, outBizNo));
          // The transfer answer names no error_code; the order query does. Keep FAIL if it cannot.
          if (outcome.status === 'failed' && !optionalString(r, 'error_code')) return await query(req.payoutId).catch(() => outcome);
          return outcome;
        }
        if (isUndecidedAlipayFailure(r)) throw undecided(r);
        // A refusal of this call says nothing about an earlier one under the same out_biz_no.
        return await confirmRefusal(() => query(req.payoutId), {
          code: optionalString(r, 'sub_code') || optionalString(r, 'code') || 'FAIL',
          reason: optionalString(r, 'sub_msg') || optionalString(r, 'msg') || 'Alipay refused the transfer',
        });
      } catch (e) {
        throw asPayoutError(e);
      }
    },
  };
}

function undecided(r: JsonObject): PayoutUnknownError {
  return new PayoutUnknownError(optionalString(r, 'sub_code') || optionalString(r, 'code') || 'BAD_RESPONSE', optionalString(r, 'sub_msg') || optionalString(r, 'msg') || 'no decision');
}
