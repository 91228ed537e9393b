import { defaultStackingRules, stackingRules, type StackingRules } from '@tuike/plugin-runtime';
import type { PricingOperation } from '@tuike/plugin-sdk';
import { fixtureCart, runPricing, type FixtureLine } from '@tuike/plugin-sdk/testing';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { termsInput } from './campaign-schema';
import { reductionOn, scopedLines, type CampaignScope, type CampaignTerms, type LiveCampaign } from './campaign-terms';
import { campaigns } from './index';
import { day, now, state } from './test-fixtures';

/**
 * Property style: many random carts and campaigns from a seeded generator (the same every run, so
 * a failure reproduces), each priced through the platform's own checks and stacking engine.
 */
function seeded(seed: number) {
  let s = seed >>> 0;
  // xorshift32: small, fast, and the same sequence on every machine.
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof seeded>;

const categories = ['c1', 'c2', 'c3'];
const products = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];

function price(rng: Rng): number {
  switch (rng.int(0, 4)) {
    case 0: return 0;
    case 1: return rng.int(1, 9);
    case 2: return rng.int(10, 999);
    case 3: return rng.int(1_000, 99_999);
    default: return rng.int(100_000, 10_000_000_000);
  }
}

function cartOf(rng: Rng) {
  const lines: FixtureLine[] = Array.from({ length: rng.int(1, 8) }, () => ({
    unitPrice: price(rng),
    quantity: rng.int(1, 5),
    productId: rng.pick(products),
    categoryId: rng.next() < 0.2 ? null : rng.pick(categories),
  }));
  return fixtureCart({ lines });
}

function scopeOf(rng: Rng): CampaignScope {
  const some = (xs: string[]) => xs.filter(() => rng.next() < 0.5).concat(rng.pick(xs)).filter((x, i, all) => all.indexOf(x) === i);
  switch (rng.int(0, 2)) {
    case 0: return { type: 'all' };
    case 1: return { type: 'categories', ids: some(categories) };
    default: return { type: 'products', ids: some(products) };
  }
}

function termsOf(rng: Rng): CampaignTerms {
  const kind = rng.int(0, 2);
  if (kind === 0) {
    const tiers: { threshold: number; off: number }[] = [];
    let threshold = 0;
    let off = 0;
    for (let i = rng.int(1, 4); i > 0; i--) {
      threshold += rng.int(1, 50_000);
      off = rng.int(off + 1, Math.max(off + 1, threshold - 1));
      if (off >= threshold) break;
      tiers.push({ threshold, off });
    }
    if (tiers.length === 0) tiers.push({ threshold: 10_000, off: 1_000 });
    const repeat = tiers.length === 1 && rng.next() < 0.5 ? { maxOff: tiers[0]!.off * rng.int(1, 10) } : null;
    return { kind: 'tiered_reduction', tiers, repeat };
  }
  if (kind === 1) return { kind: 'discount', percentOffBps: rng.pick([1, 100, 1_500, 2_000, 5_000, 9_900, rng.int(1, 9_900)]) };
  return { kind: 'gift', threshold: rng.int(1, 60_000), skuId: rng.pick(['g1', 'g2']), quantity: rng.int(1, 3), giftName: '' };
}

function campaignsOf(rng: Rng): LiveCampaign[] {
  return Array.from({ length: rng.int(0, 6) }, (_, i) => {
    const terms = termsOf(rng);
    // The generator only makes campaigns a merchant could save.
    v.parse(termsInput, terms);
    const live = rng.next() < 0.85;
    return { id: `cmp-${i}`, name: `c${i}`, priority: rng.int(0, 3), startsAt: live ? now - day : now + 1, endsAt: now + day, scope: scopeOf(rng), terms };
  });
}

const rulesFor = (rng: Rng): StackingRules => rng.pick([defaultStackingRules, stackingRules({ pick: { campaign: 'all' } }), stackingRules({ pick: { campaign: 'one' } })]);

/** The same scenarios for every property, priced once each. */
function* scenarios(seed: number, runs: number) {
  const rng = seeded(seed);
  for (let run = 0; run < runs; run++) {
    const cart = cartOf(rng);
    const list = campaignsOf(rng);
    const maxCampaignsPerOrder = rng.int(1, 5);
    const itemsTotal = cart.lines.reduce((a, l) => a + l.unitPrice * l.quantity, 0);
    const coupon = rng.int(1, 5_000);
    const others: Record<string, PricingOperation[]> = rng.next() < 0.3 && coupon <= itemsTotal
      ? { coupons: [{ kind: 'order_discount', amount: coupon, combinesWith: 'coupon', priority: 0, ref: 'mc', label: { zh: '券', en: 'Coupon' } }] }
      : {};
    const fixture = { cart, state: state(...list), now, settings: { maxCampaignsPerOrder }, others, rules: rulesFor(rng) };
    yield { where: `run ${run}`, cart, list, maxCampaignsPerOrder, itemsTotal, fixture, r: runPricing(campaigns, fixture) };
  }
}

const seed = 20_260_101;
const runs = 1_500;

describe(`any cart, any campaigns (seed ${seed}, ${runs} runs)`, () => {
  it('never a negative amount, never a line outside the cart, never more than a line holds', () => {
    let discounted = 0;
    for (const { where, cart, itemsTotal, r } of scenarios(seed, runs)) {
      // The platform's own checks accepted the whole output.
      expect(r.rejected, where).toEqual([]);
      const totals = new Map(cart.lines.map((l) => [l.lineId, l.unitPrice * l.quantity]));
      for (const op of r.operations) {
        expect(op.combinesWith, where).toBe('campaign');
        if (op.kind === 'line_discount') {
          expect(totals.has(op.lineId), where).toBe(true);
          expect(Number.isSafeInteger(op.amount) && op.amount > 0, where).toBe(true);
          expect(op.amount, where).toBeLessThanOrEqual(totals.get(op.lineId)!);
        } else if (op.kind === 'order_discount') {
          expect(Number.isSafeInteger(op.amount) && op.amount > 0 && op.amount < itemsTotal, where).toBe(true);
        } else {
          expect(op.kind === 'gift' && op.quantity >= 1, where).toBe(true);
        }
      }
      // What the buyer pays never goes below zero, per line or in all.
      for (const l of r.lines) expect(l.paidAmount >= 0 && l.discount <= l.lineTotal, where).toBe(true);
      expect(r.payTotal, where).toBeGreaterThanOrEqual(0);
      if (r.operations.some((o) => o.kind !== 'gift')) discounted++;
    }
    // The generator reaches the interesting cases, not only empty outputs.
    expect(discounted).toBeGreaterThan(runs / 3);
  });

  it('discounts floor per line, one per line; reductions spread exactly; at most N campaigns; the same input prices the same', () => {
    for (const { where, cart, list, maxCampaignsPerOrder, fixture, r } of scenarios(seed, runs)) {
      const totals = new Map(cart.lines.map((l) => [l.lineId, l.unitPrice * l.quantity]));
      const discountLines = new Map<string, number>();
      for (const op of r.operations) {
        const c = list.find((x) => x.id === op.ref);
        expect(c, where).toBeDefined();
        if (op.kind !== 'line_discount' || c!.terms.kind !== 'discount') continue;
        // Exactly ⌊line total × bps / 10000⌋.
        expect(op.amount, where).toBe(Number((BigInt(totals.get(op.lineId)!) * BigInt(c!.terms.percentOffBps)) / 10_000n));
        discountLines.set(op.lineId, (discountLines.get(op.lineId) ?? 0) + 1);
      }
      expect([...discountLines.values()].every((n) => n === 1), where).toBe(true);
      expect(new Set(r.operations.map((o) => o.ref)).size, where).toBeLessThanOrEqual(maxCampaignsPerOrder);
      for (const c of list) {
        if (c.terms.kind !== 'tiered_reduction') continue;
        const given = r.operations.filter((o) => o.ref === c.id).reduce((a, o) => a + (o.kind === 'gift' ? 0 : o.amount), 0);
        if (given > 0) expect(given, where).toBe(reductionOn(c.terms, scopedLines(c.scope, cart.lines).total)!.off);
      }
      expect(runPricing(campaigns, fixture).operations, where).toEqual(r.operations);
    }
  });
});
