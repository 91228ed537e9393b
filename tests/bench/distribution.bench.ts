import { generateSessionToken, hashToken, newId } from '@tuike/core';
import { defaultDistributionSettings, monthKey, weekKey } from '@tuike/distribution';
import { createTestApp, type TestApp } from '@tuike/api/testing';
import { seedDistributionTree } from '../../scripts/seed-distribution-tree';
import { median, quantile, report } from './stats';

type Shop = Awaited<ReturnType<typeof distributionShop>>;

/**
 * A shop on the real app (in process, real libSQL files) whose distribution tree holds `members`
 * members, made by the seed script; one buyer bound to a seller three levels deep.
 */
async function distributionShop(members: number) {
  const t: TestApp = await createTestApp({ signupRateLimit: { max: 1e6, windowMs: 1 } });
  const slug = `tree${members}`;
  const host = `${slug}.localhost`;
  const { ownerCookie } = await t.signupAndLogin(slug);
  const db = await t.shopDb(slug);
  const now = t.clock.now();
  await db.execute({ sql: `INSERT INTO settings (key, value, updated_at) VALUES ('distribution', ?, 0)`, args: [JSON.stringify({ ...defaultDistributionSettings, withdrawal: { ...defaultDistributionSettings.withdrawal, dailyMax: 100_000_000 } })] });
  const t0 = performance.now();
  const tree = await seedDistributionTree(db, members, { now, week: weekKey(now, 'Asia/Shanghai'), month: monthKey(now, 'Asia/Shanghai') });
  const seedSeconds = (performance.now() - t0) / 1000;
  const api = (cookie: string) => async (path: string, body?: unknown) => {
    const res = await t.app.request(`http://${host}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { host, origin: `http://${host}`, cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };
  const admin = api(ownerCookie);
  const category = (await admin('/admin/categories', { name: '茶' })).body as { category: { id: string } };
  const product = (await admin('/admin/products', { title: '龙井', categoryId: category.category.id, status: 'on', skus: [{ price: 10000, stock: 10_000_000 }] })).body as { skus: { id: string }[] };
  /** A member session minted straight into the shop, as the other benches do. */
  async function sessionFor(memberId: string) {
    const token = generateSessionToken();
    await db.execute({ sql: `INSERT INTO sessions (id, kind, subject_id, expires_at, created_at) VALUES (?, 'member', ?, ?, ?)`, args: [hashToken(token), memberId, now + 30 * 86_400_000, now] });
    return `tk_member=${token}`;
  }
  const buyerId = newId();
  const addressId = newId();
  await db.batch([
    { sql: `INSERT INTO members (id, username, nickname, channel, created_at, updated_at) VALUES (?, 'bench-buyer', '买家', 'h5', ?, ?)`, args: [buyerId, now, now] },
    { sql: `INSERT INTO addresses (id, member_id, name, phone, province, city, district, detail, is_default, created_at, updated_at) VALUES (?, ?, 'B', '13800000000', 'ZJ', 'HZ', '', '1', 1, ?, ?)`, args: [addressId, buyerId, now, now] },
    { sql: `INSERT INTO member_bindings (member_id, distributor_id, source, bound_at) VALUES (?, ?, 'link', ?)`, args: [buyerId, tree.deep, now] },
  ], 'write');
  return { t, db, tree, seedSeconds, api, sessionFor, buyer: api(await sessionFor(buyerId)), addressId, skuId: product.skus[0]!.id };
}

async function placeAndPay(shop: Shop, key: string) {
  const t0 = performance.now();
  const placed = await shop.buyer('/checkout/submit', { items: [{ skuId: shop.skuId, quantity: 1 }], addressId: shop.addressId, clientKey: key, expectedPayTotal: 10000 });
  const intentId = (placed.body as { payment?: { intentId: string } }).payment?.intentId;
  if (placed.status !== 201 || !intentId) throw new Error(`place failed: ${placed.status} ${JSON.stringify(placed.body)}`);
  const paid = await shop.buyer(`/payments/sandbox/${intentId}/complete`, { outcome: 'paid' });
  if (paid.status !== 200) throw new Error(`pay failed: ${paid.status}`);
  return performance.now() - t0;
}

/** Both shops in one loop, turn about, so whatever else the machine does weighs on both alike. */
async function interleavedPlaceAndPay(a: Shop, b: Shop, runs: number) {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs + 30; i++) {
    for (const [k, shop] of [a, b].entries()) {
      const ms = await placeAndPay(shop, `tree-key-${k}-${i}`);
      if (i >= 30) times[k]!.push(ms);
    }
  }
  for (const shop of [a, b]) {
    const earners = await shop.db.execute(`SELECT count(DISTINCT distributor_id) AS n FROM commissions WHERE status = 'pending'`);
    if (Number(earners.rows[0]!.n) !== 3) throw new Error('the sale did not pay three levels');
  }
  return times;
}

async function timed(runs: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** D4 at scale: place + pay through three levels, 1,000 vs 1,000,000 members; then the D10 queries at a million. */
export async function distributionAtScale() {
  const small = await distributionShop(1_000);
  const big = await distributionShop(1_000_000);
  report('tree-seed-1m-members', big.seedSeconds, 's');
  const [smallTimes, bigTimes] = await interleavedPlaceAndPay(small, big, 300);
  await small.t.close();
  report('place-and-pay-median-1k-members', median(smallTimes), 'ms');
  report('place-and-pay-median-1m-members', median(bigTimes), 'ms');
  report('place-and-pay-1m-vs-1k-ratio', median(bigTimes) / median(smallTimes), 'x (goal <= 1.2)');

  const root = big.api(await big.sessionFor(big.tree.biggest));
  const check = (r: { status: number }) => { if (r.status !== 200) throw new Error(`query failed: ${r.status}`); };
  for (const [name, path] of [
    ['leaderboard-all', '/distribution/leaderboard?period=all'],
    ['leaderboard-week', '/distribution/leaderboard?period=week'],
    ['team-level1-biggest', '/distribution/team?level=1'],
    ['team-level3-biggest', '/distribution/team?level=3'],
  ] as const) {
    const times = await timed(200, async () => check(await root(path)));
    report(`${name}-1m-median`, median(times), 'ms');
    report(`${name}-1m-p95`, quantile(times, 0.95), 'ms');
  }
  const teamSize = await big.db.execute({ sql: `SELECT direct_count, team_l3_count FROM distributors WHERE member_id = ?`, args: [big.tree.biggest] });
  report('team-biggest-level1-size', Number(teamSize.rows[0]!.direct_count), 'members');
  await big.t.close();
}

/** D9: withdrawal requests per second on one shop, and overdrafts under 1,000 concurrent requests. */
export async function withdrawalRace() {
  const shop = await distributionShop(1_000);
  const seller = shop.tree.deep;
  const cookie = await shop.sessionFor(seller);
  const api = shop.api(cookie);
  // The balance arrives as the product moves it: a settled ledger entry, applied to the wallet.
  const fund = async (amount: number) => {
    const batch = newId();
    await shop.db.batch([
      { sql: `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, available, created_at) VALUES (?, ?, ?, 'commission.settled', 'bench', ?, 0)`, args: [`${batch}:${seller}`, batch, seller, amount] },
      { sql: `UPDATE wallets SET available = available + ? WHERE distributor_id = ?`, args: [amount, seller] },
    ], 'write');
  };
  await fund(100_000);
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: 1000 }, () => api('/distribution/withdrawals', { amount: 150, method: 'wechat' })));
  const seconds = (performance.now() - t0) / 1000;
  const ok = results.filter((r) => r.status === 201).length;
  const wallet = (await shop.db.execute({ sql: `SELECT available, reserved FROM wallets WHERE distributor_id = ?`, args: [seller] })).rows[0]!;
  const overdrafts = Math.max(0, Number(wallet.reserved) - 100_000) + (Number(wallet.available) < 0 ? 1 : 0);
  if (ok !== Math.floor(100_000 / 150) || overdrafts !== 0) throw new Error(`overdraft: ${ok} succeeded, wallet ${JSON.stringify(wallet)}`);
  report('withdrawal-race-1000-concurrent-succeeded', ok, `requests (balance allows ${Math.floor(100_000 / 150)})`);
  report('withdrawal-race-overdrafts', overdrafts, 'overdrafts (must be 0)');
  report('withdrawal-race-requests-per-second', 1000 / seconds, 'req/s');
  await fund(10_000_000);
  const t1 = performance.now();
  let done = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (done < 2000) {
      done++;
      const r = await api('/distribution/withdrawals', { amount: 150, method: 'wechat' });
      if (r.status !== 201) throw new Error(`withdrawal failed: ${r.status}`);
    }
  }));
  report('withdrawal-requests-per-second', 2000 / ((performance.now() - t1) / 1000), 'req/s (16 clients, in process)');
  await shop.t.close();
}
