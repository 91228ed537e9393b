import { PaymentProviderError } from './errors';
import { isObject, objectField, optionalString, parseJsonObject, stringField, type JsonObject } from './json-fields';
import type { NotifyRequest } from './provider';
import { importPrivateKey, importPublicKey, signBase64 } from './rsa';
import { apiV3KeyBytes, decryptResource } from './wechat-pay-v3-aead';
import { newNonce, signRequest, verifySignedMessage } from './wechat-pay-v3-signing';

/**
 * The API v3 transport every WeChat Pay adapter shares (payments, refunds, merchant transfers):
 * requests signed with the merchant key, answers and notifies verified against the platform key
 * their Wechatpay-Serial names, notify resources decrypted with the APIv3 key.
 */
export interface WechatPayV3Credentials {
  mchId: string;
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
  /** ms since epoch; injectable for tests of the replay window. */
  now?: () => number;
  /** Abort a call that has not answered after this many ms (no limit when unset). */
  timeoutMs?: number;
}

/** What came back, before anyone decided whether to trust it. */
export interface WechatPayV3Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface WechatPayV3Client {
  readonly now: () => number;
  /** base64 SHA256withRSA with the merchant key (JSAPI paySign and the like). */
  sign(message: string): Promise<string>;
  /** Signs and sends; throws only what fetch throws (network failure, timeout). */
  send(method: 'GET' | 'POST', path: string, payload?: JsonObject, extraHeaders?: Record<string, string>): Promise<WechatPayV3Reply>;
  /** Throws PaymentSignatureError unless the reply carries a valid, fresh platform signature. */
  verify(reply: WechatPayV3Reply): Promise<void>;
  /** send + a non-2xx becomes PaymentProviderError + verify + parse. */
  call(method: 'GET' | 'POST', path: string, payload?: JsonObject, extraHeaders?: Record<string, string>): Promise<JsonObject>;
  /** Verifies a notify's signature and reads its envelope; `decrypt` opens the resource. */
  readNotify(request: NotifyRequest): Promise<{ eventType: string; decrypt(): Promise<JsonObject> }>;
}

export function createWechatPayV3Client(config: WechatPayV3Credentials): WechatPayV3Client {
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

  async function send(method: 'GET' | 'POST', path: string, payload?: JsonObject, extraHeaders: Record<string, string> = {}): Promise<WechatPayV3Reply> {
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
      headers: { ...extraHeaders, Authorization: authorization, Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'tuike-payments/0.1' },
      body: method === 'GET' ? undefined : body,
      ...(config.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(config.timeoutMs) }),
    });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    return { status: res.status, headers, text };
  }

  const verify = (reply: WechatPayV3Reply) => verifySignedMessage(reply.headers, reply.text, platformKey, now());

  return {
    now,
    sign: async (message) => signBase64(await merchantKey(), message),
    send,
    verify,

    async call(method, path, payload, extraHeaders) {
      const reply = await send(method, path, payload, extraHeaders);
      if (reply.status < 200 || reply.status > 299) throw replyError(reply);
      // A 2xx without a valid signature must be treated as forged (签名验证).
      await verify(reply);
      return parseJsonObject(reply.text, 'WeChat Pay response');
    },

    async readNotify(request) {
      await verifySignedMessage(request.headers, request.body, platformKey, now());
      const notice = parseJsonObject(request.body, 'notify body');
      const eventType = stringField(notice, 'event_type');
      return {
        eventType,
        async decrypt() {
          const resource = objectField(notice, 'resource');
          if (resource.algorithm !== 'AEAD_AES_256_GCM') throw new PaymentProviderError('BAD_RESOURCE', `unsupported algorithm ${String(resource.algorithm)}`);
          const plain = await decryptResource(aesKey, {
            ciphertext: stringField(resource, 'ciphertext'),
            nonce: stringField(resource, 'nonce'),
            associated_data: optionalString(resource, 'associated_data') ?? '',
          });
          return parseJsonObject(plain, 'notify resource');
        },
      };
    },
  };
}

/** WeChat's error body is `{"code": "...", "message": "..."}`; anything else keeps the HTTP status. */
export function replyError(reply: WechatPayV3Reply): PaymentProviderError {
  const err = safeJson(reply.text);
  return new PaymentProviderError(optionalString(err, 'code') ?? `HTTP_${reply.status}`, optionalString(err, 'message') ?? reply.text.slice(0, 200), reply.status);
}

function safeJson(text: string): JsonObject {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}
