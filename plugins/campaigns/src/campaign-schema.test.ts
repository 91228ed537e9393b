import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignBody, day, errorCode, openTestShop, start, type TestShop } from './test-shop';

/**
 * Bad campaigns, each refused through the admin route the way the merchant meets it: 400 with
 * `CAMPAIGN_INVALID`, the issue by field, and nothing written.
 */
let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

type Issue = { path: string; message: string };
async function refused(overrides: Record<string, unknown>): Promise<Issue[]> {
  const res = await shop.call('POST', '/admin/campaigns', { staff: 's1', body: campaignBody(overrides) });
  expect(res.status).toBe(400);
  expect(errorCode(res)).toBe('CAMPAIGN_INVALID');
  expect(res.body).toMatchObject({ error: { message: { zh: '活动设置不正确', en: 'The campaign settings are not valid' } } });
  expect(await shop.rows()).toEqual([]);
  return (res.body as { error: { details: { issues: Issue[] } } }).error.details.issues;
}
const reduction = (tiers: { threshold: number; off: number }[], repeat: unknown = null) => ({ terms: { kind: 'tiered_reduction', tiers, repeat } });

describe('tiered reductions', () => {
  it('refuses tiers whose thresholds do not ascend', async () => {
    const issues = await refused(reduction([{ threshold: 20_000, off: 3_000 }, { threshold: 10_000, off: 4_000 }]));
    expect(issues).toContainEqual({ path: 'terms.tiers', message: 'tiers must ascend: each threshold above the one before' });
  });

  it('refuses two tiers with the same threshold', async () => {
    const issues = await refused(reduction([{ threshold: 10_000, off: 1_000 }, { threshold: 10_000, off: 2_000 }]));
    expect(issues.map((i) => i.message)).toContain('tiers must ascend: each threshold above the one before');
  });

  it('refuses a higher tier that takes off no more than the one below', async () => {
    const issues = await refused(reduction([{ threshold: 10_000, off: 3_000 }, { threshold: 20_000, off: 3_000 }]));
    expect(issues).toContainEqual({ path: 'terms.tiers', message: 'tiers must ascend: each reduction larger than the one before' });
  });

  it('refuses a reduction equal to its threshold (满100减100)', async () => {
    const issues = await refused(reduction([{ threshold: 10_000, off: 10_000 }]));
    expect(issues).toContainEqual({ path: 'terms.tiers.0', message: 'a reduction must be less than its threshold' });
  });

  it('refuses a reduction above its threshold, in any tier', async () => {
    const issues = await refused(reduction([{ threshold: 10_000, off: 1_000 }, { threshold: 20_000, off: 25_000 }]));
    expect(issues).toContainEqual({ path: 'terms.tiers.1', message: 'a reduction must be less than its threshold' });
  });

  it('refuses no tiers at all', async () => {
    expect((await refused(reduction([]))).map((i) => i.message)).toContain('give at least one tier');
  });

  it('refuses fractional fen', async () => {
    expect((await refused(reduction([{ threshold: 10_000.5, off: 1_000 }]))).map((i) => i.path)).toContain('terms.tiers.0.threshold');
  });

  it('refuses repeat (每满) over more than one tier', async () => {
    const issues = await refused(reduction([{ threshold: 10_000, off: 1_000 }, { threshold: 20_000, off: 3_000 }], { maxOff: 5_000 }));
    expect(issues.map((i) => i.message)).toContain('repeat (每满) takes exactly one tier');
  });

  it('refuses a repeat cap below one reduction', async () => {
    const issues = await refused(reduction([{ threshold: 10_000, off: 1_000 }], { maxOff: 999 }));
    expect(issues.map((i) => i.message)).toContain('the repeat cap must be at least one reduction');
  });
});

describe('discounts', () => {
  const discount = (percentOffBps: unknown) => ({ terms: { kind: 'discount', percentOffBps } });

  it('refuses 0 bps off (a discount that gives nothing)', async () => {
    expect((await refused(discount(0))).map((i) => i.path)).toEqual(['terms.percentOffBps']);
  });

  it('refuses 9901 bps off (more than 99 %)', async () => {
    expect((await refused(discount(9_901))).map((i) => i.path)).toEqual(['terms.percentOffBps']);
  });

  it('refuses 10000 bps off (free goods)', async () => {
    expect((await refused(discount(10_000))).map((i) => i.path)).toEqual(['terms.percentOffBps']);
  });

  it('refuses negative and fractional bps', async () => {
    expect((await refused(discount(-2_000))).map((i) => i.path)).toEqual(['terms.percentOffBps']);
    expect((await refused(discount(2_000.5))).map((i) => i.path)).toEqual(['terms.percentOffBps']);
  });

  it('accepts the bounds, 1 and 9900 bps', async () => {
    for (const bps of [1, 9_900]) {
      const res = await shop.call('POST', '/admin/campaigns', { staff: 's1', body: campaignBody(discount(bps)) });
      expect(res.status).toBe(201);
    }
    expect((await shop.rows()).map((r) => r.percent_off_bps)).toEqual([1, 9_900]);
  });
});

describe('windows and scopes', () => {
  it('refuses a window that ends before it starts', async () => {
    const issues = await refused({ window: { startsAt: start + 2 * day, endsAt: start + day } });
    expect(issues).toContainEqual({ path: 'window', message: 'the campaign must end after it starts' });
  });

  it('refuses a window that ends the moment it starts', async () => {
    const issues = await refused({ window: { startsAt: start + day, endsAt: start + day } });
    expect(issues.map((i) => i.message)).toContain('the campaign must end after it starts');
  });

  it('refuses a window already over when saved', async () => {
    expect(await refused({ window: { startsAt: start - 2 * day, endsAt: start } })).toEqual([{ path: 'window.endsAt', message: 'the campaign has already ended' }]);
  });

  it("refuses scope 'products' with no ids", async () => {
    expect(await refused({ scope: { type: 'products', ids: [] } })).toContainEqual({ path: 'scope.ids', message: 'name at least one id' });
  });

  it("refuses scope 'products' without an ids list", async () => {
    expect((await refused({ scope: { type: 'products' } })).map((i) => i.path)).toContain('scope.ids');
  });

  it("refuses scope 'categories' with no ids", async () => {
    expect(await refused({ scope: { type: 'categories', ids: [] } })).toContainEqual({ path: 'scope.ids', message: 'name at least one id' });
  });

  it('refuses repeated scope ids', async () => {
    expect((await refused({ scope: { type: 'products', ids: ['p1', 'p1'] } })).map((i) => i.message)).toContain('ids must not repeat');
  });
});

describe('gifts and the rest', () => {
  it('refuses a gift without a SKU or with a quantity out of 1–99', async () => {
    await refused({ terms: { kind: 'gift', threshold: 19_900, skuId: '  ' } });
    await refused({ terms: { kind: 'gift', threshold: 19_900, skuId: 'sku-cup', quantity: 0 } });
    await refused({ terms: { kind: 'gift', threshold: 19_900, skuId: 'sku-cup', quantity: 100 } });
  });

  it('refuses a gift with no threshold', async () => {
    expect((await refused({ terms: { kind: 'gift', threshold: 0, skuId: 'sku-cup' } })).map((i) => i.path)).toEqual(['terms.threshold']);
  });

  it('refuses an unknown kind, unknown fields and a missing body', async () => {
    await refused({ terms: { kind: 'bogo' } });
    await refused({ colour: 'red' });
    const res = await shop.call('POST', '/admin/campaigns', { staff: 's1' });
    expect([res.status, errorCode(res)]).toEqual([400, 'CAMPAIGN_INVALID']);
  });

  it('refuses a priority outside 0–1000', async () => {
    expect((await refused({ priority: 1_001 })).map((i) => i.path)).toEqual(['priority']);
    expect((await refused({ priority: -1 })).map((i) => i.path)).toEqual(['priority']);
  });
});
