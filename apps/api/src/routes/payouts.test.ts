import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@tuike/core';
import { defaultDistributionSettings } from '@tuike/distribution';
import { toPayoutNo } from '@tuike/payments';
import { buildWechatTransferNotify, generateRsaKeyPair, startWechatPayStandIn, type RsaKeyPair, type WechatPayStandIn } from '../../../../packages/payments/src/testing/index';
import { createTestApp, cookieHeader, type TestApp } from '../testing/test-app';

const HOST = 'payout.localhost';
const MCH = { mchId: '1900000109', appId: 'wx0123456789abcdef', serialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1', apiV3Key: 'b'.repeat(32) };
const PLATFORM_SERIAL = '7132D72A03E93CDDF8C03BBD1F37EEDF46FA4512';
let t: TestApp;
let standin: WechatPayStandIn;
let platform: RsaKeyPair;
let owner: string;
let member: string;
let memberId: string;
const call = (cookie: string) => (path: string, init: Parameters<TestApp['request']>[2] = {}) => t.request(HOST, `/api${path}`, { cookies: cookie, ...init });
const deliver = (notify: { headers: Record<string, string>; body: string }) =>
  t.app.request(`http://${HOST}/api/payouts/notify/wechat`, { method: 'POST', headers: { host: HOST, ...notify.headers }, body: notify.body });

async function wallet() {
  const rs = await (await t.shopDb('payout')).execute({ sql: `SELECT available, reserved, withdrawn FROM wallets WHERE distributor_id = ?`, args: [memberId] });
  return { available: Number(rs.rows[0]!.available), reserved: Number(rs.rows[0]!.reserved), withdrawn: Number(rs.rows[0]!.withdrawn) };
}

async function withdrawAndApprove(amount: number) {
  const made = await call(member)('/distribution/withdrawals', { body: { amount, method: 'wechat' } });
  expect(made.status).toBe(201);
  const id = made.body.withdrawal.id as string;
  expect((await call(owner)(`/admin/withdrawals/${id}/approve`, { body: {} })).status).toBe(200);
  return id;
}

beforeAll(async () => {
  const merchant = await generateRsaKeyPair();
  platform = await generateRsaKeyPair();
  standin = await startWechatPayStandIn({
    mchId: MCH.mchId, merchantSerialNo: MCH.serialNo, merchantPublicKeyPem: merchant.publicKeyPem,
    platformSerialNo: PLATFORM_SERIAL, platformPrivateKeyPem: platform.privateKeyPem, now: () => t.clock.now(),
  });
  t = await createTestApp({ paymentEndpoints: { wechatBaseUrl: standin.url } });
  ({ ownerCookie: owner } = await t.signupAndLogin('payout'));
  expect((await call(owner)('/admin/settings/payments', { method: 'PUT', body: { wechat: { ...MCH, privateKeyPem: merchant.privateKeyPem, platformPublicKeys: { [PLATFORM_SERIAL]: platform.publicKeyPem } } } })).status).toBe(200);
  const db = await t.shopDb('payout');
  await db.execute({ sql: `INSERT INTO settings (key, value, updated_at) VALUES ('distribution', ?, 0)`, args: [JSON.stringify({ ...defaultDistributionSettings, autoApprove: true })] });
  member = cookieHeader((await t.request(HOST, '/api/member/register', { body: { username: 'earner', password: 'member-pass-1' }, cookies: '' })).setCookies);
  expect((await call(member)('/distribution/apply', { body: { shopName: '小店' } })).status).toBe(201);
  memberId = (await call(member)('/member/me')).body.member.id;
  // Setup: the member signed in with WeChat once (their openid in this app), and 200 yuan settled.
  const batch = newId();
  await db.batch([
    { sql: `INSERT INTO member_identities (id, member_id, provider, app_id, subject, created_at) VALUES (?, ?, 'wechat', ?, 'o-earner-openid', 0)`, args: [newId(), memberId, MCH.appId] },
    { sql: `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, available, created_at) VALUES (?, ?, ?, 'commission.settled', 'setup', 20000, 0)`, args: [`${batch}:${memberId}`, batch, memberId] },
    { sql: `UPDATE wallets SET available = available + 20000 WHERE distributor_id = ?`, args: [memberId] },
  ], 'write');
});
afterAll(async () => {
  await t.close();
  await standin.close();
});

describe('paying withdrawals through WeChat merchant transfer (D9)', () => {
  let first: string;

  it('asks WeChat for a transfer to the member’s openid once, and keeps the withdrawal paying until WeChat says', async () => {
    first = await withdrawAndApprove(5000);
    const paid = await call(owner)(`/admin/withdrawals/${first}/pay`, { body: {} });
    expect(paid.status).toBe(202);
    expect(paid.body.status).toBe('paying');
    const bill = standin.transfers.bills.get(toPayoutNo(first))!;
    expect(bill).toMatchObject({ openid: 'o-earner-openid', transfer_amount: 5000, transfer_scene_id: '1005', state: 'WAIT_USER_CONFIRM' });
    expect((await call(owner)(`/admin/withdrawals/${first}/pay`, { body: {} })).body.error.code).toBe('WITHDRAWAL_STATE');
    expect((await call(owner)(`/admin/withdrawals/${first}/refresh`, { body: {} })).body.status).toBe('paying');
    expect(await wallet()).toEqual({ available: 15000, reserved: 5000, withdrawn: 0 });
  });

  it('refuses a forged transfer notify and changes nothing', async () => {
    const forger = await generateRsaKeyPair();
    const forged = await buildWechatTransferNotify({ apiV3Key: MCH.apiV3Key, platformPrivateKeyPem: forger.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, bill: { ...standin.transfers.bills.get(toPayoutNo(first))!, state: 'SUCCESS' }, timestamp: Math.floor(t.clock.now() / 1000) });
    expect((await deliver(forged)).status).toBe(401);
    expect(await wallet()).toEqual({ available: 15000, reserved: 5000, withdrawn: 0 });
  });

  it('marks it paid on WeChat’s signed notify, once however often it is delivered', async () => {
    const resource = standin.transfers.settle(toPayoutNo(first), 'SUCCESS');
    const notify = await buildWechatTransferNotify({ apiV3Key: MCH.apiV3Key, platformPrivateKeyPem: platform.privateKeyPem, platformSerialNo: PLATFORM_SERIAL, bill: resource, timestamp: Math.floor(t.clock.now() / 1000) });
    expect((await deliver(notify)).status).toBe(204);
    expect((await deliver(notify)).status).toBe(204);
    expect(await wallet()).toEqual({ available: 15000, reserved: 0, withdrawn: 5000 });
    expect(standin.transfers.bills.get(toPayoutNo(first))!.requests).toBe(1);
  });

  it('returns the money when WeChat fails the transfer', async () => {
    const id = await withdrawAndApprove(3000);
    standin.transfers.scriptNext({ state: 'FAIL', failReason: 'PAYEE_ACCOUNT_ABNORMAL' });
    const paid = await call(owner)(`/admin/withdrawals/${id}/pay`, { body: {} });
    expect(paid.body).toEqual({ status: 'failed' });
    expect(await wallet()).toEqual({ available: 15000, reserved: 0, withdrawn: 5000 });
  });
});
