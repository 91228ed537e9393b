import type { PricingOperation } from '@tuike/plugin-sdk';
import { fixtureCart, runInterceptor, runPricing, runReservation } from '@tuike/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import type { PointsState } from './checkout';
import { points } from './index';

const member = { id: 'm1' };
const state = (balance: number): PointsState => ({ balance });
const cart = fixtureCart({ lines: [{ unitPrice: 6_000 }, { unitPrice: 2_500, quantity: 2 }], shippingFee: 800 }); // items ¥110
const couponLabel = { zh: '优惠券', en: 'Coupon' };

describe('pricing: one points redemption', () => {
  it('uses the points chosen, 100 points per ¥1 by default', () => {
    const r = runPricing(points, { cart, member, state: state(10_000), choice: { usePoints: 1_234 } });
    expect(r.operations).toEqual([{ kind: 'points_redemption', points: 1_234, amount: 1_234, combinesWith: 'points', priority: 0, ref: 'points', label: { zh: '积分抵扣（使用1234积分）', en: 'Points: 1234 used' } }]);
    expect([r.pointsUsed, r.pointsAmount, r.payTotal]).toEqual([1_234, 1_234, 11_000 - 1_234 + 800]);
  });

  it('"max" uses the balance when it is under the cap', () => {
    const r = runPricing(points, { cart, member, state: state(3_000), choice: { usePoints: 'max' } });
    expect([r.pointsUsed, r.pointsAmount]).toEqual([3_000, 3_000]);
  });

  it('caps the offset at the share of the items total the shop allows (50 % by default, shipping not counted)', () => {
    const r = runPricing(points, { cart, member, state: state(1_000_000), choice: { usePoints: 'max' } });
    expect([r.pointsUsed, r.pointsAmount, r.payTotal]).toEqual([5_500, 5_500, 5_500 + 800]);
    const asked = runPricing(points, { cart, member, state: state(1_000_000), choice: { usePoints: 9_000 } });
    expect(asked.pointsUsed).toBe(5_500);
  });

  it('at 150 points per ¥1 charges exactly the points that buy the amount: whole blocks of 3 points = 2 fen', () => {
    const settings = { pointsPerYuan: 150 };
    const r = runPricing(points, { cart, member, settings, state: state(1_000), choice: { usePoints: 1_000 } });
    expect(r.operations[0]).toMatchObject({ points: 999, amount: 666 });
    expect(r.pointsUsed * 100).toBe(r.pointsAmount * 150);
  });

  it('without a choice uses no points unless the shop auto-uses them', () => {
    expect(runPricing(points, { cart, member, state: state(5_000) }).operations).toEqual([]);
    expect(runPricing(points, { cart, member, state: state(5_000), settings: { autoUse: true } }).pointsUsed).toBe(5_000);
  });

  it('a choice of 0 means none, even when the shop auto-uses points', () => {
    expect(runPricing(points, { cart, member, state: state(5_000), settings: { autoUse: true }, choice: { usePoints: 0 } }).operations).toEqual([]);
  });

  it('a guest, an empty balance or an unread balance uses nothing', () => {
    expect(runPricing(points, { cart, member: null, state: state(5_000), choice: { usePoints: 'max' } }).operations).toEqual([]);
    expect(runPricing(points, { cart, member, state: state(0), choice: { usePoints: 'max' } }).operations).toEqual([]);
    expect(runPricing(points, { cart, member, choice: { usePoints: 'max' } }).operations).toEqual([]);
  });

  it('below the shop\'s minimum per use: "max" quietly uses none', () => {
    const r = runPricing(points, { cart, member, state: state(400), settings: { minPointsPerUse: 500 }, choice: { usePoints: 'max' } });
    expect(r.operations).toEqual([]);
    expect(runInterceptor(points, 'willPlaceOrder', { cart, member, state: state(400), settings: { minPointsPerUse: 500 }, choice: { usePoints: 'max' } }).veto).toBeNull();
  });

  it('stacks with a coupon; when the coupon leaves less than the offset the platform caps it and charges fewer points', () => {
    const coupon: PricingOperation = { kind: 'order_discount', amount: 9_000, combinesWith: 'coupon', priority: 0, ref: 'c1', label: couponLabel };
    const r = runPricing(points, { cart, member, state: state(10_000), choice: { usePoints: 5_000 }, others: { coupons: [coupon] } });
    // Items ¥110 − coupon ¥90 leaves ¥20 for points: 2000 fen for 2000 points.
    expect([r.pointsAmount, r.pointsUsed, r.payTotal]).toEqual([2_000, 2_000, 800]);
  });
});

describe('bad input', () => {
  it('more points than the balance: no offset is priced, and placing the order is refused with POINTS_INSUFFICIENT', () => {
    const fixture = { cart, member, state: state(999), choice: { usePoints: 1_000 } };
    expect(runPricing(points, fixture).operations).toEqual([]);
    expect(runInterceptor(points, 'willPlaceOrder', fixture).veto).toEqual({ code: 'POINTS_INSUFFICIENT', message: { zh: '积分不足', en: 'Not enough points' } });
  });

  it('a negative points choice fails the schema and counts as no choice: nothing used, nothing refused', () => {
    const fixture = { cart, member, state: state(5_000), choice: { usePoints: -100 } };
    expect(runPricing(points, fixture).operations).toEqual([]);
    expect(runInterceptor(points, 'willPlaceOrder', fixture).veto).toBeNull();
    // "No choice" means the shop's default: with auto-use on, the buyer gets the default, not -100.
    expect(runPricing(points, { ...fixture, settings: { autoUse: true } }).pointsUsed).toBe(5_000);
  });

  it('a fractional points choice fails the schema and counts as no choice', () => {
    const fixture = { cart, member, state: state(5_000), choice: { usePoints: 12.5 } };
    expect(runPricing(points, fixture).operations).toEqual([]);
    expect(runInterceptor(points, 'willPlaceOrder', fixture).veto).toBeNull();
  });

  it('a choice of the wrong shape (a string, a missing field) counts as no choice', () => {
    for (const choice of [{ usePoints: '500' }, { points: 500 }, 'max', 500]) {
      expect(runPricing(points, { cart, member, state: state(5_000), choice }).operations).toEqual([]);
    }
  });

  it('an explicit number below the shop\'s minimum is refused with POINTS_BELOW_MINIMUM', () => {
    const fixture = { cart, member, state: state(5_000), settings: { minPointsPerUse: 500 }, choice: { usePoints: 499 } };
    expect(runPricing(points, fixture).operations).toEqual([]);
    expect(runInterceptor(points, 'willPlaceOrder', fixture).veto?.code).toBe('POINTS_BELOW_MINIMUM');
  });

  it('an explicit number when the balance could not be read is refused with POINTS_UNAVAILABLE', () => {
    expect(runInterceptor(points, 'willPlaceOrder', { cart, member, choice: { usePoints: 100 } }).veto?.code).toBe('POINTS_UNAVAILABLE');
  });

  it('pricing never produces a negative total nor an offset above the cap, whatever the cart, rate, balance and other discounts', () => {
    let seed = 20_260_101;
    const rand = (n: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed % n; };
    for (let i = 0; i < 500; i++) {
      const lines = Array.from({ length: 1 + rand(4) }, () => ({ unitPrice: rand(20_000), quantity: 1 + rand(3) }));
      const c = fixtureCart({ lines, shippingFee: rand(2) * 800 });
      const itemsTotal = c.lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
      const settings = { pointsPerYuan: [1, 7, 100, 150, 1000][rand(5)]!, maxOffsetBps: rand(10_001) };
      const balance = rand(50_000);
      const choice = rand(3) === 0 ? { usePoints: 'max' } : { usePoints: rand(60_000) };
      const couponAmount = rand(itemsTotal + 1);
      const others: Record<string, PricingOperation[]> = rand(2) ? { coupons: [{ kind: 'order_discount', amount: couponAmount, combinesWith: 'coupon', priority: 0, label: couponLabel }] } : {};
      const r = runPricing(points, { cart: c, member, settings, state: state(balance), choice, others });
      const cap = Math.floor((itemsTotal * settings.maxOffsetBps) / 10_000);
      expect(r.rejected).toEqual([]);
      expect(r.payTotal).toBeGreaterThanOrEqual(0);
      expect(r.lines.every((l) => l.paidAmount >= 0)).toBe(true);
      expect(r.pointsAmount).toBeLessThanOrEqual(cap);
      expect(r.pointsUsed).toBeLessThanOrEqual(balance);
      for (const op of r.operations) {
        if (op.kind !== 'points_redemption') continue;
        expect(op.amount).toBeLessThanOrEqual(cap);
        expect(op.points * 100).toBe(op.amount * settings.pointsPerYuan);
      }
    }
  });
});

describe('reserveOrder', () => {
  it('deducts exactly the applied points with a guarded write that must change one row, plus one ledger entry', () => {
    const reservation = runReservation(points, { cart, member, state: state(5_000), choice: { usePoints: 1_500 }, orderId: 'o-9', orderNo: 'N9' });
    expect(reservation?.refusal.code).toBe('POINTS_INSUFFICIENT');
    const [guard, ledger, order] = reservation!.statements;
    expect(guard).toMatchObject({ args: { p: 1_500, m: 'm1' }, expect: 1 });
    expect(guard!.sql).toMatch(/UPDATE plg_points_accounts SET balance = balance - :p.*WHERE member_id = :m AND balance >= :p/s);
    expect(ledger).toMatchObject({ args: { m: 'm1', d: -1_500, o: 'o-9' }, expect: 1 });
    expect(ledger!.sql).toMatch(/'spend'/);
    // Items paid (¥110 − ¥15), the base of earning later.
    expect(order).toMatchObject({ args: { o: 'o-9', ip: 9_500, p: 1_500, a: 1_500 }, expect: 1 });
  });

  it('holds nothing when the order uses no points, or for a guest', () => {
    expect(runReservation(points, { cart, member, state: state(5_000) })).toBeNull();
    expect(runReservation(points, { cart, member: null, state: state(5_000), choice: { usePoints: 100 } })).toBeNull();
  });

  it('deducts the points the platform actually charged when stacking capped the offset', () => {
    const coupon: PricingOperation = { kind: 'order_discount', amount: 10_000, combinesWith: 'coupon', priority: 0, label: couponLabel };
    const reservation = runReservation(points, { cart, member, state: state(5_000), choice: { usePoints: 5_000 }, others: { coupons: [coupon] } });
    expect(reservation!.statements[0]!.args).toMatchObject({ p: 1_000 });
  });
});
