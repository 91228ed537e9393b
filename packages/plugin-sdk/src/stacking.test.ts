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

describe('an offer is every operation one plugin gives under one ref', () => {
  const withRef = (ref: string, ...ops: PricingOperation[]): PricingOperation[] => ops.map((op) => ({ ...op, ref }));
  const gift = (skuId: string, combinesWith: OfferClass = 'campaign'): PricingOperation => ({ kind: 'gift', skuId, quantity: 1, label, combinesWith, priority: 0 });
  const outranked = (r: ResolvedPricing) => r.unapplied.filter((u) => u.reason === 'outranked').map((u) => [u.pluginId, u.index]);
  const appliedAmounts = (r: ResolvedPricing) => r.applied.map((a) => [a.pluginId, a.index, a.amount]);

  describe("pick 'one' (coupons by default): the best offer, whole", () => {
    it('applies a ¥20 coupon spread as ¥16 + ¥4 line discounts in full, not just the ¥16', () => {
      const r = resolvePricing(cart(10_000, 2_500, 5_000), 0, { coupons: withRef('c1', line('l1', 1600, 'coupon'), line('l2', 400, 'coupon')) });
      expect(r.lines.map((l) => l.discount)).toEqual([1600, 400, 0]);
      expect(r.discountTotal).toBe(2000);
      expect(r.unapplied).toEqual([]);
      expectConsistent(r);
    });

    it('ranks offers by their total: ¥16 + ¥4 beats a single ¥18, a single ¥25 beats both parts', () => {
      const spread = withRef('c1', line('l1', 1600, 'coupon'), line('l2', 400, 'coupon'));
      const r = resolvePricing(cart(10_000, 2_500), 0, { a: spread, b: [order(1800, 'coupon', 0, 'c2')] });
      expect(appliedAmounts(r)).toEqual([['a', 0, 1600], ['a', 1, 400]]);
      expect(outranked(r)).toEqual([['b', 0]]);
      const s = resolvePricing(cart(10_000, 2_500), 0, { a: spread, b: [order(2500, 'coupon', 0, 'c2')] });
      expect(appliedAmounts(s)).toEqual([['b', 0, 2500]]);
      expect(outranked(s)).toEqual([['a', 0], ['a', 1]]);
    });

    it('puts priority before value, an offer taking the highest priority of its operations', () => {
      const r = resolvePricing(cart(10_000, 2_500), 0, {
        a: [line('l1', 1600, 'coupon', 0, 'c1'), line('l2', 400, 'coupon', 3, 'c1')],
        b: [order(5000, 'coupon', 2, 'big')],
      });
      expect(r.lines.map((l) => l.discount)).toEqual([1600, 400]);
      expect(outranked(r)).toEqual([['b', 0]]);
    });

    it('breaks ties between equal offers by plugin id, then ref, then position', () => {
      // Same ref in two plugins: two offers; equal priority and total → plugin id.
      const byPlugin = resolvePricing(cart(5000, 5000), 0, {
        zeta: withRef('x', line('l1', 1500, 'coupon'), line('l2', 500, 'coupon')),
        alpha: withRef('x', line('l1', 500, 'coupon'), line('l2', 1500, 'coupon')),
      });
      expect(byPlugin.lines.map((l) => l.discount)).toEqual([500, 1500]);
      expect(outranked(byPlugin)).toEqual([['zeta', 0], ['zeta', 1]]);
      // One plugin, two refs of equal total → ref order, whatever the position.
      const byRef = resolvePricing(cart(5000, 5000), 0, { p: [...withRef('b', line('l1', 600, 'coupon'), line('l2', 400, 'coupon')), ...withRef('a', line('l1', 300, 'coupon'), line('l2', 700, 'coupon'))] });
      expect(byRef.lines.map((l) => l.discount)).toEqual([300, 700]);
      expect(byRef.applied.map((a) => a.ref)).toEqual(['a', 'a']);
      // No ref sorts before any ref.
      const noRefFirst = resolvePricing(cart(5000), 0, { p: [order(1000, 'coupon', 0, 'r'), order(1000, 'coupon')] });
      expect(appliedAmounts(noRefFirst)).toEqual([['p', 1, 1000]]);
      // Operations without a ref stay offers of their own, as before: one of them, the first.
      const loose = resolvePricing(cart(5000, 5000), 0, { p: [line('l1', 1000, 'coupon'), line('l2', 1000, 'coupon')] });
      expect(loose.lines.map((l) => l.discount)).toEqual([1000, 0]);
      expect(outranked(loose)).toEqual([['p', 1]]);
    });

    it('keeps an offer whole even when it puts two operations on one line (the line cap still applies)', () => {
      const r = resolvePricing(cart(5000), 0, { p: withRef('c', line('l1', 3000, 'coupon'), line('l1', 3000, 'coupon')) });
      expect(appliedAmounts(r)).toEqual([['p', 0, 3000], ['p', 1, 2000]]);
      expect(r.payTotal).toBe(0);
      expectConsistent(r);
    });

    it('applies an exclusive offer spread over lines whole, and weighs it whole against the stack', () => {
      const r = resolvePricing(cart(5000, 5000), 0, { vip: withRef('v', line('l1', 1500, 'exclusive'), line('l2', 1500, 'exclusive')), camp: [order(2500, 'campaign')] });
      expect(r.classes).toEqual(['exclusive']);
      expect(r.lines.map((l) => l.discount)).toEqual([1500, 1500]);
      expect(r.unapplied).toEqual([{ pluginId: 'camp', index: 0, kind: 'order_discount', ref: null, reason: 'not-combinable' }]);
    });

    it('judges a ref used in several classes per class: each class sees its own part', () => {
      const r = resolvePricing(cart(10_000, 5_000), 800, {
        shop: [line('l1', 1000, 'coupon', 0, 'k'), line('l2', 500, 'coupon', 0, 'k'), { ...ship(300, 'campaign'), ref: 'k' }],
        freeship: [ship(500, 'campaign')],
      });
      // Campaign (one per target): the ¥5 shipping offer beats the ¥3 part of `k`; the coupon part of `k` still applies whole.
      expect(r.lines.map((l) => l.discount)).toEqual([1000, 500]);
      expect(r.shippingDiscount).toBe(500);
      expect(r.unapplied).toEqual([{ pluginId: 'shop', index: 2, kind: 'shipping_discount', ref: 'k', reason: 'outranked' }]);
    });
  });

  describe("pick 'one-per-target' (flash, member, campaign by default): at most one offer per target", () => {
    it('lets a multi-line offer hold all its lines, and offers on other targets stack with it', () => {
      const r = resolvePricing(cart(5000, 5000, 5000), 0, { a: withRef('A', line('l1', 500), line('l2', 500)), b: [line('l2', 700)], c: [line('l3', 300)] });
      expect(r.lines.map((l) => l.discount)).toEqual([500, 500, 300]);
      expect(outranked(r)).toEqual([['b', 0]]);
    });

    it('outranks an offer whole when a better offer holds any of its targets, and leaves its other targets free', () => {
      const r = resolvePricing(cart(5000, 5000, 5000), 0, {
        a: withRef('A', line('l1', 500), line('l2', 500)),
        b: [line('l2', 700, 'campaign', 1)],
        d: [line('l1', 200)],
      });
      // b (priority 1) holds l2, so A is out — on l1 too; d, worse than A, takes l1 because A holds nothing.
      expect(r.lines.map((l) => l.discount)).toEqual([200, 700, 0]);
      expect(outranked(r)).toEqual([['a', 0], ['a', 1]]);
    });

    it('counts order, shipping, points and gift SKUs as targets too', () => {
      const r = resolvePricing(cart(5000), 800, {
        x: withRef('X', order(300, 'campaign'), ship(200)),
        y: [ship(400)],
        z: withRef('Z', order(100, 'campaign'), gift('mug')),
        g: [gift('cup')],
        pts: withRef('P', points(100, 100), points(50, 50)),
        pts2: [{ ...points(120, 120), ref: 'Q' }],
      }, { rules: stackingRules({ pick: { points: 'one-per-target' } }) });
      // X (¥5) beats y (¥4) for shipping and z for the order; z's gift goes with it. P (¥1.50) beats Q (¥1.20).
      expect(r.discountTotal).toBe(300 + 150);
      expect(r.shippingDiscount).toBe(200);
      expect(r.pointsUsed).toBe(150);
      expect(r.gifts.map((g) => g.skuId)).toEqual(['cup']);
      expect(outranked(r)).toEqual([['pts2', 0], ['y', 0], ['z', 0], ['z', 1]]);
      expectConsistent(r);
    });

    it('breaks a tie between overlapping offers by plugin id, and drops the loser whole', () => {
      const outputs = { zeta: withRef('y', line('l2', 600), line('l3', 400)), alpha: withRef('x', line('l1', 500), line('l2', 500)) };
      const r = resolvePricing(cart(5000, 5000, 5000), 0, outputs);
      expect(r.lines.map((l) => l.discount)).toEqual([500, 500, 0]);
      expect(outranked(r)).toEqual([['zeta', 0], ['zeta', 1]]);
      expect(resolvePricing(cart(5000, 5000, 5000), 0, { alpha: outputs.alpha, zeta: outputs.zeta })).toEqual(r);
    });

    it('applies a coupon spread over lines whole when the shop picks coupons per target', () => {
      const r = resolvePricing(cart(10_000, 2_500), 0, { a: withRef('c1', line('l1', 1600, 'coupon'), line('l2', 400, 'coupon')), b: [line('l2', 300, 'coupon', 0, 'c2')] }, { rules: stackingRules({ pick: { coupon: 'one-per-target' } }) });
      expect(r.lines.map((l) => l.discount)).toEqual([1600, 400]);
      expect(outranked(r)).toEqual([['b', 0]]);
    });
  });

  describe("pick 'all': every offer, applied operation by operation as before", () => {
    it('lets every offer through; better operations take a line first, worse ones are capped', () => {
      const r = resolvePricing(cart(1000, 1000), 0, { a: withRef('A', line('l1', 700, 'coupon'), line('l2', 100, 'coupon')), b: withRef('B', line('l1', 600, 'coupon')) }, { rules: stackingRules({ pick: { coupon: 'all' } }) });
      expect(appliedAmounts(r)).toEqual([['a', 0, 700], ['b', 0, 300], ['a', 1, 100]]);
      expect(r.unapplied).toEqual([]);
      expectConsistent(r);
    });
  });

  describe('determinism with multi-operation offers', () => {
    const permutations = (xs: string[]): string[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest])));

    it('gives the same result for every order of the plugin map, ties included', () => {
      const outputs: Record<string, PricingOperation[]> = {
        zeta: withRef('same', line('l1', 1500, 'coupon'), line('l2', 500, 'coupon')),
        alpha: withRef('same', line('l1', 500, 'coupon'), line('l2', 1500, 'coupon')),
        camp: [...withRef('A', line('l1', 400), line('l3', 400)), line('l3', 800)],
        mid: [...withRef('B', line('l2', 800, 'flash'), ship(200, 'flash')), ship(200)],
        pts: withRef('P', points(100, 100), points(100, 100)),
      };
      const first = resolvePricing(cart(4000, 2000, 3000), 500, outputs);
      // Coupons tie at ¥20: alpha's offer, both lines. Campaign A (¥4 + ¥4) ties the lone ¥8 on l3, which wins (no ref first) and so A is out whole.
      expect(first.applied.filter((a) => a.combinesWith === 'coupon').map((a) => [a.pluginId, a.index])).toEqual([['alpha', 1], ['alpha', 0]]);
      expect(outranked(first)).toEqual([['camp', 0], ['camp', 1], ['zeta', 0], ['zeta', 1]]);
      expect(first.applied.filter((a) => a.combinesWith === 'points').map((a) => a.amount)).toEqual([100, 100]);
      expectConsistent(first);
      const all = permutations(Object.keys(outputs));
      expect(all).toHaveLength(120);
      for (const keys of all) expect(resolvePricing(cart(4000, 2000, 3000), 500, Object.fromEntries(keys.map((k) => [k, outputs[k]!])))).toEqual(first);
    });

    it('for random offers under every pick mode: offers are kept or dropped whole, the mode holds, and shuffles change nothing', () => {
      let seed = 11;
      const rnd = (max: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % max; };
      const shuffle = <T>(xs: readonly T[]): T[] => { const ys = [...xs]; for (let i = ys.length - 1; i > 0; i--) { const j = rnd(i + 1); [ys[i], ys[j]] = [ys[j]!, ys[i]!]; } return ys; };
      const classes: OfferClass[] = ['exclusive', 'flash', 'member', 'campaign', 'coupon', 'points'];
      const modes = ['one', 'one-per-target', 'all'] as const;
      const targetOf = (op: PricingOperation) => (op.kind === 'line_discount' ? `line:${op.lineId}` : op.kind === 'gift' ? `gift:${op.skuId}` : op.kind);
      /** The money outcome, without positions (which a shuffle of a plugin's output changes). */
      const outcome = (r: ResolvedPricing) => ({
        lines: r.lines, shippingDiscount: r.shippingDiscount, pointsAmount: r.pointsAmount, pointsUsed: r.pointsUsed, payTotal: r.payTotal, classes: r.classes, rejected: r.rejected,
        applied: r.applied.map(({ index: _, ...a }) => JSON.stringify(a)).sort(),
        unapplied: r.unapplied.map(({ index: _, ...u }) => JSON.stringify(u)).sort(),
        gifts: r.gifts.map((g) => JSON.stringify(g)).sort(),
      });

      for (let n = 0; n < 300; n++) {
        const mode = modes[n % 3]!;
        const rules = stackingRules({ pick: { flash: mode, member: mode, campaign: mode, coupon: mode, points: mode } });
        const lines = cart(...Array.from({ length: 1 + rnd(4) }, () => 1 + rnd(20_000)));
        const items = lines.reduce((a, l) => a + l.unitPrice, 0);
        const fee = rnd(3) * 500;
        const byPlugin: Record<string, PricingOperation[]> = {};
        for (let p = 0; p < 1 + rnd(4); p++) {
          byPlugin[`p${p}`] = Array.from({ length: 1 + rnd(6) }, (): PricingOperation => {
            const common = { label, combinesWith: classes[rnd(classes.length)]!, priority: rnd(2), ...(rnd(4) ? { ref: `r${rnd(3)}` } : {}) };
            switch (rnd(5)) {
              case 0: case 1: { const l = lines[rnd(lines.length)]!; return { kind: 'line_discount', lineId: l.lineId, amount: rnd(l.unitPrice + 1), ...common }; }
              case 2: return { kind: 'order_discount', amount: rnd(items + 1), ...common };
              case 3: return { kind: 'shipping_discount', amount: rnd(fee + 1), ...common };
              default: { const amount = rnd(items + 1); return { kind: 'points_redemption', points: 1 + 2 * amount, amount, ...common }; }
            }
          });
        }
        const r = resolvePricing(lines, fee, byPlugin, { rules });
        expect(r.rejected).toEqual([]);
        expectConsistent(r);

        // Offers as the engine should see them, and whether pick kept each.
        const dropped = new Set(r.unapplied.filter((u) => u.reason === 'outranked').map((u) => `${u.pluginId}#${u.index}`));
        const offers = new Map<string, { cls: OfferClass; priority: number; value: number; targets: Set<string>; kept: boolean[] }>();
        for (const [pluginId, ops] of Object.entries(byPlugin)) {
          ops.forEach((op, index) => {
            const key = JSON.stringify([op.combinesWith, pluginId, op.ref ?? index]);
            const o = offers.get(key) ?? { cls: op.combinesWith, priority: -Infinity, value: 0, targets: new Set<string>(), kept: [] };
            o.priority = Math.max(o.priority, op.priority);
            o.value += op.kind === 'gift' ? 0 : op.amount;
            o.targets.add(targetOf(op));
            o.kept.push(!dropped.has(`${pluginId}#${index}`));
            offers.set(key, o);
          });
        }
        for (const cls of classes) {
          const ofClass = [...offers.values()].filter((o) => o.cls === cls);
          for (const o of ofClass) expect(new Set(o.kept).size, 'an offer is never split by pick').toBe(1);
          const kept = ofClass.filter((o) => o.kept[0]);
          const lost = ofClass.filter((o) => !o.kept[0]);
          const atLeastAsGood = (a: typeof kept[number], b: typeof kept[number]) => a.priority > b.priority || (a.priority === b.priority && a.value >= b.value);
          const effective = cls === 'exclusive' ? 'one' : mode;
          if (effective === 'all') expect(lost).toEqual([]);
          if (effective === 'one') {
            expect(kept).toHaveLength(ofClass.length ? 1 : 0);
            for (const o of lost) expect(atLeastAsGood(kept[0]!, o)).toBe(true);
          }
          if (effective === 'one-per-target') {
            const held = kept.flatMap((o) => [...o.targets]);
            expect(new Set(held).size, 'kept offers hold disjoint targets').toBe(held.length);
            for (const o of lost) expect(kept.some((k) => [...o.targets].some((t) => k.targets.has(t)) && atLeastAsGood(k, o))).toBe(true);
          }
        }

        // Plugin order never matters.
        const reversed = Object.fromEntries(Object.keys(byPlugin).reverse().map((k) => [k, byPlugin[k]!]));
        expect(resolvePricing(lines, fee, reversed, { rules })).toEqual(r);
        // With every operation under a ref (so position breaks no tie between offers), neither does the order of a plugin's output.
        const refed = Object.fromEntries(Object.entries(byPlugin).map(([k, ops]) => [k, ops.map((op, i) => ({ ...op, ref: op.ref ?? `solo${i}` }))]));
        const base = resolvePricing(lines, fee, refed, { rules });
        const shuffled = Object.fromEntries(shuffle(Object.keys(refed)).map((k) => [k, shuffle(refed[k]!)]));
        expect(outcome(resolvePricing(lines, fee, shuffled, { rules }))).toEqual(outcome(base));
      }
    });
  });
});
