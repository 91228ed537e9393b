import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_UNSIGNED, signContent } from './alipay-signing';
import { alipayTransferOutcome, createAlipayTransfer, isUndecidedAlipayFailure, type AlipayTransferConfig } from './alipay-transfer';
import { PaymentInputError, PaymentSignatureError, PayoutNotFoundError, PayoutUnknownError } from './errors';
import type { PayoutRequest } from './payout';
import { importPublicKey, verifyBase64 } from './rsa';
import { generateRsaKeyPair, startAlipayStandIn, type AlipayStandIn, type RsaKeyPair } from './testing';

const APP_ID = '2021000000000001';
const APP_CERT_SN = '50fa7bc5dc305a4fbdbe166689ddc827';
const ROOT_CERT_SN = '687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6';
const USER_ID = '2088123412341234';

let app: RsaKeyPair;
let alipayKeys: RsaKeyPair;
let stranger: RsaKeyPair;
let standIn: AlipayStandIn;
let config: AlipayTransferConfig;

beforeAll(async () => {
  [app, alipayKeys, stranger] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  standIn = await startAlipayStandIn({ appId: APP_ID, appPublicKeyPem: app.publicKeyPem, alipayPrivateKeyPem: alipayKeys.privateKeyPem, appCertSn: APP_CERT_SN, alipayRootCertSn: ROOT_CERT_SN });
  config = { appId: APP_ID, privateKeyPem: app.privateKeyPem, alipayPublicKeyPem: alipayKeys.publicKeyPem, gateway: standIn.gateway, appCertSn: APP_CERT_SN, alipayRootCertSn: ROOT_CERT_SN };
});
afterAll(() => standIn.close());

const payout = (over: Partial<PayoutRequest> = {}): PayoutRequest => ({
  payoutId: over.payoutId ?? crypto.randomUUID(),
  amount: over.amount ?? 12345,
  remark: over.remark ?? '3月佣金提现',
  account: over.account ?? { method: 'alipay', identity: USER_ID, identityType: 'ALIPAY_USER_ID' },
});
const noOf = (payoutId: string) => payoutId.replaceAll('-', '');
const sentParams = () => Object.fromEntries(new URLSearchParams(standIn.requests.at(-1)!.body));
const transferCalls = () => standIn.requests.filter((r) => new URLSearchParams(r.body).get('method') === 'alipay.fund.trans.uni.transfer');

describe('Alipay transfer: the request', () => {
  it('calls alipay.fund.trans.uni.transfer RSA2-signed in certificate mode, out_biz_no from the payout id', async () => {
    const req = payout({ payoutId: '01925f8e-3c1a-7b2d-9e4f-0a1b2c3d4e5f', amount: 12345 });
    const outcome = await createAlipayTransfer(config).transfer(req);
    const params = sentParams();
    expect(params).toMatchObject({ app_id: APP_ID, method: 'alipay.fund.trans.uni.transfer', sign_type: 'RSA2', charset: 'utf-8', version: '1.0', app_cert_sn: APP_CERT_SN, alipay_root_cert_sn: ROOT_CERT_SN });
    expect(JSON.parse(params.biz_content!)).toEqual({
      out_biz_no: '01925f8e3c1a7b2d9e4f0a1b2c3d4e5f',
      trans_amount: '123.45',
      product_code: 'TRANS_ACCOUNT_NO_PWD',
      biz_scene: 'DIRECT_TRANSFER',
      order_title: '3月佣金提现',
      payee_info: { identity: USER_ID, identity_type: 'ALIPAY_USER_ID' },
      remark: '3月佣金提现',
    });
    const key = await importPublicKey(app.publicKeyPem);
    expect(await verifyBase64(key, signContent(params, REQUEST_UNSIGNED), params.sign!)).toBe(true);
    expect(await verifyBase64(key, signContent({ ...params, biz_content: params.biz_content!.replace('123.45', '123.46') }, REQUEST_UNSIGNED), params.sign!)).toBe(false);
    expect(outcome).toEqual({ status: 'succeeded', externalId: standIn.transfers.orders.get('01925f8e3c1a7b2d9e4f0a1b2c3d4e5f')!.order_id });
  });

  it.each([
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [12345, '123.45'],
    [100_000_000, '1000000.00'],
  ])('sends %i fen as "%s" yuan, and the order holds exactly that many fen', async (fen, yuan) => {
    const req = payout({ amount: fen });
    await createAlipayTransfer(config).transfer(req);
    expect(JSON.parse(sentParams().biz_content!).trans_amount).toBe(yuan);
    expect(standIn.transfers.orders.get(noOf(req.payoutId))!.fen).toBe(fen);
  });

  it('names the payee of a logon id, and fails one without a name before calling Alipay', async () => {
    const account = { method: 'alipay', identity: 'payee@example.com', identityType: 'ALIPAY_LOGON_ID', realName: '李四' } as const;
    expect((await createAlipayTransfer(config).transfer(payout({ account }))).status).toBe('succeeded');
    expect(JSON.parse(sentParams().biz_content!).payee_info).toEqual({ identity: 'payee@example.com', identity_type: 'ALIPAY_LOGON_ID', name: '李四' });
    const before = standIn.requests.length;
    const { realName: _dropped, ...nameless } = account;
    expect(await createAlipayTransfer(config).transfer(payout({ account: nameless }))).toMatchObject({ status: 'failed', code: 'REAL_NAME_REQUIRED' });
    expect(standIn.requests.length).toBe(before);
  });

  it('refuses, before sending, what no Alipay transfer can carry', async () => {
    const before = standIn.requests.length;
    const alipay = createAlipayTransfer(config);
    await expect(alipay.transfer(payout({ amount: -1 }))).rejects.toThrow(PaymentInputError);
    await expect(alipay.transfer(payout({ account: { method: 'bank', bankName: '招商银行', accountNo: '6225', realName: '王五' } }))).rejects.toThrow(PaymentInputError);
    expect(standIn.requests.length).toBe(before);
  });

  it('is refused by the gateway without the certificate serials Alipay requires for transfers', async () => {
    const { appCertSn: _a, alipayRootCertSn: _r, ...plainKeyMode } = config;
    const err = await createAlipayTransfer(plainKeyMode).transfer(payout()).catch((e: unknown) => e);
    // The refusal is confirmed by a query, which the gateway refuses the same way: unknown, not failed.
    expect(err).toBeInstanceOf(PayoutUnknownError);
  });
});

describe('Alipay transfer: idempotency and outcomes', () => {
  it('pays once when the same payout is sent twice: the same out_biz_no, one order, the same answer', async () => {
    const req = payout();
    const alipay = createAlipayTransfer(config);
    const first = await alipay.transfer(req);
    const second = await alipay.transfer(req);
    const [a, b] = transferCalls().slice(-2).map((r) => JSON.parse(new URLSearchParams(r.body).get('biz_content')!).out_biz_no);
    expect(a).toBe(noOf(req.payoutId));
    expect(b).toBe(a);
    expect(second).toEqual(first);
    expect(standIn.transfers.orders.get(a)!.requests).toBe(2);
  });

  it('reports DEALING as processing and follows it to the end through query', async () => {
    standIn.transfers.scriptNext({ status: 'DEALING' });
    const req = payout();
    const alipay = createAlipayTransfer(config);
    expect(await alipay.transfer(req)).toMatchObject({ status: 'processing' });
    expect(await alipay.query(req.payoutId)).toMatchObject({ status: 'processing' });
    standIn.transfers.settle(noOf(req.payoutId), 'FAIL', 'PAYEE_ACCOUNT_STATUS_ERROR');
    expect(await alipay.query(req.payoutId)).toMatchObject({ status: 'failed', code: 'PAYEE_ACCOUNT_STATUS_ERROR' });
  });

  it.each([
    ['FAIL', 'PAYEE_NOT_EXIST'],
    ['REFUND', 'PAYEE_CARD_INFO_ERROR'],
  ] as const)('maps an order in %s to failed with its error code', async (status, errorCode) => {
    standIn.transfers.scriptNext({ status, errorCode, failReason: '收款账户有误' });
    const req = payout();
    expect(await createAlipayTransfer(config).transfer(req)).toEqual({ status: 'failed', code: errorCode, reason: '收款账户有误' });
    expect(await createAlipayTransfer(config).query(req.payoutId)).toEqual({ status: 'failed', code: errorCode, reason: '收款账户有误' });
  });

  it('maps a business refusal to failed with its sub_code once the query shows no order', async () => {
    standIn.transfers.scriptNext({ refuse: { code: '40004', subCode: 'PAYER_BALANCE_NOT_ENOUGH', subMsg: '付款方余额不足' } });
    const req = payout();
    expect(await createAlipayTransfer(config).transfer(req)).toEqual({ status: 'failed', code: 'PAYER_BALANCE_NOT_ENOUGH', reason: '付款方余额不足' });
    expect(new URLSearchParams(standIn.requests.at(-1)!.body).get('method')).toBe('alipay.fund.trans.common.query');
  });

  it('does not fail a payout whose repeat is refused while the first attempt’s order exists', async () => {
    const req = payout();
    const alipay = createAlipayTransfer(config);
    await alipay.transfer(req);
    expect(await alipay.transfer({ ...req, amount: req.amount + 1 })).toMatchObject({ status: 'succeeded' });
  });

  it('reports a payout Alipay never heard of as not found, not as failed', async () => {
    await expect(createAlipayTransfer(config).query(crypto.randomUUID())).rejects.toThrow(PayoutNotFoundError);
  });

  it('never reads an unknown status as failed', () => {
    for (const status of ['WAIT_PAY', 'INIT', 'UNKNOWN', 'SOMETHING_NEW']) expect(alipayTransferOutcome({ status, order_id: '2026' }).status).toBe('processing');
  });
});

describe('Alipay transfer: when the answer is unclear', () => {
  it.each([
    ['40004', 'SYSTEM_ERROR'],
    ['20000', 'isp.unknow-error'],
    ['40004', 'aop.ACCESS_LIMIT'],
  ])('treats code %s / %s as unknown, not failed', async (code, subCode) => {
    standIn.transfers.scriptNext({ refuse: { code, subCode } });
    await expect(createAlipayTransfer(config).transfer(payout())).rejects.toMatchObject({ name: 'PayoutUnknownError', providerCode: subCode });
  });

  it('classifies business codes', () => {
    expect(isUndecidedAlipayFailure({ code: '40004', sub_code: 'PAYEE_NOT_EXIST' })).toBe(false);
    expect(isUndecidedAlipayFailure({ code: '40004', sub_code: 'SYSTEM_ERROR' })).toBe(true);
    expect(isUndecidedAlipayFailure({ code: '20000', sub_code: 'whatever' })).toBe(true);
  });

  it('times out into PayoutUnknownError, not failed — and the query later finds the money paid', async () => {
    standIn.transfers.scriptNext({ delayMs: 400 });
    const req = payout();
    const err = await createAlipayTransfer({ ...config, timeoutMs: 100 }).transfer(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayoutUnknownError);
    expect(err).toMatchObject({ providerCode: 'TIMEOUT' });
    expect(await createAlipayTransfer(config).query(req.payoutId)).toMatchObject({ status: 'succeeded' });
    expect((await createAlipayTransfer(config).transfer(req)).status).toBe('succeeded');
    expect(standIn.transfers.orders.get(noOf(req.payoutId))!.requests).toBe(2);
  });

  it('treats a connection that cannot be made as unknown', async () => {
    const closed = await startAlipayStandIn({ appId: APP_ID, appPublicKeyPem: app.publicKeyPem, alipayPrivateKeyPem: alipayKeys.privateKeyPem });
    await closed.close();
    await expect(createAlipayTransfer({ ...config, gateway: closed.gateway }).transfer(payout())).rejects.toMatchObject({ name: 'PayoutUnknownError', providerCode: 'NETWORK' });
  });

  it('rejects a success whose signature does not verify (forged or altered), as untrusted rather than failed', async () => {
    await expect(createAlipayTransfer({ ...config, alipayPublicKeyPem: stranger.publicKeyPem }).transfer(payout())).rejects.toThrow(PaymentSignatureError);
    const tampering = await startAlipayStandIn({ appId: APP_ID, appPublicKeyPem: app.publicKeyPem, alipayPrivateKeyPem: alipayKeys.privateKeyPem, tamperResponses: true });
    try {
      await expect(createAlipayTransfer({ ...config, gateway: tampering.gateway }).transfer(payout())).rejects.toThrow(/signature does not verify/);
    } finally {
      await tampering.close();
    }
  });
});
