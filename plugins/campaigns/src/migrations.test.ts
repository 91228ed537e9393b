import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign, openTestShop, type TestShop } from './test-shop';

/**
 * The table's constraints hold the rules on their own, whatever path a write takes: each bad row
 * fails with the constraint's own (prefixed) name. Rows are written through the plugin's database.
 */
let shop: TestShop;
beforeEach(async () => { shop = await openTestShop(); });
afterEach(() => shop.close());

const base = {
  id: 'c1', name: '满减', kind: 'tiered_reduction', priority: 0, starts_at: 1_000, ends_at: 2_000, scope: 'all', scope_ids: '[]',
  tiers: '[{"threshold":10000,"off":1000},{"threshold":20000,"off":3000}]', repeat_max_off: null, percent_off_bps: null,
  gift_threshold: null, gift_sku_id: null, gift_quantity: null, gift_name: null, created_at: 1, updated_at: 1,
};
async function insert(overrides: Record<string, string | number | null>) {
  const row = { ...base, ...overrides };
  const names = Object.keys(row);
  return shop.db.execute(`INSERT INTO plg_campaigns_campaigns (${names.join(', ')}) VALUES (${names.map((n) => `:${n}`).join(', ')})`, row);
}

describe('constraints of plg_campaigns_campaigns', () => {
  it('accepts a sound row (the baseline the others break)', async () => {
    await expect(insert({})).resolves.toMatchObject({ rowsAffected: 1 });
  });

  it('tiers that do not ascend fail plg_campaigns_tiers_ascend', async () => {
    await expect(insert({ tiers: '[{"threshold":20000,"off":3000},{"threshold":10000,"off":4000}]' })).rejects.toThrow(/plg_campaigns_tiers_ascend/);
    await expect(insert({ tiers: '[{"threshold":10000,"off":3000},{"threshold":20000,"off":2000}]' })).rejects.toThrow(/plg_campaigns_tiers_ascend/);
  });

  it('a reduction not below its threshold fails plg_campaigns_tiers_ascend, at any position', async () => {
    await expect(insert({ tiers: '[{"threshold":10000,"off":10000}]' })).rejects.toThrow(/plg_campaigns_tiers_ascend/);
    const nine = Array.from({ length: 9 }, (_, i) => ({ threshold: (i + 1) * 10_000, off: (i + 1) * 100 }));
    await expect(insert({ tiers: JSON.stringify([...nine, { threshold: 100_000, off: 100_000 }]) })).rejects.toThrow(/plg_campaigns_tiers_ascend/);
    await expect(insert({ tiers: JSON.stringify([...nine, { threshold: 100_000, off: 99_999 }]) })).resolves.toMatchObject({ rowsAffected: 1 });
  });

  it('more than ten tiers fail plg_campaigns_tiers_shape', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ threshold: (i + 1) * 10_000, off: (i + 1) * 100 }));
    await expect(insert({ tiers: JSON.stringify(eleven) })).rejects.toThrow(/plg_campaigns_tiers_shape/);
  });

  it('a discount outside 1..9900 bps fails plg_campaigns_discount_bps', async () => {
    const discount = { kind: 'discount', tiers: null };
    await expect(insert({ ...discount, percent_off_bps: 0 })).rejects.toThrow(/plg_campaigns_discount_bps/);
    await expect(insert({ ...discount, percent_off_bps: 9_901 })).rejects.toThrow(/plg_campaigns_discount_bps/);
  });

  it('a window ending before it starts fails plg_campaigns_window', async () => {
    await expect(insert({ starts_at: 2_000, ends_at: 1_000 })).rejects.toThrow(/plg_campaigns_window/);
  });

  it("scope 'products' with no ids fails plg_campaigns_scope_ids", async () => {
    await expect(insert({ scope: 'products', scope_ids: '[]' })).rejects.toThrow(/plg_campaigns_scope_ids/);
  });

  it('repeat over two tiers, or capped below one reduction, fails plg_campaigns_repeat', async () => {
    await expect(insert({ repeat_max_off: 5_000 })).rejects.toThrow(/plg_campaigns_repeat/);
    await expect(insert({ tiers: '[{"threshold":10000,"off":1000}]', repeat_max_off: 999 })).rejects.toThrow(/plg_campaigns_repeat/);
  });

  it("another kind's columns fail plg_campaigns_terms_by_kind", async () => {
    await expect(insert({ percent_off_bps: 2_000 })).rejects.toThrow(/plg_campaigns_terms_by_kind/);
  });

  it('what the admin route writes always satisfies them', async () => {
    await createCampaign(shop);
    await createCampaign(shop, { scope: { type: 'products', ids: ['p1'] }, terms: { kind: 'tiered_reduction', tiers: [{ threshold: 10_000, off: 1_000 }], repeat: { maxOff: 3_000 } } });
    await createCampaign(shop, { terms: { kind: 'gift', threshold: 19_900, skuId: 'sku-cup', giftName: '保温杯' } });
    expect((await shop.rows()).map((r) => r.kind)).toEqual(['tiered_reduction', 'tiered_reduction', 'gift']);
  });
});
