import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentInputError, PaymentNotifyIgnoredError, PaymentProviderError, PaymentSignatureError } from './errors';
import { importPublicKey, verifyBase64 } from './rsa';
import { generateRsaKeyPair, startWechatPayStandIn, buildWechatNotify, buildWechatRefundNotify, signWechatMessage, type RsaKeyPair, type WechatPayStandIn } from './testing';
import { createWechatPayV3, type WechatPayV3Config } from './wechat-pay-v3';
import { jsapiPayMessage, parseAuthorization } from './wechat-pay-v3-signing';

const MCH = '1900009191';
const APP = 'wx8888888888888888';
const MERCHANT_SERIAL = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
const PLATFORM_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const API_V3_KEY = 'a3f9c2e7b1d84f6a9c0e2b5d7f1a3c8e'; // 32 characters
const intentId = '01925f8e-3c1a-7b2d-9e4f-0a1b2c3d4e5f';

let merchant: RsaKeyPair;
let platform: RsaKeyPair;
let stranger: RsaKeyPair;
let standIn: WechatPayStandIn;
let config: WechatPayV3Config;

beforeAll(async () => {
  [merchant, platform, stranger] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  standIn = await startWechatPayStandIn({
    mchId: MCH,
    merchantSerialNo: MERCHANT_SERIAL,
    merchantPublicKeyPem: merchant.publicKeyPem,
    platformSerialNo: PLATFORM_SERIAL,
    platformPrivateKeyPem: platform.privateKeyPem,
  });
  config = {
    mchId: MCH,
    appId: APP,
    serialNo: MERCHANT_SERIAL,
    privateKeyPem: merchant.privateKeyPem,
    apiV3Key: API_V3_KEY,
    platformPublicKeys: { [PLATFORM_SERIAL]: platform.publicKeyPem },
    baseUrl: standIn.url,
  };
});
afterAll(() => standIn.close());

const order = (over: Partial<{ intentId: string; amount: number }> = {}) => ({
  intentId: over.intentId ?? intentId,
  orderNo: 'T20260101000001',
  amount: over.amount ?? 19990,
  description: '推客小店-纯棉T恤',
  notifyUrl: 'https://shop.example.com/api/payments/notify/wechat',
});

describe('WeChat Pay v3 requests', () => {
  it('signs a JSAPI order the way WeChat checks it, and returns WeixinJSBridge params whose paySign verifies', async () => {
    const wechat = createWechatPayV3(config);
    const result = await wechat.createPayment({ ...order(), payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });
    const sent = standIn.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v3/pay/transactions/jsapi');
    expect(sent.headers.authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="[0-9A-F]{32}",signature="[A-Za-z0-9+/]+={0,2}",timestamp="\d{10}",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"$/);
    expect(JSON.parse(sent.body)).toEqual({
      appid: APP,
      mchid: MCH,
      description: '推客小店-纯棉T恤',
      out_trade_no: '01925f8e3c1a7b2d9e4f0a1b2c3d4e5f',
      attach: 'T20260101000001',
      notify_url: 'https://shop.example.com/api/payments/notify/wechat',
      amount: { total: 19990, currency: 'CNY' },
      payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    });

    expect(result.kind).toBe('jsapi');
    if (result.kind !== 'jsapi') return;
    const p = result.params;
    expect(Object.keys(p).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(p.appId).toBe(APP);
    expect(p.signType).toBe('RSA');
    expect(p.package).toMatch(/^prepay_id=wx[0-9a-f]{32}$/);
    expect(p.timeStamp).toMatch(/^\d{10}$/);
    const key = await importPublicKey(merchant.publicKeyPem);
    expect(await verifyBase64(key, jsapiPayMessage(p.appId!, p.timeStamp!, p.nonceStr!, p.package!), p.paySign!)).toBe(true);
    expect(await verifyBase64(key, jsapiPayMessage(p.appId!, p.timeStamp!, p.nonceStr!, 'prepay_id=other'), p.paySign!)).toBe(false);
  });

  it('orders H5 when there is no openid, reporting the buyer IP, and appends the return URL as redirect_url', async () => {
    const wechat = createWechatPayV3(config);
    const result = await wechat.createPayment({ ...order({ intentId: '01925f8e-0000-7000-8000-000000000001' }), returnUrl: 'https://shop.example.com/pay/result?o=1', payer: { clientIp: '203.0.113.7' } });
    const sent = standIn.requests.at(-1)!;
    expect(sent.url).toBe('/v3/pay/transactions/h5');
    expect(JSON.parse(sent.body).scene_info).toEqual({ payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } });
    expect(result).toEqual({ kind: 'redirect', url: expect.stringMatching(/^https:\/\/wx\.tenpay\.com\/cgi-bin\/mmpayweb-bin\/checkmweb\?prepay_id=wx[0-9a-f]+&package=\d+&redirect_url=https%3A%2F%2Fshop\.example\.com%2Fpay%2Fresult%3Fo%3D1$/) });
  });

  it('refuses an H5 order without the buyer IP before calling WeChat', async () => {
    const before = standIn.requests.length;
    await expect(createWechatPayV3(config).createPayment(order())).rejects.toThrow(PaymentInputError);
    expect(standIn.requests.length).toBe(before);
  });

  it('is refused by WeChat (401 SIGN_ERROR) when it signs with a key WeChat does not hold', async () => {
    const wechat = createWechatPayV3({ ...config, privateKeyPem: stranger.privateKeyPem });
    const err = await wechat.createPayment({ ...order(), payer: { openid: 'o' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentProviderError);
    expect(err).toMatchObject({ providerCode: 'SIGN_ERROR', status: 401 });
  });

  it('is refused when its clock is more than 5 minutes off', async () => {
    const wechat = createWechatPayV3({ ...config, now: () => Date.now() - 6 * 60_000 });
    await expect(wechat.createPayment({ ...order(), payer: { openid: 'o' } })).rejects.toMatchObject({ providerCode: 'SIGN_ERROR' });
  });

  it('treats a response signed by a key it does not know as forged', async () => {
    const wechat = createWechatPayV3({ ...config, platformPublicKeys: { OTHER_SERIAL: platform.publicKeyPem } });
    await expect(wechat.createPayment({ ...order(), payer: { openid: 'o' } })).rejects.toThrow(PaymentSignatureError);
  });

  it('treats a response whose signature does not verify as forged', async () => {
    const wechat = createWechatPayV3({ ...config, platformPublicKeys: { [PLATFORM_SERIAL]: stranger.publicKeyPem } });
    await expect(wechat.createPayment({ ...order(), payer: { openid: 'o' } })).rejects.toThrow(/signature does not verify/);
  });
});

describe('WeChat Pay v3 notify', () => {
  async function paidNotify(o: { id?: string; amount?: number; timestamp?: number; transaction?: Record<string, unknown> } = {}) {
    const id = o.id ?? crypto.randomUUID();
    await createWechatPayV3(config).createPayment({ ...order({ intentId: id, amount: o.amount ?? 1 }), payer: { openid: 'oBuyer' } });
    const transaction = { ...standIn.pay(id.replaceAll('-', '')), ...o.transaction };
    const notify = await buildWechatNotify({ apiV3Key: API_V3_KEY, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, transaction, timestamp: o.timestamp });
    return { notify, transaction };
  }

  it('verifies, decrypts and maps a payment notify to our intent', async () => {
    const { notify, transaction } = await paidNotify({ id: '01925f8e-1111-7000-8000-00000000a001', amount: 19990 });
    expect(await createWechatPayV3(config).parseNotify(notify)).toEqual({
      intentId: '01925f8e-1111-7000-8000-00000000a001',
      externalId: transaction.transaction_id,
      amount: 19990,
      outcome: 'paid',
    });
  });

  it('reads the Wechatpay-* headers whatever their case', async () => {
    const { notify } = await paidNotify();
    const shouted = Object.fromEntries(Object.entries(notify.headers).map(([k, v]) => [k.replace(/(^|-)\w/g, (c) => c.toUpperCase()), v]));
    expect((await createWechatPayV3(config).parseNotify({ headers: shouted, body: notify.body })).outcome).toBe('paid');
  });

  it('rejects a tampered body', async () => {
    const { notify } = await paidNotify();
    const body = notify.body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ');
    await expect(createWechatPayV3(config).parseNotify({ ...notify, body })).rejects.toThrow(PaymentSignatureError);
  });

  it('rejects a notify naming a platform serial it does not hold', async () => {
    const { notify } = await paidNotify();
    await expect(createWechatPayV3(config).parseNotify({ ...notify, headers: { ...notify.headers, 'wechatpay-serial': 'UNKNOWN' } })).rejects.toThrow(/unknown platform key/);
  });

  it('rejects a notify signed with another key under the right serial', async () => {
    const { notify } = await paidNotify();
    const headers = await signWechatMessage(stranger.privateKeyPem, PLATFORM_SERIAL, notify.body);
    await expect(createWechatPayV3(config).parseNotify({ headers, body: notify.body })).rejects.toThrow(/signature does not verify/);
  });

  it('rejects a notify whose timestamp is older than 5 minutes, even though its signature is valid', async () => {
    const { notify } = await paidNotify({ timestamp: Math.floor(Date.now() / 1000) - 301 });
    await expect(createWechatPayV3(config).parseNotify(notify)).rejects.toThrow(/5-minute window/);
    const fresh = await paidNotify({ timestamp: Math.floor(Date.now() / 1000) - 290 });
    expect((await createWechatPayV3(config).parseNotify(fresh.notify)).outcome).toBe('paid');
  });

  it('rejects a correctly signed notify whose ciphertext fails its GCM tag', async () => {
    const { notify } = await paidNotify();
    const envelope = JSON.parse(notify.body) as { resource: { ciphertext: string } };
    const bytes = Buffer.from(envelope.resource.ciphertext, 'base64');
    bytes[bytes.length - 1]! ^= 0x01; // last byte belongs to the tag
    envelope.resource.ciphertext = bytes.toString('base64');
    const body = JSON.stringify(envelope);
    const headers = await signWechatMessage(platform.privateKeyPem, PLATFORM_SERIAL, body);
    await expect(createWechatPayV3(config).parseNotify({ headers, body })).rejects.toThrow(/GCM tag/);
  });

  it('rejects a resource encrypted under another APIv3 key', async () => {
    const { notify } = await paidNotify();
    await expect(createWechatPayV3({ ...config, apiV3Key: 'b'.repeat(32) }).parseNotify(notify)).rejects.toThrow(PaymentSignatureError);
  });

  it('refuses an authentic notify for another merchant', async () => {
    const { notify } = await paidNotify({ transaction: { mchid: '1230000109' } });
    await expect(createWechatPayV3(config).parseNotify(notify)).rejects.toThrow(/another merchant/);
  });

  it('reports a payment that did not succeed as failed, and ignores events it has no use for', async () => {
    const failed = await paidNotify({ transaction: { trade_state: 'PAYERROR' } });
    expect((await createWechatPayV3(config).parseNotify(failed.notify)).outcome).toBe('failed');
    const other = await buildWechatNotify({ apiV3Key: API_V3_KEY, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, transaction: {}, eventType: 'MCHTRANSFER.BILL.FINISHED' });
    await expect(createWechatPayV3(config).parseNotify(other)).rejects.toThrow(PaymentNotifyIgnoredError);
  });
});

describe('WeChat Pay v3 refunds', () => {
  it('asks for a refund by transaction_id and reports WeChat’s refund id and status', async () => {
    const id = '01925f8e-2222-7000-8000-00000000b001';
    await createWechatPayV3(config).createPayment({ ...order({ intentId: id, amount: 5000 }), payer: { openid: 'o' } });
    const tx = standIn.pay(id.replaceAll('-', ''));
    const wechat = createWechatPayV3({ ...config, refundNotifyUrl: 'https://shop.example.com/api/payments/refund-notify/wechat' });
    const refundId = '01925f8e-2222-7000-8000-0000000f0001';
    const result = await wechat.refund({ intentId: id, externalId: String(tx.transaction_id), refundId, amount: 1200, total: 5000, reason: '尺码不合适' });
    expect(result).toEqual({ externalRefundId: expect.stringMatching(/^50\d{27}$/), status: 'processing' });
    const sent = standIn.requests.at(-1)!;
    expect(sent.url).toBe('/v3/refund/domestic/refunds');
    expect(parseAuthorization(sent.headers.authorization ?? '')).not.toBeNull();
    expect(JSON.parse(sent.body)).toEqual({
      transaction_id: tx.transaction_id,
      out_refund_no: refundId.replaceAll('-', ''),
      reason: '尺码不合适',
      notify_url: 'https://shop.example.com/api/payments/refund-notify/wechat',
      amount: { refund: 1200, total: 5000, currency: 'CNY' },
    });
    // Same refund id again: WeChat refunds once and answers with the same refund.
    expect(await wechat.refund({ intentId: id, externalId: String(tx.transaction_id), refundId, amount: 1200, total: 5000, reason: '' })).toEqual(result);
    // More than is left: WeChat refuses.
    await expect(wechat.refund({ intentId: id, externalId: String(tx.transaction_id), refundId: crypto.randomUUID(), amount: 3801, total: 5000, reason: '' })).rejects.toMatchObject({ providerCode: 'NOT_ENOUGH' });
  });

  it.each([['SUCCESS', 'succeeded'], ['ABNORMAL', 'failed'], ['CLOSED', 'failed']] as const)('maps an immediate %s to %s', async (refundStatus, expected) => {
    const fast = await startWechatPayStandIn({ mchId: MCH, merchantSerialNo: MERCHANT_SERIAL, merchantPublicKeyPem: merchant.publicKeyPem, platformSerialNo: PLATFORM_SERIAL, platformPrivateKeyPem: platform.privateKeyPem, refundStatus });
    try {
      const wechat = createWechatPayV3({ ...config, baseUrl: fast.url });
      const id = crypto.randomUUID();
      await wechat.createPayment({ ...order({ intentId: id, amount: 100 }), payer: { openid: 'o' } });
      const tx = fast.pay(id.replaceAll('-', ''));
      expect((await wechat.refund({ intentId: id, externalId: String(tx.transaction_id), refundId: crypto.randomUUID(), amount: 100, total: 100, reason: 'x' })).status).toBe(expected);
    } finally {
      await fast.close();
    }
  });

  it('reads the refund result notify: SUCCESS, ABNORMAL and CLOSED, by our refund id', async () => {
    const id = crypto.randomUUID();
    const wechat = createWechatPayV3(config);
    await wechat.createPayment({ ...order({ intentId: id, amount: 3000 }), payer: { openid: 'o' } });
    const tx = standIn.pay(id.replaceAll('-', ''));
    const notifyOf = (refund: Record<string, unknown>) => buildWechatRefundNotify({ apiV3Key: API_V3_KEY, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, refund });
    const refundIds = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const results = [];
    for (const refundId of refundIds) results.push(await wechat.refund({ intentId: id, externalId: String(tx.transaction_id), refundId, amount: 1000, total: 3000, reason: '' }));
    expect(results.map((r) => r.status)).toEqual(['processing', 'processing', 'processing']);

    const success = await notifyOf(standIn.settleRefund(refundIds[0]!.replaceAll('-', ''), 'SUCCESS'));
    expect(JSON.parse(success.body)).toMatchObject({ event_type: 'REFUND.SUCCESS', resource: { original_type: 'refund' } });
    expect(await wechat.parseNotify(success)).toEqual({
      kind: 'refund', refundId: refundIds[0], outRefundNo: refundIds[0]!.replaceAll('-', ''), externalRefundId: results[0]!.externalRefundId, amount: 1000, outcome: 'succeeded', providerStatus: 'SUCCESS',
    });
    expect(await wechat.parseNotify(await notifyOf(standIn.settleRefund(refundIds[1]!.replaceAll('-', ''), 'ABNORMAL')))).toMatchObject({ refundId: refundIds[1], outcome: 'failed', providerStatus: 'ABNORMAL' });
    expect(await wechat.parseNotify(await notifyOf(standIn.settleRefund(refundIds[2]!.replaceAll('-', ''), 'CLOSED')))).toMatchObject({ refundId: refundIds[2], outcome: 'failed', providerStatus: 'CLOSED' });
    // CLOSED gives the money back to what can be refunded.
    expect(standIn.orders.get(id.replaceAll('-', ''))?.refunded).toBe(2000);
  });

  it('refuses a forged or foreign refund notify, and reports an out_refund_no it did not issue as unknown', async () => {
    const refund = { mchid: MCH, out_trade_no: 'x'.repeat(32), transaction_id: '4200', out_refund_no: 'a'.repeat(32), refund_id: '50123', refund_status: 'SUCCESS', amount: { total: 100, refund: 100, payer_total: 100, payer_refund: 100 } };
    const wechat = createWechatPayV3(config);
    const forged = await buildWechatRefundNotify({ apiV3Key: API_V3_KEY, platformPrivateKeyPem: stranger.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, refund });
    await expect(wechat.parseNotify(forged)).rejects.toThrow(PaymentSignatureError);
    const foreign = await buildWechatRefundNotify({ apiV3Key: API_V3_KEY, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, refund: { ...refund, mchid: '1230000109' } });
    await expect(wechat.parseNotify(foreign)).rejects.toThrow(/another merchant/);
    const stray = await buildWechatRefundNotify({ apiV3Key: API_V3_KEY, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, refund: { ...refund, out_refund_no: 'RF-OTHER-SYSTEM-1' } });
    expect(await wechat.parseNotify(stray)).toMatchObject({ kind: 'refund', refundId: null, outRefundNo: 'RF-OTHER-SYSTEM-1' });
  });
});
