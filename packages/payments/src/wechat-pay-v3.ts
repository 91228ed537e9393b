import { PaymentNotifyIgnoredError, PaymentInputError, PaymentProviderError, PaymentSignatureError } from './errors';
import { integerField, isObject, objectField, optionalString, parseJsonObject, stringField, type JsonObject } from './json-fields';
import { fromMerchantOrderNo, toMerchantOrderNo } from './merchant-order-no';
import { assertFen } from './money';
import type { CreatePaymentInput, CreatePaymentResult, NotifyRequest, PaymentNotice, PaymentProvider, RefundInput, RefundResult } from './provider';
import { importPrivateKey, importPublicKey, signBase64 } from './rsa';
import { apiV3KeyBytes, decryptResource } from './wechat-pay-v3-aead';
import { jsapiPayMessage, newNonce, signRequest, verifySignedMessage } from './wechat-pay-v3-signing';

/**
 * WeChat Pay API v3 for a directly connected merchant (直连商户): JSAPI and H5 orders, the
 * payment-success notify, and domestic refunds. Requests are signed with the merchant key;
 * every response and notify is verified against the platform key its Wechatpay-Serial names
 * (a platform certificate's key, or the newer 微信支付公钥 whose id goes in the same header).
 */
export interface WechatPayV3Config {
  mchId: string;
  /** 公众号 AppID the payer's openid belongs to. */
  appId: string;
  /** Serial number of the merchant API certificate (商户API证书序列号). */
  serialNo: string;
  /** Merchant API private key (apiclient_key.pem, PKCS#8). */
  privateKeyPem: string;
  /** APIv3 key: 32 ASCII characters. */
  apiV3Key: string;
  /** Platform public keys (SPKI PEM) by serial / public-key id. */
  platformPublicKeys: Record<string, string>;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Where WeChat posts refund results; without it the URL set in the merchant console applies. */
  refundNotifyUrl?: string;
  /** ms since epoch; injectable for tests of the replay window. */
  now?: () => number;
}

const DESCRIPTION_MAX = 127; // JSAPI/H5 下单: description string(127)
const REASON_MAX = 80; // 申请退款: reason string(80)
const ATTACH_MAX = 128;

// The provider rejects over-long text outright; a shortened product name is the lesser harm.
const clip = (s: string, max: number) => Array.from(s).slice(0, max).join('');

export function createWechatPayV3(config: WechatPayV3Config): PaymentProvider {
  const baseUrl = (config.baseUrl ?? 'https://api.mch.weixin.qq.com').replace(/\/$/, '');
  const doFetch = config.fetch ?? ((input, init) => fetch(input, init));
  const now = config.now ?? Date.now;
  const aesKey = apiV3KeyBytes(config.apiV3Key);
  // Imported on first use, not here: a rejected promise nobody awaits yet would surface as an
  // unhandled rejection far from its cause.
  let merchantKeyPromise: Promise<CryptoKey> | undefined;
  const merchantKey = () => (merchantKeyPromise ??= importPrivateKey(config.privateKeyPem));
  const platformKeys = new Map<string, Promise<CryptoKey>>();
  // Import lazily and once: a bad key for one serial should not break the others.
  const platformKey = async (serial: string) => {
    const pem = Object.hasOwn(config.platformPublicKeys, serial) ? config.platformPublicKeys[serial] : undefined;
    if (pem === undefined) return undefined;
    let key = platformKeys.get(serial);
    if (!key) platformKeys.set(serial, (key = importPublicKey(pem)));
    return key;
  };

  async function call(method: 'GET' | 'POST', path: string, payload?: JsonObject): Promise<JsonObject> {
    const url = new URL(baseUrl + path);
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = await signRequest(await merchantKey(), {
      mchId: config.mchId,
      serialNo: config.serialNo,
      method,
      pathAndQuery: url.pathname + url.search,
      body,
      timestamp: String(Math.floor(now() / 1000)),
      nonce: newNonce(),
    });
    const res = await doFetch(url, {
      method,
      headers: { Authorization: authorization, Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'tuike-payments/0.1' },
      body: method === 'GET' ? undefined : body,
    });
    const text = await res.text();
    if (!res.ok) {
      const err = safeJson(text);
      throw new PaymentProviderError(optionalString(err, 'code') ?? `HTTP_${res.status}`, optionalString(err, 'message') ?? text.slice(0, 200), res.status);
    }
    // A 2xx without a valid signature must be treated as forged (签名验证).
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    await verifySignedMessage(headers, text, platformKey, now());
    return parseJsonObject(text, 'WeChat Pay response');
  }

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
    const paySign = await signBase64(await merchantKey(), jsapiPayMessage(config.appId, timeStamp, nonceStr, pkg));
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

    async parseNotify(request: NotifyRequest): Promise<PaymentNotice> {
      await verifySignedMessage(request.headers, request.body, platformKey, now());
      const notice = parseJsonObject(request.body, 'notify body');
      const eventType = stringField(notice, 'event_type');
      if (!eventType.startsWith('TRANSACTION.')) throw new PaymentNotifyIgnoredError(`event ${eventType}`);
      const resource = objectField(notice, 'resource');
      if (resource.algorithm !== 'AEAD_AES_256_GCM') throw new PaymentProviderError('BAD_RESOURCE', `unsupported algorithm ${String(resource.algorithm)}`);
      const plain = await decryptResource(aesKey, {
        ciphertext: stringField(resource, 'ciphertext'),
        nonce: stringField(resource, 'nonce'),
        associated_data: optionalString(resource, 'associated_data') ?? '',
      });
      const tx = parseJsonObject(plain, 'notify resource');
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
      const status = stringField(res, 'status');
      if (status === 'CLOSED') throw new PaymentProviderError('REFUND_CLOSED', 'WeChat Pay closed the refund');
      // PROCESSING and ABNORMAL (money stuck, needs the merchant) are both not final yet.
      return { externalRefundId: stringField(res, 'refund_id'), status: status === 'SUCCESS' ? 'succeeded' : 'processing' };
    },
  };
}

function safeJson(text: string): JsonObject {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

/** H5: appending an urlencoded redirect_url to h5_url brings the buyer back after paying. */
function withRedirect(h5Url: string, returnUrl: string | undefined): string {
  if (!returnUrl) return h5Url;
  return `${h5Url}${h5Url.includes('?') ? '&' : '?'}redirect_url=${encodeURIComponent(returnUrl)}`;
}
