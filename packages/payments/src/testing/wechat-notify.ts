import { encodeHexLowerCase } from '@oslojs/encoding';
import { importPrivateKey, signBase64 } from '../rsa';
import { apiV3KeyBytes, encryptResource } from '../wechat-pay-v3-aead';
import { newNonce, responseMessage } from '../wechat-pay-v3-signing';

/**
 * Builds the POST WeChat Pay sends to notify_url after a payment (支付成功回调通知): the
 * transaction encrypted with AEAD_AES_256_GCM under the APIv3 key, the JSON envelope, and the
 * Wechatpay-* headers signing `${timestamp}\n${nonce}\n${body}\n` with the platform key.
 */
export interface WechatNotifyOptions {
  apiV3Key: string;
  platformPrivateKeyPem: string;
  platformSerialNo: string;
  /** The transaction resource (what WechatPayStandIn.pay returns). */
  transaction: Record<string, unknown>;
  eventType?: string;
  /** resource.original_type; `transaction` unless given (a transfer bill's is `mch_payment`). */
  originalType?: string;
  summary?: string;
  /** seconds; defaults to now */
  timestamp?: number;
  associatedData?: string;
}

export async function buildWechatNotify(o: WechatNotifyOptions): Promise<{ headers: Record<string, string>; body: string }> {
  // The resource nonce is 12 characters (its bytes are the GCM IV) and unrelated to the header nonce.
  const resourceNonce = encodeHexLowerCase(crypto.getRandomValues(new Uint8Array(6)));
  const originalType = o.originalType ?? 'transaction';
  const associatedData = o.associatedData ?? originalType;
  const ciphertext = await encryptResource(apiV3KeyBytes(o.apiV3Key), JSON.stringify(o.transaction), resourceNonce, associatedData);
  const body = JSON.stringify({
    id: crypto.randomUUID(),
    create_time: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    resource_type: 'encrypt-resource',
    event_type: o.eventType ?? 'TRANSACTION.SUCCESS',
    summary: o.summary ?? '支付成功',
    resource: { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: associatedData, nonce: resourceNonce },
  });
  return { headers: await signWechatMessage(o.platformPrivateKeyPem, o.platformSerialNo, body, o.timestamp), body };
}

/** The four Wechatpay-* headers over any body: lets tests re-sign a deliberately altered body. */
export async function signWechatMessage(platformPrivateKeyPem: string, serial: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const ts = String(timestamp);
  const nonce = newNonce();
  const signature = await signBase64(await importPrivateKey(platformPrivateKeyPem), responseMessage(ts, nonce, body));
  return { 'wechatpay-serial': serial, 'wechatpay-timestamp': ts, 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'content-type': 'application/json' };
}

const REFUND_SUMMARY: Record<string, string> = { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' };

/**
 * The 退款结果通知 WeChat Pay posts after a refund settles: event_type REFUND.<refund_status>,
 * the refund resource (what WechatPayStandIn.settleRefund returns) encrypted like a payment's.
 */
export function buildWechatRefundNotify(o: Omit<WechatNotifyOptions, 'transaction' | 'originalType'> & { refund: Record<string, unknown> }) {
  const { refund, ...rest } = o;
  const status = String(refund.refund_status);
  return buildWechatNotify({ ...rest, transaction: refund, eventType: o.eventType ?? `REFUND.${status}`, originalType: 'refund', summary: o.summary ?? REFUND_SUMMARY[status] ?? '退款通知' });
}
