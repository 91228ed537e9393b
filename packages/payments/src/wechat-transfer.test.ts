import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentInputError, PaymentNotifyIgnoredError, PaymentSignatureError, PayoutNotFoundError, PayoutUnknownError } from './errors';
import type { PayoutRequest } from './payout';
import { importOaepPrivateKey, importPublicKey, oaepDecryptBase64, verifyBase64 } from './rsa';
import { buildWechatNotify, buildWechatTransferNotify, generateRsaKeyPair, signWechatMessage, startWechatPayStandIn, type RsaKeyPair, type WechatPayStandIn } from './testing';
import { createWechatTransfer, wechatTransferOutcome, type WechatTransferConfig } from './wechat-transfer';
import { parseAuthorization, requestMessage } from './wechat-pay-v3-signing';

const MCH = '1900009191';
const APP = 'wx8888888888888888';
const MERCHANT_SERIAL = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
const PLATFORM_SERIAL = 'PUB_KEY_ID_0119000091912025010100000000';
const API_V3_KEY = 'a3f9c2e7b1d84f6a9c0e2b5d7f1a3c8e';
const OPENID = 'o-MYE42l80oelYMDE34nYD456Xoy';

let merchant: RsaKeyPair;
let platform: RsaKeyPair;
let stranger: RsaKeyPair;
let standIn: WechatPayStandIn;
let config: WechatTransferConfig;

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
    transferSceneId: '1005',
    sceneReportInfos: [
      { infoType: '岗位类型', infoContent: '推广员' },
      { infoType: '报酬说明', infoContent: '分销佣金' },
    ],
    userRecvPerception: '劳务报酬',
    notifyUrl: 'https://shop.example.com/api/payouts/notify/wechat',
  };
});
afterAll(() => standIn.close());

const payout = (over: Partial<PayoutRequest> & { realName?: string } = {}): PayoutRequest => ({
  payoutId: over.payoutId ?? crypto.randomUUID(),
  amount: over.amount ?? 12345,
  remark: over.remark ?? '3月佣金提现',
  account: over.account ?? { method: 'wechat', openid: OPENID, ...(over.realName ? { realName: over.realName } : {}) },
});
const noOf = (payoutId: string) => payoutId.replaceAll('-', '');
const transferRequests = () => standIn.requests.filter((r) => r.method === 'POST' && r.url === '/v3/fund-app/mch-transfer/transfer-bills');

describe('WeChat Pay transfer: the request', () => {
  it('posts the bill signed as WeChat checks it, keyed by the payout id, with the amount in fen', async () => {
    const req = payout({ payoutId: '01925f8e-3c1a-7b2d-9e4f-0a1b2c3d4e5f', amount: 12345 });
    const outcome = await createWechatTransfer(config).transfer(req);
    const sent = transferRequests().at(-1)!;
    expect(JSON.parse(sent.body)).toEqual({
      appid: APP,
      out_bill_no: '01925f8e3c1a7b2d9e4f0a1b2c3d4e5f',
      transfer_scene_id: '1005',
      openid: OPENID,
      transfer_amount: 12345,
      transfer_remark: '3月佣金提现',
      notify_url: 'https://shop.example.com/api/payouts/notify/wechat',
      user_recv_perception: '劳务报酬',
      transfer_scene_report_infos: [
        { info_type: '岗位类型', info_content: '推广员' },
        { info_type: '报酬说明', info_content: '分销佣金' },
      ],
    });
    // The stand-in accepted the signature; check it independently with the merchant public key too.
    const auth = parseAuthorization(sent.headers.authorization ?? '')!;
    expect(auth).toMatchObject({ mchid: MCH, serial_no: MERCHANT_SERIAL });
    const key = await importPublicKey(merchant.publicKeyPem);
    expect(await verifyBase64(key, requestMessage('POST', sent.url, auth.timestamp, auth.nonce_str, sent.body), auth.signature)).toBe(true);
    expect(await verifyBase64(key, requestMessage('POST', sent.url, auth.timestamp, auth.nonce_str, sent.body.replace('12345', '12346')), auth.signature)).toBe(false);
    expect(sent.headers['wechatpay-serial']).toBeUndefined(); // nothing encrypted below 2,000 yuan

    const bill = standIn.transfers.bills.get('01925f8e3c1a7b2d9e4f0a1b2c3d4e5f')!;
    expect(outcome).toEqual({ status: 'processing', externalId: bill.transfer_bill_no, userConfirmation: { mchId: MCH, appId: APP, package: bill.package_info } });
  });

  it('clips the remark to the 32 characters WeChat accepts and fills an empty one', async () => {
    const long = '佣'.repeat(40);
    await createWechatTransfer(config).transfer(payout({ remark: long }));
    expect(JSON.parse(transferRequests().at(-1)!.body).transfer_remark).toBe('佣'.repeat(32));
    await createWechatTransfer(config).transfer(payout({ remark: '  ' }));
    expect(JSON.parse(transferRequests().at(-1)!.body).transfer_remark).toBe('佣金提现');
  });

  it('sends the real name RSA-OAEP encrypted with the platform key, naming that key, from 2,000 yuan on', async () => {
    const req = payout({ amount: 200_000, realName: '张三' });
    await createWechatTransfer(config).transfer(req);
    const sent = transferRequests().at(-1)!;
    expect(sent.headers['wechatpay-serial']).toBe(PLATFORM_SERIAL);
    const userName = JSON.parse(sent.body).user_name as string;
    expect(userName).not.toContain('张三');
    expect(await oaepDecryptBase64(await importOaepPrivateKey(platform.privateKeyPem), userName)).toBe('张三');
    expect(standIn.transfers.bills.get(noOf(req.payoutId))!.user_name).toBe('张三');
  });

  it('keeps the name to itself below 2,000 yuan', async () => {
    await createWechatTransfer(config).transfer(payout({ amount: 199_999, realName: '张三' }));
    const sent = transferRequests().at(-1)!;
    expect(JSON.parse(sent.body).user_name).toBeUndefined();
    expect(sent.headers['wechatpay-serial']).toBeUndefined();
  });

  it('fails a 2,000-yuan payout without a real name before calling WeChat', async () => {
    const before = standIn.requests.length;
    expect(await createWechatTransfer(config).transfer(payout({ amount: 200_000 }))).toEqual({ status: 'failed', code: 'REAL_NAME_REQUIRED', reason: expect.any(String) });
    expect(standIn.requests.length).toBe(before);
  });

  it('refuses, before sending, what no WeChat transfer can carry', async () => {
    const before = standIn.requests.length;
    const wechat = createWechatTransfer(config);
    await expect(wechat.transfer(payout({ amount: 0 }))).rejects.toThrow(PaymentInputError);
    await expect(wechat.transfer(payout({ amount: 12.5 }))).rejects.toThrow(PaymentInputError);
    await expect(wechat.transfer(payout({ payoutId: 'W-0001' }))).rejects.toThrow(PaymentInputError);
    await expect(wechat.transfer(payout({ account: { method: 'alipay', identity: '2088', identityType: 'ALIPAY_USER_ID' } }))).rejects.toThrow(PaymentInputError);
    expect(standIn.requests.length).toBe(before);
  });
});

describe('WeChat Pay transfer: idempotency and outcomes', () => {
  it('pays once when the same payout is sent twice: the same out_bill_no, one bill, the same answer', async () => {
    const req = payout();
    const wechat = createWechatTransfer(config);
    const first = await wechat.transfer(req);
    const second = await wechat.transfer(req);
    const [a, b] = transferRequests().slice(-2).map((r) => JSON.parse(r.body).out_bill_no);
    expect(a).toBe(noOf(req.payoutId));
    expect(b).toBe(a);
    expect(second).toEqual(first);
    expect([...standIn.transfers.bills.values()].filter((x) => x.out_bill_no === a)).toHaveLength(1);
    expect(standIn.transfers.bills.get(a)!.requests).toBe(2);
  });

  it.each([
    ['SUCCESS', undefined, { status: 'succeeded' }],
    ['FAIL', 'PAYEE_ACCOUNT_ABNORMAL', { status: 'failed', code: 'PAYEE_ACCOUNT_ABNORMAL' }],
    ['CANCELLED', undefined, { status: 'failed', code: 'CANCELLED' }],
    ['ACCEPTED', undefined, { status: 'processing' }],
    ['PROCESSING', undefined, { status: 'processing' }],
    ['TRANSFERING', undefined, { status: 'processing' }],
  ] as const)('maps a bill in %s (%s) to %o', async (state, failReason, expected) => {
    standIn.transfers.scriptNext({ state, ...(failReason ? { failReason } : {}) });
    const req = payout();
    const wechat = createWechatTransfer(config);
    expect(await wechat.transfer(req)).toMatchObject(expected);
    expect(await wechat.query(req.payoutId)).toMatchObject(expected);
  });

  it('never reads an unknown or in-between state as failed', () => {
    for (const state of ['CANCELING', 'SOMETHING_NEW']) expect(wechatTransferOutcome({ state, transfer_bill_no: '1330' }).status).toBe('processing');
  });

  it('follows a bill from waiting for the payee to paid, through query', async () => {
    const req = payout();
    const wechat = createWechatTransfer(config);
    expect((await wechat.transfer(req)).status).toBe('processing');
    standIn.transfers.settle(noOf(req.payoutId), 'SUCCESS');
    expect(await wechat.query(req.payoutId)).toEqual({ status: 'succeeded', externalId: standIn.transfers.bills.get(noOf(req.payoutId))!.transfer_bill_no });
  });

  it('reports a payout WeChat never heard of as not found, not as failed', async () => {
    await expect(createWechatTransfer(config).query(crypto.randomUUID())).rejects.toThrow(PayoutNotFoundError);
  });
});

describe('WeChat Pay transfer: when the answer is unclear', () => {
  it('times out into PayoutUnknownError, not failed — and the query later finds the money paid', async () => {
    standIn.transfers.scriptNext({ state: 'SUCCESS', delayMs: 400 });
    const req = payout();
    const wechat = createWechatTransfer({ ...config, timeoutMs: 100 });
    const err = await wechat.transfer(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayoutUnknownError);
    expect(err).toMatchObject({ code: 'PAYOUT_OUTCOME_UNKNOWN', providerCode: 'TIMEOUT' });
    expect(await createWechatTransfer(config).query(req.payoutId)).toMatchObject({ status: 'succeeded' });
    // The retry a worker would make: the same number again, still one bill.
    expect((await createWechatTransfer(config).transfer(req)).status).toBe('succeeded');
    expect(standIn.transfers.bills.get(noOf(req.payoutId))!.requests).toBe(2);
  });

  it('treats a connection that cannot be made as unknown', async () => {
    const closed = await startWechatPayStandIn({ mchId: MCH, merchantSerialNo: MERCHANT_SERIAL, merchantPublicKeyPem: merchant.publicKeyPem, platformSerialNo: PLATFORM_SERIAL, platformPrivateKeyPem: platform.privateKeyPem });
    await closed.close();
    await expect(createWechatTransfer({ ...config, baseUrl: closed.url }).transfer(payout())).rejects.toMatchObject({ name: 'PayoutUnknownError', providerCode: 'NETWORK' });
  });

  it.each([
    [500, 'SYSTEM_ERROR'],
    [429, 'FREQUENCY_LIMITED'],
  ])('treats HTTP %i %s as unknown', async (status, code) => {
    standIn.transfers.scriptNext({ refuse: { status, code } });
    await expect(createWechatTransfer(config).transfer(payout())).rejects.toMatchObject({ name: 'PayoutUnknownError', providerCode: code });
  });

  it('fails a refused transfer only after the query confirms WeChat has no bill under its number', async () => {
    standIn.transfers.scriptNext({ refuse: { status: 403, code: 'NO_AUTH', message: '商户号未开通该转账场景' } });
    const req = payout();
    expect(await createWechatTransfer(config).transfer(req)).toEqual({ status: 'failed', code: 'NO_AUTH', reason: expect.stringContaining('商户号未开通该转账场景') });
    expect(standIn.requests.at(-1)!.url).toBe(`/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${noOf(req.payoutId)}`);
  });

  it('does not fail a payout whose repeat is refused while the first attempt’s bill exists', async () => {
    const req = payout();
    const wechat = createWechatTransfer(config);
    await wechat.transfer(req);
    standIn.transfers.settle(noOf(req.payoutId), 'SUCCESS');
    // A caller bug re-sends the payout with another amount: WeChat refuses, the bill stands.
    expect(await wechat.transfer({ ...req, amount: req.amount + 1 })).toMatchObject({ status: 'succeeded' });
  });

  it('rejects an answer signed with a key it does not trust, without calling the payout failed', async () => {
    const wechat = createWechatTransfer({ ...config, platformPublicKeys: { [PLATFORM_SERIAL]: stranger.publicKeyPem } });
    await expect(wechat.transfer(payout())).rejects.toThrow(PaymentSignatureError);
    await expect(wechat.query(crypto.randomUUID())).rejects.toThrow(PaymentSignatureError); // a signed NOT_FOUND must verify too
  });

  it('rejects an answer from a platform serial it does not hold', async () => {
    const wechat = createWechatTransfer({ ...config, platformPublicKeys: { OTHER: platform.publicKeyPem } });
    await expect(wechat.transfer(payout())).rejects.toThrow(/unknown platform key/);
  });
});

describe('WeChat Pay transfer: the MCHTRANSFER.BILL.FINISHED notify', () => {
  async function finished(state: 'SUCCESS' | 'FAIL' | 'CANCELLED', failReason?: string) {
    const req = payout({ amount: 880 });
    await createWechatTransfer(config).transfer(req);
    const bill = standIn.transfers.settle(noOf(req.payoutId), state, failReason);
    const notify = await buildWechatTransferNotify({ apiV3Key: API_V3_KEY, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, bill });
    return { req, bill, notify };
  }

  it('verifies, decrypts and maps a paid bill to our payout', async () => {
    const { req, bill, notify } = await finished('SUCCESS');
    expect(JSON.parse(notify.body)).toMatchObject({ event_type: 'MCHTRANSFER.BILL.FINISHED', resource: { original_type: 'mch_payment', algorithm: 'AEAD_AES_256_GCM' } });
    expect(await createWechatTransfer(config).parseNotify(notify)).toEqual({
      payoutId: req.payoutId,
      externalId: bill.transfer_bill_no,
      amount: 880,
      outcome: { status: 'succeeded', externalId: bill.transfer_bill_no },
    });
  });

  it('maps a failed bill with its fail_reason', async () => {
    const { notify } = await finished('FAIL', 'PAYEE_ACCOUNT_ABNORMAL');
    expect((await createWechatTransfer(config).parseNotify(notify)).outcome).toMatchObject({ status: 'failed', code: 'PAYEE_ACCOUNT_ABNORMAL' });
  });

  it('rejects a tampered body, a foreign signature and a resource sealed with another APIv3 key', async () => {
    const { notify } = await finished('SUCCESS');
    const wechat = createWechatTransfer(config);
    await expect(wechat.parseNotify({ ...notify, body: notify.body.replace('"MCHTRANSFER.BILL.FINISHED"', '"MCHTRANSFER.BILL.FINISHED" ') })).rejects.toThrow(PaymentSignatureError);
    await expect(wechat.parseNotify({ headers: await signWechatMessage(stranger.privateKeyPem, PLATFORM_SERIAL, notify.body), body: notify.body })).rejects.toThrow(PaymentSignatureError);
    await expect(createWechatTransfer({ ...config, apiV3Key: 'b'.repeat(32) }).parseNotify(notify)).rejects.toThrow(/GCM tag/);
  });

  it('refuses an authentic notify for another merchant and ignores payment events', async () => {
    const { bill } = await finished('SUCCESS');
    const foreign = await buildWechatTransferNotify({ apiV3Key: API_V3_KEY, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, bill: { ...bill, mch_id: '1230000109' } });
    await expect(createWechatTransfer(config).parseNotify(foreign)).rejects.toThrow(/another merchant/);
    const payment = await buildWechatNotify({ apiV3Key: API_V3_KEY, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, transaction: {} });
    await expect(createWechatTransfer(config).parseNotify(payment)).rejects.toThrow(PaymentNotifyIgnoredError);
  });
});
