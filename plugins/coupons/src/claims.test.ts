import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claim, createTemplate, day, errorCode, line, openTestShop, start, type TestShop } from './test-shop';

let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

const count = async (sql: string, args: (string | number)[] = []) => Number((await shop.client.execute({ sql, args })).rows[0]![0]);
const issued = (templateId: string) => count('SELECT issued FROM plg_coupons_templates WHERE id = ?', [templateId]);

describe('claiming under concurrency (the database holds the limits)', () => {
  it('50 simultaneous claims by one member with a limit of 3: exactly 3 succeed, 47 are refused with COUPON_LIMIT_REACHED', async () => {
    const t = await createTemplate(shop, { quantity: 1000, perMemberLimit: 3 });
    const results = await Promise.all(Array.from({ length: 50 }, () => shop.call('POST', `/templates/${t}/claim`, { member: 'm1' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status !== 201).map(errorCode)).toEqual(Array(47).fill('COUPON_LIMIT_REACHED'));
    expect(await count('SELECT count(*) FROM plg_coupons_member_coupons WHERE member_id = ?', ['m1'])).toBe(3);
    expect((await shop.rows('plg_coupons_member_coupons', 'claim_seq')).map((r) => r.claim_seq)).toEqual([1, 2, 3]);
    expect(await issued(t)).toBe(3);
  });

  it('200 simultaneous claims by 200 members of 120 coupons: 120 issued, never more, the rest COUPON_SOLD_OUT', async () => {
    const t = await createTemplate(shop, { quantity: 120, perMemberLimit: 1 });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => shop.call('POST', `/templates/${t}/claim`, { member: `m${i}` })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(120);
    expect(new Set(results.filter((r) => r.status !== 201).map(errorCode))).toEqual(new Set(['COUPON_SOLD_OUT']));
    expect(await count('SELECT count(*) FROM plg_coupons_member_coupons')).toBe(120);
    expect(await issued(t)).toBe(120);
  });

  it('many members, several attempts each, both limits at once: no member over 2, nobody over 150 in all', async () => {
    const t = await createTemplate(shop, { quantity: 150, perMemberLimit: 2 });
    const attempts = Array.from({ length: 400 }, (_, i) => `m${i % 100}`);
    const results = await Promise.all(attempts.map((m) => shop.call('POST', `/templates/${t}/claim`, { member: m })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(150);
    expect(await count('SELECT max(n) FROM (SELECT count(*) AS n FROM plg_coupons_member_coupons GROUP BY member_id)')).toBeLessThanOrEqual(2);
    expect(await issued(t)).toBe(150);
    expect(new Set(results.filter((r) => r.status !== 201).map(errorCode))).toEqual(new Set(['COUPON_SOLD_OUT', 'COUPON_LIMIT_REACHED']));
  });

  it('the constraints refuse a write that skips the route: a claim past the limit, a repeated claim number, one past the quantity', async () => {
    const t = await createTemplate(shop, { quantity: 2, perMemberLimit: 1 });
    await claim(shop, t, 'm1');
    const insert = (id: string, member: string, seq: number, limit = 1) => shop.db.execute(
      `INSERT INTO plg_coupons_member_coupons (id, template_id, member_id, claim_seq, claim_limit, valid_from, expires_at, claimed_at) VALUES (?, ?, ?, ?, ?, 0, 1, 0)`,
      [id, t, member, seq, limit],
    );
    await expect(insert('x1', 'm1', 2)).rejects.toThrow(/CHECK constraint failed: plg_coupons_claim_within_limit/);
    await expect(insert('x2', 'm1', 1)).rejects.toThrow(/UNIQUE constraint failed/);
    await insert('x3', 'm2', 1);
    await expect(insert('x4', 'm3', 1)).rejects.toThrow(/CHECK constraint failed: plg_coupons_issued_within_quantity/);
    expect(await issued(t)).toBe(2);
  });
});

describe('claiming: each refusal has its code, and a refused claim changes nothing', () => {
  it('beyond the limit: COUPON_LIMIT_REACHED, every plugin table unchanged', async () => {
    const t = await createTemplate(shop, { perMemberLimit: 1 });
    await claim(shop, t, 'm1');
    const before = await shop.snapshot();
    const res = await shop.call('POST', `/templates/${t}/claim`, { member: 'm1' });
    expect([res.status, errorCode(res)]).toEqual([409, 'COUPON_LIMIT_REACHED']);
    expect(res.body).toMatchObject({ error: { message: { zh: '您已达到该券的领取上限', en: expect.any(String) } } });
    expect(await shop.snapshot()).toEqual(before);
  });

  it('unknown, disabled, before and after the claim window, after an absolute validity ended', async () => {
    expect(errorCode(await shop.call('POST', '/templates/nope/claim', { member: 'm1' }))).toBe('COUPON_TEMPLATE_NOT_FOUND');
    const t = await createTemplate(shop, { claimWindow: { startsAt: start + day, endsAt: start + 2 * day } });
    expect(errorCode(await shop.call('POST', `/templates/${t}/claim`, { member: 'm1' }))).toBe('COUPON_CLAIM_NOT_STARTED');
    shop.clock.now = start + day;
    expect((await shop.call('POST', `/templates/${t}/claim`, { member: 'm1' })).status).toBe(201);
    shop.clock.now = start + 2 * day;
    expect(errorCode(await shop.call('POST', `/templates/${t}/claim`, { member: 'm2' }))).toBe('COUPON_CLAIM_ENDED');

    const absolute = await createTemplate(shop, { validity: { type: 'absolute', startsAt: start, endsAt: start + 3 * day } });
    shop.clock.now = start + 3 * day;
    expect(errorCode(await shop.call('POST', `/templates/${absolute}/claim`, { member: 'm1' }))).toBe('COUPON_CLAIM_ENDED');

    shop.clock.now = start;
    const off = await createTemplate(shop);
    await shop.call('POST', `/admin/templates/${off}/disable`, { staff: 's1' });
    expect(errorCode(await shop.call('POST', `/templates/${off}/claim`, { member: 'm1' }))).toBe('COUPON_TEMPLATE_DISABLED');
    await shop.call('POST', `/admin/templates/${off}/enable`, { staff: 's1' });
    expect((await shop.call('POST', `/templates/${off}/claim`, { member: 'm1' })).status).toBe(201);
  });

  it('only a signed-in member may claim', async () => {
    const t = await createTemplate(shop);
    expect((await shop.call('POST', `/templates/${t}/claim`, {})).status).toBe(401);
  });
});

describe('validity of claimed coupons', () => {
  it('N days from claiming ends at local midnight; an absolute window is the template\'s', async () => {
    const rel = await createTemplate(shop, { validity: { type: 'relative', days: 3 } });
    const abs = await createTemplate(shop, { validity: { type: 'absolute', startsAt: start - day, endsAt: start + 10 * day } });
    const res = await shop.call('POST', `/templates/${rel}/claim`, { member: 'm1' });
    // Claimed 2026-01-01 12:00 Shanghai; 3 days → through Jan 3, expires 2026-01-04 00:00 +08:00.
    expect(res.body).toMatchObject({ coupon: { validFrom: start, expiresAt: Date.UTC(2026, 0, 3, 16), status: 'available' } });
    expect((await shop.call('POST', `/templates/${abs}/claim`, { member: 'm1' })).body).toMatchObject({ coupon: { validFrom: start - day, expiresAt: start + 10 * day } });
  });

  it('an expired coupon is not usable: not loaded for pricing, listed as expired, vetoed if chosen', async () => {
    const t = await createTemplate(shop, { validity: { type: 'relative', days: 1 } });
    const c = await claim(shop, t, 'm1');
    const cart = [line('l1', 12_000)];
    expect((await shop.loadState('m1', cart)).coupons.map((x) => x.id)).toEqual([c]);

    shop.clock.now = Date.UTC(2026, 0, 1, 16); // local midnight: day 1 is over
    const state = await shop.loadState('m1', cart, { memberCouponId: c });
    expect(state).toEqual({ coupons: [], chosen: { id: c, problem: 'expired' } });
    const mine = await shop.call('GET', '/mine', { member: 'm1', query: { status: 'expired' } });
    expect(mine.body).toMatchObject({ coupons: [{ id: c, status: 'expired' }], counts: { available: 0, expired: 1 } });
    const usable = await shop.call('POST', '/usable', { member: 'm1', body: { lines: cart } });
    expect(usable.body).toEqual({ bestId: null, coupons: [] });
  });
});

describe('the claim centre and my coupons', () => {
  it('lists what can be claimed now, with the member\'s claims, and hides sold-out, disabled and ended templates', async () => {
    const open = await createTemplate(shop, { name: '开放', perMemberLimit: 2 });
    const soldOut = await createTemplate(shop, { name: '售罄', quantity: 1 });
    const disabled = await createTemplate(shop, { name: '停用' });
    await claim(shop, soldOut, 'm9');
    await shop.call('POST', `/admin/templates/${disabled}/disable`, { staff: 's1' });
    await claim(shop, open, 'm1');

    const asMember = await shop.call('GET', '/claim-centre', { member: 'm1' });
    expect(asMember.body).toMatchObject({ visible: true, templates: [{ id: open, claimed: 1, canClaim: true, remaining: 99, summary: { zh: '满100减20' } }] });
    const asGuest = await shop.call('GET', '/claim-centre');
    expect(asGuest.body).toMatchObject({ templates: [{ id: open, claimed: null, canClaim: true }] });
    await claim(shop, open, 'm1');
    expect((await shop.call('GET', '/claim-centre', { member: 'm1' })).body).toMatchObject({ templates: [{ id: open, claimed: 2, canClaim: false }] });
  });

  it('narrows to a product and its category for the product page', async () => {
    const shoes = await createTemplate(shop, { scope: { type: 'categories', ids: ['shoes'] } });
    const p7 = await createTemplate(shop, { scope: { type: 'products', ids: ['p7'] } });
    const all = await createTemplate(shop);
    const ids = async (query: Record<string, string>) => ((await shop.call('GET', '/claim-centre', { query })).body as { templates: { id: string }[] }).templates.map((t) => t.id).sort();
    expect(await ids({ productId: 'p7', categoryId: 'hats' })).toEqual([p7, all].sort());
    expect(await ids({ productId: 'p1', categoryId: 'shoes' })).toEqual([shoes, all].sort());
    expect(errorCode(await shop.call('GET', '/claim-centre', { query: { colour: 'red' } }))).toBe('COUPON_QUERY_INVALID');
  });

  it('lists nothing when the merchant hides the claim centre, while a shared link still claims', async () => {
    shop.settings.showClaimCentre = false;
    const t = await createTemplate(shop);
    expect((await shop.call('GET', '/claim-centre')).body).toEqual({ visible: false, templates: [] });
    expect((await shop.call('GET', `/templates/${t}`)).body).toMatchObject({ template: { id: t, canClaim: true } });
    expect((await shop.call('POST', `/templates/${t}/claim`, { member: 'm1' })).status).toBe(201);
  });

  it('my coupons by status, and which fit a cart (best first)', async () => {
    const big = await createTemplate(shop, { name: 'big', terms: { kind: 'threshold', amountOff: 3000, threshold: 20_000 } });
    const small = await createTemplate(shop, { name: 'small', terms: { kind: 'fixed', amountOff: 500 } });
    const hats = await createTemplate(shop, { name: 'hats', terms: { kind: 'fixed', amountOff: 800 }, scope: { type: 'categories', ids: ['hats'] } });
    const [cBig, cSmall, cHats] = [await claim(shop, big, 'm1'), await claim(shop, small, 'm1'), await claim(shop, hats, 'm1')];
    await claim(shop, small, 'm2');

    expect((await shop.call('GET', '/mine', { member: 'm1' })).body).toMatchObject({ status: 'available', counts: { available: 3, locked: 0, used: 0, expired: 0 } });
    expect(errorCode(await shop.call('GET', '/mine', { member: 'm1', query: { status: 'lost' } }))).toBe('COUPON_QUERY_INVALID');

    const res = await shop.call('POST', '/usable', { member: 'm1', body: { lines: [line('l1', 15_000, { categoryId: 'shoes' })] } });
    const body = res.body as { bestId: string; coupons: { id: string; usable: boolean; discount: number; problem: string | null }[] };
    expect(body.bestId).toBe(cSmall);
    // Usable first; the two that do not fit (equal discounts, equal expiry) follow in id order.
    expect(body.coupons[0]).toMatchObject({ id: cSmall, usable: true, discount: 500, problem: null });
    expect(body.coupons.slice(1).map((c) => c.id)).toEqual([cBig, cHats].sort());
    expect(Object.fromEntries(body.coupons.slice(1).map((c) => [c.id, [c.usable, c.discount, c.problem]]))).toEqual({
      [cBig]: [false, 0, 'COUPON_THRESHOLD_NOT_MET'],
      [cHats]: [false, 0, 'COUPON_NOT_APPLICABLE'],
    });
    expect((await shop.call('POST', '/usable', { member: 'm1', body: { lines: [{ lineId: 'l1', unitPrice: -1 }] } })).status).toBe(400);
  });
});
