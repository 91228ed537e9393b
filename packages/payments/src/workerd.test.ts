import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_UNSIGNED, signContent } from './alipay-signing';
import { importPublicKey, verifyBase64 } from './rsa';
import { importOaepPrivateKey, oaepDecryptBase64 } from './rsa';
import { buildAlipayNotify, buildWechatNotify, buildWechatTransferNotify, generateRsaKeyPair, type RsaKeyPair } from './testing';
import { jsapiPayMessage } from './wechat-pay-v3-signing';

/**
 * The adapters in Cloudflare's runtime: the package is bundled as the edge build would bundle
 * it and run in workerd through Miniflare. Inside, a JSAPI order is signed and its (stubbed,
 * platform-signed) response verified, notifies from both providers are verified and decrypted,
 * and an Alipay redirect is signed; a WeChat transfer encrypts the payee name (RSA-OAEP) and its
 * result notify is opened; the results are checked here with the other side's keys.
 */
const WORKER = `
import { createWechatPayV3, createAlipay, createWechatTransfer, offlinePayoutCsv, PaymentSignatureError } from './index';
import { signWechatMessage } from './testing/wechat-notify';

export default {
  async fetch(request) {
    const t = await request.json();
    // WeChat's side of the JSAPI call, answered from inside the Worker with a platform-signed body.
    const stubFetch = async () => {
      const body = JSON.stringify({ prepay_id: 'wx201410272009395522657a690389285100' });
      const headers = await signWechatMessage(t.platformPrivateKeyPem, t.wechat.serialOfPlatform, body);
      return new Response(body, { status: 200, headers });
    };
    const wechat = createWechatPayV3({ ...t.wechat.config, fetch: stubFetch });
    const jsapi = await wechat.createPayment(t.order);
    const wechatNotice = await wechat.parseNotify(t.wechat.notify);
    let tampered = null;
    try { await wechat.parseNotify({ ...t.wechat.notify, body: t.wechat.notify.body + ' ' }); } catch (e) { tampered = e instanceof PaymentSignatureError ? e.code : String(e); }
    const alipay = createAlipay(t.alipay.config);
    const alipayNotice = await alipay.parseNotify(t.alipay.notify);
    const redirect = await alipay.createPayment(t.order);
    let transferBody = null;
    const transferFetch = async (_url, init) => {
      transferBody = init.body;
      const body = JSON.stringify({ out_bill_no: JSON.parse(init.body).out_bill_no, transfer_bill_no: '1330000001', create_time: '2026-01-01T12:00:00+08:00', state: 'ACCEPTED' });
      return new Response(body, { status: 200, headers: await signWechatMessage(t.platformPrivateKeyPem, t.wechat.serialOfPlatform, body) });
    };
    const transfer = createWechatTransfer({ ...t.wechat.config, ...t.transfer.config, fetch: transferFetch });
    const transferOutcome = await transfer.transfer(t.transfer.request);
    const transferNotice = await transfer.parseNotify(t.transfer.notify);
    const csv = offlinePayoutCsv([{ ...t.transfer.request, distributorName: '=张三' }]);
    return Response.json({ jsapi, wechatNotice, tampered, alipayNotice, redirect, transferBody, transferOutcome, transferNotice, csv, runtime: typeof navigator === 'object' ? navigator.userAgent : 'none' });
  },
};
`;

let mf: Miniflare;
let merchant: RsaKeyPair;
let platform: RsaKeyPair;
let alipayKeys: RsaKeyPair;
let app: RsaKeyPair;

beforeAll(async () => {
  [merchant, platform, alipayKeys, app] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser', // what wrangler uses, with its workerd conditions
    conditions: ['workerd', 'worker', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  mf = new Miniflare({ modules: true, script: bundle.outputFiles[0]!.text, compatibilityDate: '2026-04-26' });
  await mf.ready;
});
afterAll(() => mf?.dispose());

describe('in workerd', () => {
  it('signs, verifies and decrypts with WebCrypto alone', async () => {
    const intentId = crypto.randomUUID();
    const payoutId = crypto.randomUUID();
    const apiV3Key = '0123456789abcdef0123456789abcdef';
    const transaction = { appid: 'wxAPP', mchid: '1900009191', out_trade_no: intentId.replaceAll('-', ''), transaction_id: '4200000001', trade_state: 'SUCCESS', amount: { total: 19990, payer_total: 19990, currency: 'CNY' } };
    const input = {
      order: { intentId, orderNo: 'T1', amount: 19990, description: '纯棉T恤', notifyUrl: 'https://shop.example.com/n', payer: { openid: 'oBuyer' } },
      platformPrivateKeyPem: platform.privateKeyPem,
      wechat: {
        serialOfPlatform: 'PLATFORM1',
        config: { mchId: '1900009191', appId: 'wxAPP', serialNo: 'MERCHANT1', privateKeyPem: merchant.privateKeyPem, apiV3Key, platformPublicKeys: { PLATFORM1: platform.publicKeyPem } },
        notify: await buildWechatNotify({ apiV3Key, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: 'PLATFORM1', transaction }),
      },
      transfer: {
        config: { transferSceneId: '1005', sceneReportInfos: [{ infoType: '岗位类型', infoContent: '推广员' }, { infoType: '报酬说明', infoContent: '分销佣金' }] },
        request: { payoutId, amount: 250_000, remark: '佣金提现', account: { method: 'wechat', openid: 'oPayee', realName: '张三' } },
        notify: await buildWechatTransferNotify({
          apiV3Key,
          platformPrivateKeyPem: platform.privateKeyPem,
          platformSerialNo: 'PLATFORM1',
          bill: { mch_id: '1900009191', out_bill_no: payoutId.replaceAll('-', ''), transfer_bill_no: '1330000001', state: 'SUCCESS', transfer_amount: 250_000, openid: 'oPayee' },
        }),
      },
      alipay: {
        config: { appId: '2021000000000001', privateKeyPem: app.privateKeyPem, alipayPublicKeyPem: alipayKeys.publicKeyPem },
        notify: await buildAlipayNotify(alipayKeys.privateKeyPem, { app_id: '2021000000000001', out_trade_no: intentId.replaceAll('-', ''), trade_no: '2026000001', trade_status: 'TRADE_SUCCESS', total_amount: '0.01' }),
      },
    };
    const res = await mf.dispatchFetch('http://worker/', { method: 'POST', body: JSON.stringify(input) });
    const out = (await res.json()) as {
      jsapi: { kind: string; params: Record<string, string> };
      wechatNotice: unknown;
      tampered: string | null;
      alipayNotice: unknown;
      redirect: { kind: string; url: string };
      transferBody: string;
      transferOutcome: unknown;
      transferNotice: unknown;
      csv: string;
      runtime: string;
    };
    expect(res.status).toBe(200);
    expect(out.runtime).toBe('Cloudflare-Workers');

    const p = out.jsapi.params;
    expect(p.package).toBe('prepay_id=wx201410272009395522657a690389285100');
    expect(await verifyBase64(await importPublicKey(merchant.publicKeyPem), jsapiPayMessage(p.appId!, p.timeStamp!, p.nonceStr!, p.package!), p.paySign!)).toBe(true);
    expect(out.wechatNotice).toEqual({ intentId, externalId: '4200000001', amount: 19990, outcome: 'paid' });
    expect(out.tampered).toBe('PAYMENT_SIGNATURE_INVALID');
    expect(out.alipayNotice).toEqual({ intentId, externalId: '2026000001', amount: 1, outcome: 'paid' });

    const params = Object.fromEntries(new URL(out.redirect.url).searchParams);
    expect(out.redirect.url.startsWith('https://openapi.alipay.com/gateway.do?')).toBe(true);
    expect(await verifyBase64(await importPublicKey(app.publicKeyPem), signContent(params, REQUEST_UNSIGNED), params.sign!)).toBe(true);

    const sentBill = JSON.parse(out.transferBody) as { out_bill_no: string; transfer_amount: number; user_name: string };
    expect(sentBill).toMatchObject({ out_bill_no: payoutId.replaceAll('-', ''), transfer_amount: 250_000 });
    expect(await oaepDecryptBase64(await importOaepPrivateKey(platform.privateKeyPem), sentBill.user_name)).toBe('张三');
    expect(out.transferOutcome).toEqual({ status: 'processing', externalId: '1330000001' });
    expect(out.transferNotice).toEqual({ payoutId, externalId: '1330000001', amount: 250_000, outcome: { status: 'succeeded', externalId: '1330000001' } });
    expect(out.csv.startsWith('\uFEFF')).toBe(true);
    expect(out.csv).toContain(`"'=张三"`);
  });
});
