import type { PricingOperation } from '@tuike/plugin-sdk';
import { fixtureCart, runInterceptor, runPricing, runReservation } from '@tuike/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import type { FlashSaleState, LiveEntry } from './flash-state';
import { flashSale } from './index';

const now = Date.UTC(2026, 2, 1, 4);
const hour = 3_600_000;
const member = { id: 'm1' };

/** An entry of SKU `sku-1` (the fixture cart's first line): ¥59 instead of ¥99, 10 units, 2 each, live for an hour either side of `now`. */
function entry(extra: Partial<LiveEntry> = {}): LiveEntry {
  return { id: 'e1', activityId: 'a1', skuId: 'sku-1', flashPrice: 5_900, stock: 10, sold: 0, limitPerMember: 2, startsAt: now - hour, endsAt: now + hour, bought: 0, ...extra };
}
const state = (...entries: LiveEntry[]): FlashSaleState => ({ entries });
const cartOf = (quantity: number, unitPrice = 9_900) => fixtureCart({ lines: [{ unitPrice, quantity }] });

describe('pricing: the flash price for the units a member may have', () => {
  it('two units within the limit: each ¥40 off, one line discount of class flash with the entry as ref', () => {
    const r = runPricing(flashSale, { cart: cartOf(2), member, state: state(entry()), now });
    expect(r.operations).toEqual([{ kind: 'line_discount', lineId: 'l1', amount: 8_000, combinesWith: 'flash', priority: 100, ref: 'e1', label: { zh: '限时秒杀', en: 'Flash sale' } }]);
    expect(r.payTotal).toBe(2 * 5_900);
  });

  it('more than the per-member limit: only the allowed units get the flash price, the label says so', () => {
    const r = runPricing(flashSale, { cart: cartOf(3), member, state: state(entry()), now });
    expect(r.operations).toMatchObject([{ amount: 2 * 4_000, label: { zh: '限时秒杀（2 件秒杀价，其余原价）', en: 'Flash sale (2 at the flash price, the rest at list price)' } }]);
    expect(r.payTotal).toBe(2 * 5_900 + 9_900);
  });

  it('what the member already holds counts against the limit', () => {
    expect(runPricing(flashSale, { cart: cartOf(2), member, state: state(entry({ bought: 1 })), now }).discountTotal).toBe(4_000);
    expect(runPricing(flashSale, { cart: cartOf(2), member, state: state(entry({ bought: 2 })), now }).operations).toEqual([]);
  });

  it('fewer units left than wanted: only those', () => {
    expect(runPricing(flashSale, { cart: cartOf(2), member, state: state(entry({ sold: 9 })), now }).discountTotal).toBe(4_000);
    expect(runPricing(flashSale, { cart: cartOf(2), member, state: state(entry({ sold: 10 })), now }).operations).toEqual([]);
  });

  it('two lines of one SKU share the allowance', () => {
    const cart = fixtureCart({ lines: [{ unitPrice: 9_900, quantity: 1, skuId: 'sku-1' }, { unitPrice: 9_900, quantity: 2, skuId: 'sku-1', lineId: 'l2' }] });
    const r = runPricing(flashSale, { cart, member, state: state(entry()), now });
    expect(r.operations.map((o) => (o.kind === 'line_discount' ? [o.lineId, o.amount, o.ref] : null))).toEqual([['l1', 4_000, 'e1'], ['l2', 4_000, 'e1']]);
  });

  it('only lines of a live entry\'s SKU; other lines pay list price', () => {
    const cart = fixtureCart({ lines: [{ unitPrice: 9_900 }, { unitPrice: 3_000 }] });
    expect(runPricing(flashSale, { cart, member, state: state(entry()), now }).lines.map((l) => l.discount)).toEqual([4_000, 0]);
  });

  it('at most 16 SKUs of one order get the flash price, so their hold fits one reservation', () => {
    const entries = Array.from({ length: 20 }, (_, i) => entry({ id: `e${i + 1}`, skuId: `sku-${i + 1}` }));
    const cart = fixtureCart({ lines: entries.map(() => ({ unitPrice: 9_900 })) });
    const r = runPricing(flashSale, { cart, member, state: state(...entries), now });
    expect(r.operations.map((o) => o.ref)).toEqual(entries.slice(0, 16).map((e) => e.id));
    const reservation = runReservation(flashSale, { cart, member, state: state(...entries), now });
    expect(reservation?.statements).toHaveLength(48);
  });

  it('outside the window the state may still hold the entry: no flash price before it starts or from its end on', () => {
    const e = entry({ startsAt: now + 1 });
    expect(runPricing(flashSale, { cart: cartOf(1), member, state: state(e), now }).operations).toEqual([]);
    expect(runPricing(flashSale, { cart: cartOf(1), member, state: state(entry({ endsAt: now })), now }).operations).toEqual([]);
    expect(runPricing(flashSale, { cart: cartOf(1), member, state: state(entry({ endsAt: now })), now: now - 1 }).operations).toHaveLength(1);
  });

  it('a guest gets no flash price; no state (loadState failed) prices without flash sales', () => {
    expect(runPricing(flashSale, { cart: cartOf(1), member: null, state: state(entry()), now }).operations).toEqual([]);
    expect(runPricing(flashSale, { cart: cartOf(1), member, now }).operations).toEqual([]);
  });

  it('bad input: a flash price above the list price gives no discount operation, never a negative one', () => {
    const above = runPricing(flashSale, { cart: cartOf(2, 5_000), member, state: state(entry({ flashPrice: 5_900 })), now });
    expect(above.operations).toEqual([]);
    expect(above.payTotal).toBe(10_000);
    expect(runPricing(flashSale, { cart: cartOf(2, 5_900), member, state: state(entry()), now }).operations).toEqual([]);
    // One fen below the list price is still a discount.
    expect(runPricing(flashSale, { cart: cartOf(2, 5_901), member, state: state(entry()), now }).operations).toMatchObject([{ amount: 2 }]);
  });

  it('flash keeps its line against a coupon under the default stacking rules (separate lines)', () => {
    const cart = fixtureCart({ lines: [{ unitPrice: 9_900 }, { unitPrice: 3_000 }] });
    const coupon: PricingOperation = { kind: 'line_discount', lineId: 'l1', amount: 1_000, combinesWith: 'coupon', priority: 0, ref: 'c1', label: { zh: '券', en: 'Coupon' } };
    const onOther: PricingOperation = { ...coupon, lineId: 'l2', ref: 'c2', amount: 500 };
    const r = runPricing(flashSale, { cart, member, state: state(entry()), now, others: { coupons: [coupon] } });
    expect(r.applied.map((a) => [a.pluginId, a.lineId, a.amount])).toEqual([['flash-sale', 'l1', 4_000]]);
    const both = runPricing(flashSale, { cart, member, state: state(entry()), now, others: { coupons: [onOther] } });
    expect(both.lines.map((l) => l.discount)).toEqual([4_000, 500]);
  });
});

describe('willAddToCart: the sale\'s terms while it is live', () => {
  const sku = { skuId: 'sku-1', productId: 'p-1', categoryId: null, unitPrice: 9_900 };
  const add = (quantity: number, e: LiveEntry, who: { id: string } | null = member) => runInterceptor(flashSale, 'willAddToCart', { sku, quantity, member: who, state: state(e), now }).veto;

  it('within the limit and the units left: no veto', () => {
    expect(add(2, entry())).toBeNull();
    expect(add(1, entry({ bought: 1 }))).toBeNull();
  });

  it('past the member\'s limit: FLASH_SALE_LIMIT_REACHED, in both languages', () => {
    expect(add(3, entry())).toEqual({ code: 'FLASH_SALE_LIMIT_REACHED', message: { zh: '已超出该秒杀商品的每人限购数量', en: 'This exceeds the flash sale\'s limit per buyer' } });
    expect(add(2, entry({ bought: 1 }))?.code).toBe('FLASH_SALE_LIMIT_REACHED');
  });

  it('nothing left, or fewer left than the cart would hold: FLASH_SALE_SOLD_OUT', () => {
    expect(add(1, entry({ sold: 10 }))?.code).toBe('FLASH_SALE_SOLD_OUT');
    expect(add(2, entry({ sold: 9 }))?.code).toBe('FLASH_SALE_SOLD_OUT');
    expect(add(1, entry({ sold: 9 }))).toBeNull();
  });

  it('a guest is held to the units left, not to a limit that needs a member', () => {
    expect(add(5, entry(), null)).toBeNull();
    expect(add(1, entry({ sold: 10 }), null)?.code).toBe('FLASH_SALE_SOLD_OUT');
  });

  it('a SKU in no live sale, or a sale not yet started, is not ours to refuse', () => {
    expect(add(50, entry({ skuId: 'sku-other' }))).toBeNull();
    expect(add(50, entry({ startsAt: now + 1 }))).toBeNull();
  });
});

describe('reserveOrder: what the order holds', () => {
  it('holds the flash units: a guarded counter, the member counter and the purchase, each expected to change one row', () => {
    const r = runReservation(flashSale, { cart: cartOf(3), member, state: state(entry()), now, orderId: 'o1', orderNo: 'N1' });
    expect(r?.refusal.code).toBe('FLASH_SALE_SOLD_OUT');
    expect(r?.statements.map((s) => s.expect)).toEqual([1, 1, 1]);
    expect(r?.statements[0]).toMatchObject({ args: { e: 'e1', q: 2, price: 5_900, now } });
    expect(r?.statements[0]?.sql).toMatch(/sold \+ :q <= stock/);
    expect(r?.statements[1]).toMatchObject({ args: { e: 'e1', m: 'm1', q: 2 } });
    expect(r?.statements[2]).toMatchObject({ args: { e: 'e1', m: 'm1', q: 2, o: 'o1', no: 'N1', ol: 'ol1', paid: 2 * 5_900 + 9_900, now } });
  });

  it('holds nothing when no flash price applied', () => {
    expect(runReservation(flashSale, { cart: cartOf(1), member, state: state(), now })).toBeNull();
    expect(runReservation(flashSale, { cart: cartOf(1, 5_000), member, state: state(entry()), now })).toBeNull();
  });

  it('a flash price it cannot account for (no member, or the entry missing from state) is refused, never let through unheld', () => {
    const priced = { itemsTotal: 9_900, discountTotal: 4_000, shippingFee: 0, payTotal: 5_900, applied: [{ kind: 'line_discount' as const, amount: 4_000, ref: 'e1' }] };
    for (const fixture of [{ member: null, state: state(entry()) }, { member, state: state() }]) {
      const r = runReservation(flashSale, { cart: cartOf(1), now, priced, ...fixture });
      expect(r?.statements).toEqual([{ sql: expect.stringMatching(/sold > stock/), args: { e: 'e1' }, expect: 1 }]);
    }
  });
});
