import { REQUEST_UNSIGNED, alipayTimestamp, rawTopLevelMember, responseMember, signContent, type Params } from './alipay-signing';
import { PaymentProviderError, PaymentSignatureError } from './errors';
import { optionalString, parseJsonObject, type JsonObject } from './json-fields';
import { importPrivateKey, importPublicKey, signBase64, verifyBase64 } from './rsa';

/**
 * The openapi gateway transport every Alipay adapter shares: common parameters RSA2-signed with
 * the application key, synchronous answers verified with the Alipay public key over the raw text
 * of their `<method>_response` member.
 */
export interface AlipayCredentials {
  appId: string;
  /** Application private key: PKCS#8 PEM, PKCS#1 PEM or the bare base64 the key tool prints. */
  privateKeyPem: string;
  /**
   * 支付宝公钥 (not the application public key): SPKI PEM or bare base64. In 公钥证书 mode, the
   * key inside alipayCertPublicKey_RSA2.crt (`openssl x509 -pubkey -noout`).
   */
  alipayPublicKeyPem: string;
  /**
   * 公钥证书 mode, which Alipay requires for fund transfers: the serial numbers its SDKs compute
   * from the application certificate and the Alipay root certificate, sent (and signed) as
   * app_cert_sn and alipay_root_cert_sn. Computed once when the certificates are installed.
   */
  appCertSn?: string;
  alipayRootCertSn?: string;
  gateway?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Abort a call that has not answered after this many ms (no limit when unset). */
  timeoutMs?: number;
}

export interface AlipayClient {
  readonly gateway: string;
  /** Common request parameters plus `sign` over all of them (sign_type included). */
  signedParams(method: string, bizContent: object, extra: Params): Promise<Record<string, string>>;
  /**
   * POSTs a call and returns its verified response member, whatever its `code` (the caller
   * decides what a business failure means). A gateway-level `error_response` is returned in its
   * place. Throws PaymentProviderError for a non-2xx, PaymentSignatureError for a bad signature,
   * and whatever fetch throws (network failure, timeout).
   */
  execute(method: string, bizContent: object): Promise<JsonObject>;
  /** RSA2 signature check with the Alipay public key (async notifies). */
  verify(message: string, sign: string): Promise<boolean>;
}

export function createAlipayClient(config: AlipayCredentials): AlipayClient {
  const gateway = config.gateway ?? 'https://openapi.alipay.com/gateway.do';
  const doFetch = config.fetch ?? ((input, init) => fetch(input, init));
  const now = config.now ?? Date.now;
  let appKey: Promise<CryptoKey> | undefined;
  let alipayKey: Promise<CryptoKey> | undefined;
  const privateKey = () => (appKey ??= importPrivateKey(config.privateKeyPem));
  const publicKey = () => (alipayKey ??= importPublicKey(config.alipayPublicKeyPem));

  async function signedParams(method: string, bizContent: object, extra: Params): Promise<Record<string, string>> {
    const params: Params = {
      app_id: config.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: alipayTimestamp(now()),
      version: '1.0',
      app_cert_sn: config.appCertSn,
      alipay_root_cert_sn: config.alipayRootCertSn,
      ...extra,
      biz_content: JSON.stringify(bizContent),
    };
    const sign = await signBase64(await privateKey(), signContent(params, REQUEST_UNSIGNED));
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') out[k] = v;
    out.sign = sign;
    return out;
  }

  async function verifiedResponse(text: string, member: string): Promise<JsonObject> {
    // The gateway answers malformed calls (bad signature, missing parameters) with error_response.
    const which = rawTopLevelMember(text, member) === undefined ? 'error_response' : member;
    const raw = rawTopLevelMember(text, which);
    if (raw === undefined) throw new PaymentProviderError('BAD_RESPONSE', `no ${member}`);
    const response = parseJsonObject(raw, which);
    const sign = optionalString(parseJsonObject(text, 'Alipay response'), 'sign');
    // An unsigned failure cannot be trusted either, but callers treat every failure as "nothing
    // moved" only after confirming it (or where a retry cannot move money twice).
    if (!sign && response.code !== '10000') return response;
    if (!sign || !(await verifyBase64(await publicKey(), raw, sign))) throw new PaymentSignatureError(`${which} signature does not verify`);
    return response;
  }

  return {
    gateway,
    signedParams,
    verify: async (message, sign) => verifyBase64(await publicKey(), message, sign),
    async execute(method, bizContent) {
      const params = await signedParams(method, bizContent, {});
      const res = await doFetch(gateway, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', Accept: 'application/json' },
        body: new URLSearchParams(params).toString(),
        ...(config.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(config.timeoutMs) }),
      });
      const text = await res.text();
      if (!res.ok) throw new PaymentProviderError(`HTTP_${res.status}`, text.slice(0, 200), res.status);
      return verifiedResponse(text, responseMember(method));
    },
  };
}

/** Alipay reports failures as code/msg plus the precise sub_code/sub_msg (e.g. ACQ.TRADE_NOT_EXIST). */
export function businessError(r: JsonObject, fallback: string): PaymentProviderError {
  return new PaymentProviderError(optionalString(r, 'sub_code') ?? optionalString(r, 'code') ?? 'BAD_RESPONSE', optionalString(r, 'sub_msg') ?? optionalString(r, 'msg') ?? fallback);
}
