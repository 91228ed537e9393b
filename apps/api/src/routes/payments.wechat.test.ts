import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMerchantOrderNo } from '@tuike/payments';
import { buildWechatNotify, buildWechatRefundNotify, generateRsaKeyPair, startWechatPayStandIn, type RsaKeyPair, type WechatPayStandIn } from '../../../../packages/payments/src/testing/index';
import { createTestApp, cookieHeader, type TestApp } from '../testing/test-app';

const HOST = 'wxpay.localhost';
const MCH = { mchId: '1900000109', appId: 'wx0123456789abcdef', serialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1', apiV3Key: 'a'.repeat(32) };
const PLATFORM_SERIAL = '7132D72A03E93CDDF8C03BBD1F37EEDF46FA4512';
let t: TestApp;
let standin: WechatPayStandIn;
let merchant: RsaKeyPair;
let platform: RsaKeyPair;
let owner: string;
let buyer: string;
let addressId: string;
let skuId: string;
let seq = 0;

const call = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });

/** WeChat's server calling our notify URL: no Origin, no cookies, just its signature. */
const deliver = (notify: { headers: Record<string, string>; body: string }) =>
  t.app.request(`http://${HOST}/api/payments/notify/wechat`, { method: 'POST', headers: { host: HOST, ...notify.headers }, body: notify.body });

beforeAll(async () => {
  [merchant, platform] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  // The stand-in reads the test clock lazily, so it can start before the app it talks to.
  standin = await startWechatPayStandIn({
    mchId: MCH.mchId, merchantSerialNo: MCH.serialNo, merchantPublicKeyPem: merchant.publicKeyPem,
    platformSerialNo: PLATFORM_SERIAL, platformPrivateKeyPem: platform.privateKeyPem, now: () => t.clock.now(),
  });
  t = await createTestApp({ paymentEndpoints: { wechatBaseUrl: standin.url } });
  ({ ownerCookie: owner } = await t.signupAndLogin('wxpay'));
  const admin = call(owner);
  const saved = await admin('/admin/settings/payments', { method: 'PUT', body: { wechat: { ...MCH, privateKeyPem: merchant.privateKeyPem, platformPublicKeys: { [PLATFORM_SERIAL]: platform.publicKeyPem } } } });
  expect(saved.status).toBe(200);
  expect(JSON.stringify((await admin('/admin/settings')).body)).not.toMatch(/PRIVATE KEY|aaaaaaaa/);
  const category = (await admin('/admin/categories', { body: { name: '茶' } })).body.category.id;
  skuId = (await admin('/admin/products', { body: { title: '普洱', categoryId: category, status: 'on', skus: [{ price: 10000, stock: 100 }] } })).body.skus[0].id;
  buyer = cookieHeader((await t.request(HOST, '/api/member/register', { body: { username: 'wxbuyer', password: 'buyer-pass-1' }, cookies: '' })).setCookies);
  addressId = (await call(buyer)('/member/addresses', { body: { name: '陈九', phone: '13300000000', province: '云南', city: '昆明', district: '', detail: '茶马路 9 号' } })).body.address.id;
});
afterAll(async () => {
  await t.close();
  await standin.close();
});

async function placeWithWechat() {
  const placed = await call(buyer)('/checkout/submit', { body: { items: [{ skuId, quantity: 1 }], addressId, clientKey: `wxpay-key-${seq++}`, expectedPayTotal: 10000, provider: 'wechat', returnUrl: '/orders' } });
  expect(placed.status).toBe(201);
  return placed.body as { order: { id: string }; payment: { intentId: string; action: { kind: string; url?: string } } };
}

describe('WeChat Pay v3 through the API (C4)', () => {
  it('starts an H5 payment with a signed request, applies the encrypted, signed notify once, and refunds through WeChat', async () => {
    const placed = await placeWithWechat();
    expect(placed.payment.action.kind).toBe('redirect');
    const outTradeNo = toMerchantOrderNo(placed.payment.intentId);
    expect(standin.orders.get(outTradeNo)).toMatchObject({ total: 10000, kind: 'h5', mchid: MCH.mchId });

    const notify = await buildWechatNotify({ apiV3Key: MCH.apiV3Key, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, transaction: standin.pay(outTradeNo), timestamp: Math.floor(t.clock.now() / 1000) });
    expect((await deliver(notify)).status).toBe(204);
    expect((await call(buyer)(`/orders/${placed.order.id}`)).body.order.status).toBe('paid');
    expect((await deliver(notify)).status).toBe(204); // a replay is acknowledged and changes nothing
    const db = await t.shopDb('wxpay');
    expect(await t.count(db, 'payment_notifications', "outcome = 'applied'")).toBe(1);
    expect(Number((await db.execute('SELECT sales FROM products')).rows[0]!.sales)).toBe(1);

    const line = (await call(buyer)(`/orders/${placed.order.id}`)).body.lines[0];
    const req = await call(buyer)(`/orders/${placed.order.id}/after-sales`, { body: { kind: 'refund', reason: '不想要了', lines: [{ lineId: line.id, quantity: 1, amount: 3000 }] } });
    expect((await call(owner)(`/admin/after-sales/${req.body.afterSale.id}/approve`, { method: 'POST' })).body.status).toBe('refunded');
    expect(standin.orders.get(outTradeNo)?.refunded).toBe(3000);
  });

  it('refuses a notify with a tampered body or a wrong key, records it, and leaves the order unpaid', async () => {
    const placed = await placeWithWechat();
    const outTradeNo = toMerchantOrderNo(placed.payment.intentId);
    const genuine = await buildWechatNotify({ apiV3Key: MCH.apiV3Key, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, transaction: standin.pay(outTradeNo), timestamp: Math.floor(t.clock.now() / 1000) });
    const tampered = await deliver({ ...genuine, body: genuine.body.replace('"id":"', '"id":"x') });
    expect(tampered.status).toBe(401);
    const impostor = await generateRsaKeyPair();
    const forged = await buildWechatNotify({ apiV3Key: MCH.apiV3Key, platformPrivateKeyPem: impostor.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, transaction: standin.pay(outTradeNo), timestamp: Math.floor(t.clock.now() / 1000) });
    expect((await deliver(forged)).status).toBe(401);
    expect((await call(buyer)(`/orders/${placed.order.id}`)).body.order.status).toBe('pending_payment');
    expect(await t.count(await t.shopDb('wxpay'), 'payment_notifications', "outcome = 'bad_signature'")).toBe(2);
  });

  /** A paid WeChat order with an approved refund of `amount` that WeChat answered PROCESSING. */
  async function refundPending(amount: number) {
    const placed = await placeWithWechat();
    const outTradeNo = toMerchantOrderNo(placed.payment.intentId);
    const paid = await buildWechatNotify({ apiV3Key: MCH.apiV3Key, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, transaction: standin.pay(outTradeNo), timestamp: Math.floor(t.clock.now() / 1000) });
    expect((await deliver(paid)).status).toBe(204);
    const line = (await call(buyer)(`/orders/${placed.order.id}`)).body.lines[0];
    const req = await call(buyer)(`/orders/${placed.order.id}/after-sales`, { body: { kind: 'refund', reason: '不想要了', lines: [{ lineId: line.id, quantity: 1, amount }] } });
    expect((await call(owner)(`/admin/after-sales/${req.body.afterSale.id}/approve`, { method: 'POST' })).body.status).toBe('refunded');
    const db = await t.shopDb('wxpay');
    const row = (await db.execute({ sql: 'SELECT id, status, external_id FROM refunds WHERE after_sale_id = ?', args: [req.body.afterSale.id] })).rows[0]!;
    const refundId = String(row.id);
    return { db, orderId: placed.order.id, refundId, externalId: String(row.external_id), outRefundNo: toMerchantOrderNo(refundId), status: String(row.status) };
  }
  const refundNotify = (refund: Record<string, unknown>, key = platform.privateKeyPem) =>
    buildWechatRefundNotify({ apiV3Key: MCH.apiV3Key, platformPrivateKeyPem: key, platformSerialNo: PLATFORM_SERIAL, refund, timestamp: Math.floor(t.clock.now() / 1000) });
  const refundOf = async (db: Awaited<ReturnType<TestApp['shopDb']>>, id: string) => (await db.execute({ sql: 'SELECT status, external_id FROM refunds WHERE id = ?', args: [id] })).rows[0]!;
  const buyerRefundNotices = (db: Awaited<ReturnType<TestApp['shopDb']>>, orderId: string) => t.count(db, 'notifications', "type = 'refund.succeeded' AND ref = ?", [orderId]);

  it('keeps a PROCESSING refund processing (no buyer notice) until REFUND.SUCCESS arrives, then settles it once', async () => {
    const r = await refundPending(2000);
    expect(r.status).toBe('processing');
    expect(r.externalId).toMatch(/^50\d{27}$/);
    expect(await buyerRefundNotices(r.db, r.orderId)).toBe(0);
    // WeChat was told to send the result to our notify route.
    expect(JSON.parse(standin.requests.filter((q) => q.url === '/v3/refund/domestic/refunds').at(-1)!.body).notify_url).toBe(`http://${HOST}/api/payments/notify/wechat`);

    const settled = standin.settleRefund(r.outRefundNo, 'SUCCESS');
    // A notify whose amount differs from our refund is refused, recorded, and changes nothing.
    const wrongAmount = await deliver(await refundNotify({ ...settled, amount: { ...(settled.amount as object), refund: 1999 } }));
    expect(wrongAmount.status).toBe(400);
    expect(await t.count(r.db, 'payment_notifications', "outcome = 'refund_amount_mismatch'")).toBe(1);
    expect((await refundOf(r.db, r.refundId)).status).toBe('processing');

    const success = await refundNotify(settled);
    expect((await deliver(success)).status).toBe(204);
    expect(await refundOf(r.db, r.refundId)).toMatchObject({ status: 'succeeded', external_id: r.externalId });
    expect(await buyerRefundNotices(r.db, r.orderId)).toBe(1);
    // A replay (the same delivery, or WeChat re-sending) is acknowledged and changes nothing.
    expect((await deliver(success)).status).toBe(204);
    expect((await deliver(await refundNotify(settled))).status).toBe(204);
    expect(await buyerRefundNotices(r.db, r.orderId)).toBe(1);
    expect(await t.count(r.db, 'payment_notifications', "outcome = 'refund_succeeded'")).toBe(1);
    expect(await t.count(r.db, 'payment_notifications', "outcome = 'refund_duplicate'")).toBe(2);
    // An opposite result for a refund already settled changes nothing either.
    expect((await deliver(await refundNotify({ ...settled, refund_status: 'CLOSED' }))).status).toBe(409);
    expect((await refundOf(r.db, r.refundId)).status).toBe('succeeded');
  });

  it('marks a refund failed on REFUND.ABNORMAL, without telling the buyer it succeeded', async () => {
    const r = await refundPending(1500);
    expect((await deliver(await refundNotify(standin.settleRefund(r.outRefundNo, 'ABNORMAL')))).status).toBe(204);
    expect((await refundOf(r.db, r.refundId)).status).toBe('failed');
    expect(await buyerRefundNotices(r.db, r.orderId)).toBe(0);
    expect(await t.count(r.db, 'payment_notifications', "outcome = 'refund_failed'")).toBe(1);
  });

  it('refuses a forged refund notify (401, recorded, nothing changed) and records one for a refund it never made', async () => {
    const r = await refundPending(1000);
    const db = r.db;
    const settled = standin.settleRefund(r.outRefundNo, 'SUCCESS');
    const before = await t.count(db, 'payment_notifications', "outcome = 'bad_signature'");
    const impostor = await generateRsaKeyPair();
    expect((await deliver(await refundNotify(settled, impostor.privateKeyPem))).status).toBe(401);
    const genuine = await refundNotify(settled);
    expect((await deliver({ ...genuine, body: genuine.body.replace('"id":"', '"id":"x') })).status).toBe(401);
    expect(await t.count(db, 'payment_notifications', "outcome = 'bad_signature'")).toBe(before + 2);
    expect((await refundOf(db, r.refundId)).status).toBe('processing');
    expect(await buyerRefundNotices(db, r.orderId)).toBe(0);

    const stranger = toMerchantOrderNo(crypto.randomUUID());
    expect((await deliver(await refundNotify({ ...settled, out_refund_no: stranger }))).status).toBe(404);
    expect(await t.count(db, 'payment_notifications', "outcome = 'unknown_refund'")).toBe(1);
    expect((await refundOf(db, r.refundId)).status).toBe('processing');
  });
});
