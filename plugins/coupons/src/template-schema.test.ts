import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { templateInput, templatePatch } from './template-schema';

const base = {
  name: '满100减20',
  terms: { kind: 'threshold', amountOff: 2000, threshold: 10_000 },
  scope: { type: 'all' },
  validity: { type: 'relative', days: 7 },
  quantity: 100,
};
const ok = (patch: Record<string, unknown>) => v.safeParse(templateInput, { ...base, ...patch }).success;
const paths = (patch: Record<string, unknown>) => {
  const r = v.safeParse(templateInput, { ...base, ...patch });
  return r.success ? [] : r.issues.map((i) => v.getDotPath(i));
};

describe('template validation', () => {
  it('accepts the three kinds and fills defaults', () => {
    const r = v.parse(templateInput, base);
    expect(r).toMatchObject({ description: '', perMemberLimit: 1, claimWindow: { startsAt: null, endsAt: null } });
    expect(ok({ terms: { kind: 'fixed', amountOff: 500 } })).toBe(true);
    expect(v.parse(templateInput, { ...base, terms: { kind: 'percent', percentOffBps: 1500 } }).terms).toEqual({ kind: 'percent', percentOffBps: 1500, maxDiscount: null, threshold: 0 });
  });

  it('percent off is 100–9900 basis points (1 %–99 %), whole', () => {
    const pct = (percentOffBps: number) => ok({ terms: { kind: 'percent', percentOffBps, maxDiscount: 5000 } });
    expect([99, 100, 1500, 9900, 9901, 1500.5].map(pct)).toEqual([false, true, true, true, false, false]);
  });

  it('a cap is null (none) or at least one fen; thresholds are never negative', () => {
    const cap = (maxDiscount: unknown) => ok({ terms: { kind: 'percent', percentOffBps: 1500, maxDiscount } });
    expect([null, 1, 0, -1].map(cap)).toEqual([true, true, false, false]);
    expect(ok({ terms: { kind: 'fixed', amountOff: 500, threshold: -1 } })).toBe(false);
    expect(ok({ terms: { kind: 'percent', percentOffBps: 1500, threshold: -1 } })).toBe(false);
  });

  it('a fixed amount is above zero and, with a threshold, no more than it', () => {
    expect(ok({ terms: { kind: 'fixed', amountOff: 0 } })).toBe(false);
    expect(ok({ terms: { kind: 'fixed', amountOff: 2000, threshold: 1000 } })).toBe(false);
    expect(ok({ terms: { kind: 'fixed', amountOff: 1000, threshold: 1000 } })).toBe(true);
    expect(ok({ terms: { kind: 'threshold', amountOff: 2001, threshold: 2000 } })).toBe(false);
    expect(ok({ terms: { kind: 'threshold', amountOff: 100 } })).toBe(false); // a threshold coupon needs its threshold
    expect(ok({ terms: { kind: 'threshold', amountOff: 100, threshold: 0 } })).toBe(false);
  });

  it('money is whole fen', () => {
    expect(ok({ terms: { kind: 'fixed', amountOff: 9.5 } })).toBe(false);
  });

  it('a validity window ends after it starts, within ten years; relative days are 1–3650', () => {
    expect(ok({ validity: { type: 'absolute', startsAt: 1000, endsAt: 1000 } })).toBe(false);
    expect(ok({ validity: { type: 'absolute', startsAt: 1000, endsAt: 2000 } })).toBe(true);
    expect(ok({ validity: { type: 'absolute', startsAt: 0, endsAt: 11 * 365 * 86_400_000 } })).toBe(false);
    expect([0, 1, 3650, 3651].map((days) => ok({ validity: { type: 'relative', days } }))).toEqual([false, true, true, false]);
  });

  it('claiming closes by the end of an absolute validity, and ends after it starts', () => {
    const validity = { type: 'absolute', startsAt: 1000, endsAt: 5000 };
    expect(paths({ validity, claimWindow: { startsAt: null, endsAt: 6000 } })).toEqual(['claimWindow']);
    expect(ok({ validity, claimWindow: { startsAt: 1000, endsAt: 5000 } })).toBe(true);
    expect(ok({ claimWindow: { startsAt: 3000, endsAt: 3000 } })).toBe(false);
  });

  it('scope ids: at least one, none repeated; quantity and per-member limit are whole and positive', () => {
    expect(ok({ scope: { type: 'categories', ids: [] } })).toBe(false);
    expect(ok({ scope: { type: 'products', ids: ['p1', 'p1'] } })).toBe(false);
    expect(ok({ scope: { type: 'products', ids: ['p1', 'p2'] } })).toBe(true);
    expect(ok({ scope: { type: 'all', ids: ['p1'] } })).toBe(false);
    expect(ok({ quantity: 0 })).toBe(false);
    expect(ok({ perMemberLimit: 0 })).toBe(false);
  });

  it('refuses unknown fields rather than ignoring them', () => {
    expect(ok({ discount: 5 })).toBe(false);
    expect(v.safeParse(templatePatch, { quantity: 5, colour: 'red' }).success).toBe(false);
  });
});
