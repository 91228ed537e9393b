import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { CartLine, OfferClass, PricingOperation } from './hooks';
import { resolvePricing, stackingRules, stackingRulesSchema, type ResolvedPricing } from './stacking';

const label = { zh: '优惠', en: 'Offer' };
const cart = (...totals: number[]): CartLine[] => totals.map((unitPrice, i) => ({ lineId: `l${i + 1}`, skuId: `s${i + 1}`, productId: `p${i + 1}`, categoryId: null, quantity: 1, unitPrice }));
const line = (lineId: string, amount: number, combinesWith: OfferClass = 'campaign', priority = 0, ref?: string): PricingOperation => ({ kind: 'line_discount', lineId, amount, label, combinesWith, priority, ...(ref ? { ref } : {}) });
const order = (amount: number, combinesWith: OfferClass = 'coupon', priority = 0, ref?: string): PricingOperation => ({ kind: 'order_discount', amount, label, combinesWith, priority, ...(ref ? { ref } : {}) });
const ship = (amount: number, combinesWith: OfferClass = 'campaign'): PricingOperation => ({ kind: 'shipping_discount', amount, label, combinesWith, priority: 0 });
const points = (pts: number, amount: number): PricingOperation => ({ kind: 'points_redemption', points: pts, amount, label, combinesWith: 'points', priority: 0 });

/** Invariants every resolution keeps, whatever the plugins said. */
function expectConsistent(r: ResolvedPricing) {
  for (const l of r.lines) {
    expect(l.discount).toBeGreaterThanOrEqual(0);
    expect(l.paidAmount).toBeGreaterThanOrEqual(0);
    expect(l.paidAmount + l.discount).toBe(l.lineTotal);
    expect(Number.isSafeInteger(l.discount)).toBe(true);
  }
  expect(r.discountTotal).toBe(r.lines.reduce((a, l) => a + l.discount, 0));
  expect(r.payTotal).toBe(r.lines.reduce((a, l) => a + l.paidAmount, 0) + r.shippingFee);
  expect(r.payTotal).toBeGreaterThanOrEqual(0);
  expect(r.shippingFee).toBeGreaterThanOrEqual(0);
  expect(r.applied.filter((a) => a.kind !== 'shipping_discount').reduce((a, x) => a + x.amount, 0)).toBe(r.discountTotal);
  for (const a of r.applied) if (a.allocation) expect(a.allocation.reduce((s, x) => s + x.amount, 0)).toBe(a.amount);
}

describe('bad plugin output is set aside whole, with the reason', () => {
  it('a negative amount', () => {
    const r = resolvePricing(cart(5000), 0, { bad: [line('l1', 100), order(-500)], good: [order(300, 'campaign')] });
    expect(r.rejected).toEqual([{ pluginId: 'bad', index: 1, reason: expect.stringContaining('negative') }]);
    expect(r.applied.map((a) => a.pluginId)).toEqual(['good']);
    expect(r.payTotal).toBe(4700);
  });

  it('a discount on a line that is not in the cart', () => {
    const r = resolvePricing(cart(5000), 0, { ghost: [line('l9', 100)] });
    expect(r.rejected).toEqual([{ pluginId: 'ghost', index: 0, reason: expect.stringContaining('"l9", which is not in the cart') }]);
    expect(r.payTotal).toBe(5000);
  });

  it('a fractional amount, more off a line than it is worth, more off the order or shipping than there is', () => {
    const cases: [string, PricingOperation][] = [
      ['whole number of fen', line('l1', 10.5)],
      ['worth 5000', line('l1', 5001)],
      ['items worth 5000', order(5001)],
      ['shipping of 800', ship(801)],
      ['items worth 5000', points(100, 5001)],
    ];
    for (const [why, op] of cases) {
      const r = resolvePricing(cart(5000), 800, { p: [op] });
      expect(r.rejected, why).toEqual([{ pluginId: 'p', index: 0, reason: expect.stringContaining(why) }]);
      expect(r.payTotal).toBe(5800);
    }
  });

  it('output that is not a list of well-formed operations', () => {
    const junk: unknown[] = [
      null,
      { kind: 'order_discount', amount: 1 },
      [{ kind: 'free_money', amount: 1, label, combinesWith: 'coupon', priority: 0 }],
      [{ ...order(100), combinesWith: 'vip' }],
      [{ ...order(100), label: { zh: '', en: 'x' } }],
      [{ ...order(100), priority: 0.5 }],
      [{ ...order(100), extra: true }],
      Array.from({ length: 201 }, () => order(1)),
    ];
    for (const output of junk) expect(resolvePricing(cart(5000), 0, { p: output }).rejected).toHaveLength(1);
  });

  it('refuses bad platform input loudly instead of pricing it', () => {
    expect(() => resolvePricing([...cart(100), ...cart(100)], 0, {})).toThrow(/twice/);
    expect(() => resolvePricing([{ ...cart(100)[0]!, quantity: 0 }], 0, {})).toThrow(/quantity/);
    expect(() => resolvePricing(cart(100), -1, {})).toThrow(/shipping/);
  });
});

describe('totals never go below zero', () => {
  it('caps stacked discounts at the line, the order and the shipping fee', () => {
    const r = resolvePricing(cart(1000, 500), 600, {
      flash: [line('l1', 900, 'flash')],
      campaign: [line('l1', 1000, 'campaign'), line('l2', 500, 'campaign'), ship(600)],
      coupon: [order(1500, 'coupon')],
      points: [points(1500, 1500)],
      freeship: [ship(600, 'coupon')],
    }, { rules: stackingRules({ pairs: [{ classes: ['campaign', 'flash'], rule: 'stack' }] }) });
    expectConsistent(r);
    expect(r.lines.map((l) => l.paidAmount)).toEqual([0, 0]);
    expect(r.shippingFee).toBe(0);
    expect(r.payTotal).toBe(0);
  });

  it('holds for random valid offers from many plugins', () => {
    let seed = 7;
    const rnd = (max: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % max; };
    const classes: OfferClass[] = ['exclusive', 'flash', 'member', 'campaign', 'coupon', 'points'];
    for (let n = 0; n < 400; n++) {
      const lines = cart(...Array.from({ length: 1 + rnd(5) }, () => 1 + rnd(20_000)));
      const items = lines.reduce((a, l) => a + l.unitPrice, 0);
      const fee = rnd(3) * 500;
      const byPlugin: Record<string, PricingOperation[]> = {};
      for (let p = 0; p < 1 + rnd(5); p++) {
        byPlugin[`p${p}`] = Array.from({ length: 1 + rnd(4) }, () => {
          const cls = classes[rnd(classes.length)]!;
          switch (rnd(4)) {
            case 0: { const l = lines[rnd(lines.length)]!; return line(l.lineId, rnd(l.unitPrice + 1), cls, rnd(3)); }
            case 1: return order(rnd(items + 1), cls, rnd(3));
            case 2: return ship(rnd(fee + 1), cls);
            default: return points(1 + rnd(1000), rnd(items + 1));
          }
        });
      }
      const r = resolvePricing(lines, fee, byPlugin);
      expect(r.rejected).toEqual([]);
      expectConsistent(r);
    }
  });
});

describe('order-level amounts spread over lines exactly to the fen', () => {
  it('floors each share, puts the leftover on the largest line and reports the allocation', () => {
    const r = resolvePricing(cart(3333, 3333, 3334), 0, { c: [order(1000)] });
    expect(r.lines.map((l) => l.discount)).toEqual([333, 333, 334]);
    expect(r.applied[0]!.allocation).toEqual([{ lineId: 'l1', amount: 333 }, { lineId: 'l2', amount: 333 }, { lineId: 'l3', amount: 334 }]);
    expectConsistent(r);
  });

  it('spreads on what lines have left after line discounts', () => {
    const r = resolvePricing(cart(6000, 4000), 0, { camp: [line('l1', 4000)], c: [order(1500)] });
    // Left: 2000 and 4000 → 500 and 1000.
    expect(r.lines.map((l) => l.paidAmount)).toEqual([1500, 3000]);
  });
});

describe('the same input gives the same output whatever the plugin order', () => {
  it('for equal-priority, equal-value offers of one class, and for shuffled plugin maps', () => {
    const outputs: Record<string, PricingOperation[]> = {
      zeta: [order(500, 'coupon', 0, 'same')],
      alpha: [order(500, 'coupon', 0, 'same')],
      mid: [line('l1', 300, 'flash'), ship(200)],
      pts: [points(100, 100)],
    };
    const first = resolvePricing(cart(4000, 2000), 500, outputs);
    expect(first.applied.find((a) => a.combinesWith === 'coupon')!.pluginId).toBe('alpha');
    const permutations = (xs: string[]): string[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest])));
    const all = permutations(Object.keys(outputs));
    expect(all).toHaveLength(24);
    for (const order of all) {
      const again = resolvePricing(cart(4000, 2000), 500, Object.fromEntries(order.map((k) => [k, outputs[k]!])));
      expect(again).toEqual(first);
    }
  });
});

describe('stacking rules', () => {
  it('lets one coupon through: the highest priority, then the larger amount', () => {
    const r = resolvePricing(cart(10_000), 0, { a: [order(800, 'coupon', 0, 'big')], b: [order(300, 'coupon', 5, 'urgent')], c: [order(900, 'coupon', 0, 'bigger')] });
    expect(r.applied.map((a) => a.ref)).toEqual(['urgent']);
    expect(r.unapplied.map((u) => [u.ref, u.reason])).toEqual([['big', 'outranked'], ['bigger', 'outranked']]);
  });

  it('keeps the best campaign per line and lets campaigns on different lines stack', () => {
    const r = resolvePricing(cart(5000, 5000), 0, { a: [line('l1', 500), line('l2', 100)], b: [line('l1', 700)] });
    expect(r.lines.map((l) => l.discount)).toEqual([700, 100]);
  });

  it('stacks coupon and campaign by default', () => {
    const r = resolvePricing(cart(10_000), 0, { camp: [order(1000, 'campaign')], coupon: [order(500, 'coupon')] });
    expect(r.discountTotal).toBe(1500);
    expect(r.classes).toEqual(['campaign', 'coupon']);
  });

  it('keeps a coupon off a flash-sale line: its order discount lands on the other lines, its line discount is refused', () => {
    const r = resolvePricing(cart(5000, 5000), 0, { flash: [line('l1', 2000, 'flash')], coupon: [order(1000, 'coupon')] });
    expect(r.lines.map((l) => l.discount)).toEqual([2000, 1000]);
    const s = resolvePricing(cart(5000, 5000), 0, { flash: [line('l1', 2000, 'flash')], coupon: [line('l1', 500, 'coupon')], camp: [line('l2', 100)] });
    expect(s.lines.map((l) => l.discount)).toEqual([2000, 100]);
    expect(s.unapplied).toEqual([{ pluginId: 'coupon', index: 0, kind: 'line_discount', ref: null, reason: 'not-combinable' }]);
  });

  it('applies an exclusive offer alone when it saves more than the best stack', () => {
    const r = resolvePricing(cart(10_000), 500, { vip: [order(3000, 'exclusive')], camp: [order(1000, 'campaign')], coupon: [order(1000, 'coupon')], pts: [points(100, 100)] });
    expect(r.classes).toEqual(['exclusive']);
    expect(r.discountTotal).toBe(3000);
    expect(r.unapplied.every((u) => u.reason === 'not-combinable')).toBe(true);
  });

  it('drops an exclusive offer that saves less than the stack, and prefers the stack on a tie', () => {
    const less = resolvePricing(cart(10_000), 0, { vip: [order(1500, 'exclusive')], camp: [order(1000, 'campaign')], coupon: [order(1000, 'coupon')] });
    expect(less.classes).toEqual(['campaign', 'coupon']);
    const tie = resolvePricing(cart(10_000), 0, { vip: [order(2000, 'exclusive')], camp: [order(1000, 'campaign')], coupon: [order(1000, 'coupon')] });
    expect(tie.classes).toEqual(['campaign', 'coupon']);
    const tieOfOne = resolvePricing(cart(10_000), 0, { vip: [order(1000, 'exclusive')], tier: [order(1000, 'member')] });
    expect(tieOfOne.classes).toEqual(['member']);
  });

  it('follows a shop that forbids coupon with campaign: the better of the two applies', () => {
    const rules = stackingRules({ pairs: [{ classes: ['coupon', 'campaign'], rule: 'never' }] });
    const r = resolvePricing(cart(10_000), 0, { camp: [order(1000, 'campaign')], coupon: [order(1200, 'coupon')], pts: [points(50, 50)] }, { rules });
    expect(r.classes).toEqual(['coupon', 'points']);
    expect(r.discountTotal).toBe(1250);
  });

  it('follows a shop that lets every coupon through', () => {
    const r = resolvePricing(cart(10_000), 0, { a: [order(100, 'coupon')], b: [order(200, 'coupon')] }, { rules: stackingRules({ pick: { coupon: 'all' } }) });
    expect(r.discountTotal).toBe(300);
  });

  it('validates a shop\'s rules before use', () => {
    expect(v.safeParse(stackingRulesSchema, { pairs: [{ classes: ['coupon', 'coupon'], rule: 'never' }] }).success).toBe(false);
    expect(v.safeParse(stackingRulesSchema, { pairs: [{ classes: ['coupon', 'exclusive'], rule: 'stack' }] }).success).toBe(false);
    expect(v.safeParse(stackingRulesSchema, { pick: { coupon: 'all' } }).success).toBe(true);
  });
});

describe('shipping, points and gifts', () => {
  it('never discounts more shipping than the fee, however many offers', () => {
    const r = resolvePricing(cart(1000), 800, { a: [ship(800, 'campaign')], b: [ship(500, 'coupon')] });
    expect(r.shippingDiscount).toBe(800);
    expect(r.shippingFee).toBe(0);
    expect(r.unapplied.map((u) => u.reason)).toEqual(['nothing-left']);
  });

  it('charges fewer points, rounded up, when the offset is capped by what is left', () => {
    const r = resolvePricing(cart(1000), 0, { camp: [order(700, 'campaign')], pts: [points(1000, 1000)] });
    expect(r.pointsAmount).toBe(300);
    expect(r.pointsUsed).toBe(300);
    const odd = resolvePricing(cart(1000), 0, { camp: [order(700, 'campaign')], pts: [points(333, 1000)] });
    expect(odd.pointsUsed).toBe(100); // ⌈333 × 300 / 1000⌉ = ⌈99.9⌉
    expect(odd.payTotal).toBe(0);
  });

  it('passes gifts through with their plugin and ref', () => {
    const r = resolvePricing(cart(1000), 0, { gift: [{ kind: 'gift', skuId: 'mug', quantity: 1, label, combinesWith: 'campaign', priority: 0, ref: 'g1' }] });
    expect(r.gifts).toEqual([{ pluginId: 'gift', skuId: 'mug', quantity: 1, label, ref: 'g1' }]);
    expect(r.payTotal).toBe(1000);
  });
});
