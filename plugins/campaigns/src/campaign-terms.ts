import type { CartLine } from '@tuike/plugin-sdk';

/**
 * What a campaign gives and where, and the pure arithmetic that pricing, the storefront's
 * progress hint and the product tags share. Money is integer fen; a discount's rate is the share
 * taken off in basis points: 8折 (pay 80 %) is `percentOffBps: 2000`, allowed 1–9900.
 */

/**
 * Text in both languages. The SDK's `Localized` has the same shape but is an interface, which
 * TypeScript will not take as a `JsonValue` in a route body; this alias fits both places.
 */
export type Bilingual = { zh: string; en: string };

export const campaignKinds = ['tiered_reduction', 'discount', 'gift'] as const;
export type CampaignKind = (typeof campaignKinds)[number];

export const scopeTypes = ['all', 'categories', 'products'] as const;
export type ScopeType = (typeof scopeTypes)[number];

/** 满`threshold`减`off`. */
export type Tier = { threshold: number; off: number };

export type CampaignTerms =
  /** The highest tier reached applies; with `repeat` (one tier only) it applies once per full threshold, up to `maxOff`. */
  | { kind: 'tiered_reduction'; tiers: readonly Tier[]; repeat: { maxOff: number } | null }
  /** Every in-scope line, floored per line. */
  | { kind: 'discount'; percentOffBps: number }
  /** Reaching `threshold` adds `quantity` of `skuId`; `giftName` only feeds labels. */
  | { kind: 'gift'; threshold: number; skuId: string; quantity: number; giftName: string };

export type CampaignScope = { type: 'all' } | { type: 'categories' | 'products'; ids: readonly string[] };

/** An active campaign as loadState hands it to pricing: plain data, frozen by the platform. */
export type LiveCampaign = {
  /** The `ref` of its pricing operations. */
  id: string;
  name: string;
  priority: number;
  /** Live while `startsAt <= now < endsAt`. */
  startsAt: number;
  endsAt: number;
  scope: CampaignScope;
  terms: CampaignTerms;
};

export const isLive = (c: Pick<LiveCampaign, 'startsAt' | 'endsAt'>, now: number) => c.startsAt <= now && now < c.endsAt;

export function inScope(scope: CampaignScope, line: Pick<CartLine, 'productId' | 'categoryId'>): boolean {
  switch (scope.type) {
    case 'all':
      return true;
    case 'categories':
      return line.categoryId !== null && scope.ids.includes(line.categoryId);
    case 'products':
      return scope.ids.includes(line.productId);
  }
}

export interface ScopedLine {
  lineId: string;
  total: number;
}

/** The cart lines a campaign covers with their totals (list price × quantity), and their sum. */
export function scopedLines(scope: CampaignScope, lines: readonly Readonly<CartLine>[]): { lines: ScopedLine[]; total: number } {
  const covered = lines.filter((l) => inScope(scope, l)).map((l) => ({ lineId: l.lineId, total: l.unitPrice * l.quantity }));
  return { lines: covered, total: covered.reduce((a, l) => a + l.total, 0) };
}

/** ⌊a × b / c⌋ exactly, also when a × b passes 2^53. */
export function floorMulDiv(a: number, b: number, c: number): number {
  const product = a * b;
  return Number.isSafeInteger(product) ? Math.floor(product / c) : Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** What a reduction gives on an in-scope total: the tier that applied and the fen off, or null below every tier. */
export function reductionOn(terms: Extract<CampaignTerms, { kind: 'tiered_reduction' }>, total: number): { tier: Tier; off: number } | null {
  let reached: Tier | null = null;
  for (const tier of terms.tiers) if (total >= tier.threshold) reached = tier;
  if (!reached) return null;
  if (!terms.repeat) return { tier: reached, off: reached.off };
  const times = Math.floor(total / reached.threshold);
  return { tier: reached, off: Math.min(times * reached.off, terms.repeat.maxOff) };
}

/** A discount on one line: rounded down, so the buyer never gets a fen more than the rate. */
export const discountOnLine = (lineTotal: number, percentOffBps: number) => floorMulDiv(lineTotal, percentOffBps, 10_000);

/**
 * Splits `amount` over `totals` in proportion, exact to the fen: each part gets the floor of its
 * share, and the fen left over go to the largest part (ties: the earlier one), then the next
 * largest, never past a part's own total. The parts add up to `amount` whenever it is at most
 * the sum of `totals`.
 */
export function spreadExact(amount: number, totals: readonly number[]): number[] {
  const sum = totals.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > sum) throw new RangeError(`cannot spread ${amount} over ${sum}`);
  if (amount === 0) return totals.map(() => 0);
  const shares = totals.map((t) => floorMulDiv(amount, t, sum));
  let left = amount - shares.reduce((a, b) => a + b, 0);
  const largestFirst = totals.map((t, i) => i).sort((a, b) => totals[b]! - totals[a]! || a - b);
  for (const i of largestFirst) {
    if (left === 0) break;
    const give = Math.min(left, totals[i]! - shares[i]!);
    shares[i] = shares[i]! + give;
    left -= give;
  }
  return shares;
}

/** An integer scaled by 10^places as a decimal without trailing zeros: (1250, 2) → "12.5". */
function decimal(n: number, places: number): string {
  const scale = 10 ** places;
  const frac = String(n % scale).padStart(places, '0').replace(/0+$/, '');
  return frac ? `${Math.floor(n / scale)}.${frac}` : String(Math.floor(n / scale));
}

/** 20000 → "200", 1250 → "12.5": how a threshold or an amount off reads in a label. */
export const yuan = (fen: number) => decimal(fen, 2);
/** 2300 → "23.00": how an amount still to spend reads. */
export const yuanExact = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
/** The 折 a buyer pays: 2000 bps off → "8", 1500 → "8.5". */
const zhe = (percentOffBps: number) => decimal(10_000 - percentOffBps, 3);
/** 2000 bps → "20". */
const percent = (percentOffBps: number) => decimal(percentOffBps, 2);

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);

/** One tier in words: "满200减30" / "¥30 off over ¥200"; with repeat "每满100减10" / "¥10 off every ¥100". */
export function tierText(tier: Tier, repeat: boolean): Bilingual {
  return repeat
    ? { zh: `每满${yuan(tier.threshold)}减${yuan(tier.off)}`, en: `¥${yuan(tier.off)} off every ¥${yuan(tier.threshold)}` }
    : { zh: `满${yuan(tier.threshold)}减${yuan(tier.off)}`, en: `¥${yuan(tier.off)} off over ¥${yuan(tier.threshold)}` };
}

export function discountText(percentOffBps: number): Bilingual {
  return { zh: `限时${zhe(percentOffBps)}折`, en: `${percent(percentOffBps)}% off` };
}

export function giftText(terms: Extract<CampaignTerms, { kind: 'gift' }>): Bilingual {
  const times = terms.quantity > 1 ? `×${terms.quantity}` : '';
  return { zh: clip(`满${yuan(terms.threshold)}赠${terms.giftName || '赠品'}${times}`), en: clip(`Free gift${times} over ¥${yuan(terms.threshold)}`) };
}

/** The whole campaign in a few words, for banners and product tags: "满100减10，满200减30" / "…; …". */
export function describeTerms(terms: CampaignTerms): Bilingual {
  switch (terms.kind) {
    case 'tiered_reduction': {
      const parts = terms.tiers.map((t) => tierText(t, terms.repeat !== null));
      const cap = terms.repeat ? { zh: `，最高减${yuan(terms.repeat.maxOff)}`, en: `, up to ¥${yuan(terms.repeat.maxOff)}` } : { zh: '', en: '' };
      return { zh: parts.map((p) => p.zh).join('，') + cap.zh, en: parts.map((p) => p.en).join('; ') + cap.en };
    }
    case 'discount':
      return discountText(terms.percentOffBps);
    case 'gift':
      return giftText(terms);
  }
}

/** The label beside an applied reduction: the tier that applied (the SDK allows 60 characters a language). */
export function reductionLabel(tier: Tier, repeat: boolean): Bilingual {
  const t = tierText(tier, repeat);
  return { zh: clip(t.zh), en: clip(t.en) };
}
