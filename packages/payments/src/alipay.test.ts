import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlipay, type AlipayConfig } from './alipay';
import { REQUEST_UNSIGNED, signContent } from './alipay-signing';
import { PaymentNotifyIgnoredError, PaymentSignatureError } from './errors';
import { importPublicKey, verifyBase64 } from './rsa';
import { buildAlipayNotify, generateRsaKeyPair, startAlipayStandIn, type AlipayStandIn, type RsaKeyPair } from './testing';

const APP_ID = '2021000000000001';
let app: RsaKeyPair;
let alipayKeys: RsaKeyPair;
let stranger: RsaKeyPair;
let standIn: AlipayStandIn;
let config: AlipayConfig;

beforeAll(async () => {
  [app, alipayKeys, stranger] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  standIn = await startAlipayStandIn({ appId: APP_ID, appPublicKeyPem: app.publicKeyPem, alipayPrivateKeyPem: alipayKeys.privateKeyPem });
  config = { appId: APP_ID, privateKeyPem: app.privateKeyPem, alipayPublicKeyPem: alipayKeys.publicKeyPem, gateway: standIn.gateway };
});
afterAll(() => standIn.close());

const order = (intentId: string, amount: number) => ({
  intentId,
  orderNo: 'T20260101000002',
  amount,
  description: '推客小店-纯棉T恤',
  notifyUrl: 'https://shop.example.com/api/payments/notify/alipay',
  returnUrl: 'https://shop.example.com/pay/result',
});

/** The buyer opens the cashier URL (the stand-in verifies its signature) and pays. */
async function payThroughCashier(intentId: string, amount: number) {
  const result = await createAlipay(config).createPayment(order(intentId, amount));
  if (result.kind !== 'redirect') throw new Error('expected a redirect');
  const res = await fetch(result.url);
  if (!res.ok || !(await res.text()).includes('收银台')) throw new Error(`cashier refused the URL: ${res.status}`);
  return standIn.pay(intentId.replaceAll('-', ''));
}

describe('Alipay alipay.trade.wap.pay', () => {
  it('builds a redirect to the gateway with every parameter RSA2-signed (sign_type included), yuan with 2 decimals', async () => {
    const result = await createAlipay(config).createPayment(order('01925f8e-3c1a-7b2d-9e4f-0a1b2c3d4e5f', 19990));
    expect(result.kind).toBe('redirect');
    if (result.kind !== 'redirect') return;
    const url = new URL(result.url);
    expect(`${url.origin}${url.pathname}`).toBe(standIn.gateway);
    expect(result.url).not.toContain('+'); // spaces travel as %20, a '+' in sign as %2B
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      app_id: APP_ID,
      method: 'alipay.trade.wap.pay',
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      version: '1.0',
      notify_url: 'https://shop.example.com/api/payments/notify/alipay',
      return_url: 'https://shop.example.com/pay/result',
    });
    expect(params.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(JSON.parse(params.biz_content!)).toEqual({
      out_trade_no: '01925f8e3c1a7b2d9e4f0a1b2c3d4e5f',
      total_amount: '199.90',
      subject: '推客小店-纯棉T恤',
      product_code: 'QUICK_WAP_WAY',
      quit_url: 'https://shop.example.com/pay/result',
    });
    const key = await importPublicKey(app.publicKeyPem);
    expect(await verifyBase64(key, signContent(params, REQUEST_UNSIGNED), params.sign!)).toBe(true);
    // sign_type is part of what is signed: leaving it out breaks the signature.
    expect(await verifyBase64(key, signContent(params, ['sign', 'sign_type']), params.sign!)).toBe(false);
  });

  it('is accepted by the gateway stand-in, and refused once a parameter is changed', async () => {
    const result = await createAlipay(config).createPayment(order(crypto.randomUUID(), 1));
    if (result.kind !== 'redirect') throw new Error('expected a redirect');
    expect(await (await fetch(result.url)).text()).toContain('收银台');
    const tampered = result.url.replace(encodeURIComponent('"total_amount":"0.01"'), encodeURIComponent('"total_amount":"0.02"'));
    expect(tampered).not.toBe(result.url);
    expect(await (await fetch(tampered)).json()).toMatchObject({ error_response: { sub_code: 'isv.invalid-signature' } });
  });
});

describe('Alipay async notify', () => {
  it('verifies a signed notify and maps it: 0.01 yuan is 1 fen', async () => {
    const id = crypto.randomUUID();
    const trade = await payThroughCashier(id, 1);
    const notify = await buildAlipayNotify(alipayKeys.privateKeyPem, trade);
    expect(await createAlipay(config).parseNotify(notify)).toEqual({ intentId: id, externalId: trade.trade_no, amount: 1, outcome: 'paid' });
  });

  it('reads 199.90 yuan as exactly 19990 fen, and TRADE_FINISHED as paid too', async () => {
    const id = crypto.randomUUID();
    const trade = await payThroughCashier(id, 19990);
    expect(trade.total_amount).toBe('199.90');
    const notify = await buildAlipayNotify(alipayKeys.privateKeyPem, { ...trade, trade_status: 'TRADE_FINISHED' });
    expect(await createAlipay(config).parseNotify(notify)).toMatchObject({ amount: 19990, outcome: 'paid' });
  });

  it('rejects a notify with any parameter changed after signing', async () => {
    const trade = await payThroughCashier(crypto.randomUUID(), 1);
    const { params, headers } = await buildAlipayNotify(alipayKeys.privateKeyPem, trade);
    const alipay = createAlipay(config);
    for (const [k, v] of [['total_amount', '100.00'], ['trade_status', 'TRADE_SUCCESS '], ['out_trade_no', '01925f8e3c1a7b2d9e4f0a1b2c3d4e5f'], ['extra', 'x']] as const) {
      const body = new URLSearchParams({ ...params, [k]: v }).toString();
      await expect(alipay.parseNotify({ headers, body })).rejects.toThrow(PaymentSignatureError);
    }
  });

  it('rejects a notify signed by another key, unsigned, or signed with RSA (SHA1)', async () => {
    const trade = await payThroughCashier(crypto.randomUUID(), 1);
    const alipay = createAlipay(config);
    await expect(alipay.parseNotify(await buildAlipayNotify(stranger.privateKeyPem, trade))).rejects.toThrow(/does not verify/);
    const { params, headers } = await buildAlipayNotify(alipayKeys.privateKeyPem, trade);
    const { sign: _drop, ...unsigned } = params;
    await expect(alipay.parseNotify({ headers, body: new URLSearchParams(unsigned).toString() })).rejects.toThrow(/no sign/);
    await expect(alipay.parseNotify({ headers, body: new URLSearchParams({ ...params, sign_type: 'RSA' }).toString() })).rejects.toThrow(PaymentSignatureError);
  });

  it('refuses an authentic notify for another app', async () => {
    const trade = await payThroughCashier(crypto.randomUUID(), 1);
    const notify = await buildAlipayNotify(alipayKeys.privateKeyPem, { ...trade, app_id: '2021000000009999' });
    await expect(createAlipay(config).parseNotify(notify)).rejects.toThrow(/another app/);
  });

  it('reports TRADE_CLOSED as failed and ignores WAIT_BUYER_PAY', async () => {
    const trade = await payThroughCashier(crypto.randomUUID(), 1);
    const alipay = createAlipay(config);
    expect((await alipay.parseNotify(await buildAlipayNotify(alipayKeys.privateKeyPem, { ...trade, trade_status: 'TRADE_CLOSED' }))).outcome).toBe('failed');
    await expect(alipay.parseNotify(await buildAlipayNotify(alipayKeys.privateKeyPem, { ...trade, trade_status: 'WAIT_BUYER_PAY' }))).rejects.toThrow(PaymentNotifyIgnoredError);
  });
});

describe('Alipay alipay.trade.refund', () => {
  it('posts a signed refund in yuan and verifies the response over the raw alipay_trade_refund_response text', async () => {
    const id = crypto.randomUUID();
    const trade = await payThroughCashier(id, 5000);
    const refundId = crypto.randomUUID();
    const alipay = createAlipay(config);
    const input = { intentId: id, externalId: trade.trade_no!, refundId, amount: 1999, total: 5000, reason: '尺码不合适' };
    expect(await alipay.refund(input)).toEqual({ externalRefundId: refundId.replaceAll('-', ''), status: 'succeeded' });
    const sent = Object.fromEntries(new URLSearchParams(standIn.requests.at(-1)!.body));
    expect(sent.method).toBe('alipay.trade.refund');
    expect(JSON.parse(sent.biz_content!)).toEqual({ trade_no: trade.trade_no, refund_amount: '19.99', out_request_no: refundId.replaceAll('-', ''), refund_reason: '尺码不合适' });
    // The same out_request_no again refunds nothing more (fund_change N): not reported as a new success.
    expect((await alipay.refund(input)).status).toBe('processing');
    expect(standIn.trades.get(id.replaceAll('-', ''))!.refunded_fen).toBe(1999);
  });

  it('reports Alipay’s business error codes', async () => {
    const id = crypto.randomUUID();
    const trade = await payThroughCashier(id, 100);
    const alipay = createAlipay(config);
    const refund = (amount: number, externalId = trade.trade_no!) => alipay.refund({ intentId: id, externalId, refundId: crypto.randomUUID(), amount, total: 100, reason: '' });
    expect((await refund(100)).status).toBe('succeeded');
    await expect(refund(1)).rejects.toMatchObject({ name: 'PaymentProviderError', providerCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
    await expect(refund(1, '2026000000')).rejects.toMatchObject({ providerCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('is refused by the gateway when signed with the wrong app key', async () => {
    await expect(createAlipay({ ...config, privateKeyPem: stranger.privateKeyPem }).refund({ intentId: crypto.randomUUID(), externalId: 'x', refundId: crypto.randomUUID(), amount: 1, total: 1, reason: '' })).rejects.toMatchObject({ providerCode: 'isv.invalid-signature' });
  });

  it('treats a refund response whose signature does not verify as forged', async () => {
    const forged = await startAlipayStandIn({ appId: APP_ID, appPublicKeyPem: app.publicKeyPem, alipayPrivateKeyPem: alipayKeys.privateKeyPem, tamperResponses: true });
    try {
      const alipay = createAlipay({ ...config, gateway: forged.gateway });
      const id = crypto.randomUUID();
      const r = await alipay.createPayment(order(id, 100));
      if (r.kind === 'redirect') await fetch(r.url);
      const trade = forged.pay(id.replaceAll('-', ''));
      await expect(alipay.refund({ intentId: id, externalId: trade.trade_no!, refundId: crypto.randomUUID(), amount: 100, total: 100, reason: '' })).rejects.toThrow(PaymentSignatureError);
    } finally {
      await forged.close();
    }
  });
});
