import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMerchantOrderNo } from '@tuike/payments';
import { buildAlipayNotify, generateRsaKeyPair, startAlipayStandIn, type AlipayStandIn, type RsaKeyPair } from '../../../../packages/payments/src/testing/index';
import { createTestApp, cookieHeader, type TestApp } from '../testing/test-app';

const HOST = 'nutshop.localhost';
const APP_ID = '2021000000000001';
let t: TestApp;
let standin: AlipayStandIn;
let app: RsaKeyPair;
let alipay: RsaKeyPair;
let buyer: string;
let owner: string;
let addressId: string;
let skuId: string;

const call = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });
const deliver = (notify: { headers: Record<string, string>; body: string }) =>
  t.app.request(`http://${HOST}/api/payments/notify/alipay`, { method: 'POST', headers: { host: HOST, ...notify.headers }, body: notify.body });

beforeAll(async () => {
  [app, alipay] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  standin = await startAlipayStandIn({ appId: APP_ID, appPublicKeyPem: app.publicKeyPem, alipayPrivateKeyPem: alipay.privateKeyPem });
  t = await createTestApp({ paymentEndpoints: { alipayGateway: standin.gateway } });
  ({ ownerCookie: owner } = await t.signupAndLogin('nutshop'));
  const admin = call(owner);
  expect((await admin('/admin/settings/payments', { method: 'PUT', body: { alipay: { appId: APP_ID, privateKeyPem: app.privateKeyPem, alipayPublicKeyPem: alipay.publicKeyPem } } })).status).toBe(200);
  const category = (await admin('/admin/categories', { body: { name: '零食' } })).body.category.id;
  skuId = (await admin('/admin/products', { body: { title: '坚果礼盒', categoryId: category, status: 'on', skus: [{ price: 19990, stock: 10 }] } })).body.skus[0].id;
  buyer = cookieHeader((await t.request(HOST, '/api/member/register', { body: { username: 'alibuyer', password: 'buyer-pass-1' }, cookies: '' })).setCookies);
  addressId = (await call(buyer)('/member/addresses', { body: { name: '孙十', phone: '13200000000', province: '浙江', city: '杭州', district: '', detail: '文一路 2 号' } })).body.address.id;
});
afterAll(async () => {
  await t.close();
  await standin.close();
});

describe('Alipay through the API (C4)', () => {
  it('redirects to a signed WAP payment, applies the signed notify once (¥199.90 = 19990 fen), and answers "success"', async () => {
    const placed = await call(buyer)('/checkout/submit', { body: { items: [{ skuId, quantity: 1 }], addressId, clientKey: 'alipay-key-0001', expectedPayTotal: 19990, provider: 'alipay' } });
    expect(placed.status).toBe(201);
    const action = placed.body.payment.action as { kind: string; url: string };
    expect(action.kind).toBe('redirect');
    expect((await fetch(action.url)).status).toBeLessThan(400); // the buyer's browser opens the cashier
    const outTradeNo = toMerchantOrderNo(placed.body.payment.intentId);
    expect(standin.trades.get(outTradeNo)?.total_fen).toBe(19990);

    const notify = await buildAlipayNotify(alipay.privateKeyPem, standin.pay(outTradeNo));
    const res = await deliver(notify);
    expect(await res.text()).toBe('success');
    expect((await call(buyer)(`/orders/${placed.body.order.id}`)).body.order.status).toBe('paid');
    expect(await (await deliver(notify)).text()).toBe('success');
    expect(await t.count(await t.shopDb('nutshop'), 'payment_notifications', "outcome = 'applied'")).toBe(1);

    const forged = await buildAlipayNotify(app.privateKeyPem, standin.pay(outTradeNo));
    expect(await (await deliver(forged)).text()).toBe('failure');
  });
});
