import { encodeHexUpperCase } from '@oslojs/encoding';
import { PaymentSignatureError } from './errors';
import { headerValue } from './provider';
import { signBase64, verifyBase64 } from './rsa';

/**
 * The canonical strings of WeChat Pay API v3 (pay.weixin.qq.com, 签名生成 / 签名验证 /
 * JSAPI调起支付). Every line ends with "\n", the last one included, so an empty body still
 * contributes its own "\n".
 */

/** 签名串 of a request: HTTP method, URL path (+ "?query"), timestamp (s), nonce, body. */
export const requestMessage = (method: string, pathAndQuery: string, timestamp: string, nonce: string, body: string) =>
  `${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`;

/** 验签名串 of a response or a notify: Wechatpay-Timestamp, Wechatpay-Nonce, body. */
export const responseMessage = (timestamp: string, nonce: string, body: string) => `${timestamp}\n${nonce}\n${body}\n`;

/** paySign 签名串 for WeixinJSBridge getBrandWCPayRequest; signType does not take part. */
export const jsapiPayMessage = (appId: string, timeStamp: string, nonceStr: string, pkg: string) => `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

export const authorizationHeader = (f: AuthorizationFields) =>
  `${AUTH_SCHEME} mchid="${f.mchid}",nonce_str="${f.nonce_str}",signature="${f.signature}",timestamp="${f.timestamp}",serial_no="${f.serial_no}"`;

/** The docs say the five fields come in no fixed order, so parse by name. */
export function parseAuthorization(header: string): AuthorizationFields | null {
  if (!header.startsWith(`${AUTH_SCHEME} `)) return null;
  const fields = new Map<string, string>();
  for (const m of header.slice(AUTH_SCHEME.length + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) fields.set(m[1]!, m[2]!);
  const get = (k: keyof AuthorizationFields) => fields.get(k);
  const [mchid, nonce_str, signature, timestamp, serial_no] = [get('mchid'), get('nonce_str'), get('signature'), get('timestamp'), get('serial_no')];
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return null;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

/** 32 upper-case hex characters, like the docs' example nonce; fits nonce_str and nonceStr (≤ 32). */
export const newNonce = () => encodeHexUpperCase(crypto.getRandomValues(new Uint8Array(16)));

export async function signRequest(
  key: CryptoKey,
  p: { mchId: string; serialNo: string; method: string; pathAndQuery: string; body: string; timestamp: string; nonce: string },
): Promise<string> {
  const signature = await signBase64(key, requestMessage(p.method, p.pathAndQuery, p.timestamp, p.nonce, p.body));
  return authorizationHeader({ mchid: p.mchId, nonce_str: p.nonce, signature, timestamp: p.timestamp, serial_no: p.serialNo });
}

/** A replayed notify older (or newer) than this is refused even with a valid signature. */
export const MAX_CLOCK_SKEW_S = 5 * 60;

/**
 * Verifies a response or notify signed with the platform key that `Wechatpay-Serial` names.
 * Throws PaymentSignatureError; returns normally only for an authentic, fresh message.
 */
export async function verifySignedMessage(
  headers: Record<string, string>,
  body: string,
  platformKey: (serial: string) => Promise<CryptoKey | undefined>,
  nowMs: number,
): Promise<void> {
  const serial = headerValue(headers, 'Wechatpay-Serial');
  const timestamp = headerValue(headers, 'Wechatpay-Timestamp');
  const nonce = headerValue(headers, 'Wechatpay-Nonce');
  const signature = headerValue(headers, 'Wechatpay-Signature');
  if (!serial || !timestamp || !nonce || !signature) throw new PaymentSignatureError('missing Wechatpay-* signature headers');
  if (!/^\d{1,12}$/.test(timestamp)) throw new PaymentSignatureError('Wechatpay-Timestamp is not in seconds');
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_S) throw new PaymentSignatureError('Wechatpay-Timestamp outside the 5-minute window');
  const key = await platformKey(serial);
  if (!key) throw new PaymentSignatureError(`unknown platform key serial ${serial}`);
  if (!(await verifyBase64(key, responseMessage(timestamp, nonce, body), signature))) throw new PaymentSignatureError('signature does not verify');
}
