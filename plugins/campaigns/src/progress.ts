import type { CartLine } from '@tuike/plugin-sdk';
import { isLive, reductionOn, scopedLines, tierText, yuan, yuanExact, type Bilingual, type CampaignTerms, type LiveCampaign } from './campaign-terms';

/**
 * How far a cart is from the next step of each threshold campaign — the cart summary's
 * "再买¥23.00可减30". Computed with the same arithmetic as pricing (in-scope lines at list price),
 * so the hint and the price agree; whether the offer then stacks with others is the shop's rules.
 */
export type Progress =
  | {
      campaignId: string;
      name: string;
      kind: 'tiered_reduction';
      inScopeTotal: number;
      /** Fen off now; 0 below every tier. */
      reachedOff: number;
      /** The next step up, or null at the top (or the repeat cap). */
      next: { threshold: number; shortBy: number; off: number } | null;
      message: Bilingual;
    }
  | {
      campaignId: string;
      name: string;
      kind: 'gift';
      inScopeTotal: number;
      reached: boolean;
      next: { threshold: number; shortBy: number } | null;
      message: Bilingual;
    };

type Reduction = Extract<CampaignTerms, { kind: 'tiered_reduction' }>;

/** The next threshold above `total` and what it gives, or null when nothing more can be had. */
function nextStep(terms: Reduction, total: number, reachedOff: number): { threshold: number; off: number } | null {
  if (terms.repeat) {
    const tier = terms.tiers[0]!;
    if (reachedOff >= terms.repeat.maxOff) return null;
    const times = Math.floor(total / tier.threshold) + 1;
    return { threshold: times * tier.threshold, off: Math.min(times * tier.off, terms.repeat.maxOff) };
  }
  const tier = terms.tiers.find((t) => t.threshold > total);
  return tier ? { threshold: tier.threshold, off: tier.off } : null;
}

function reductionProgress(c: LiveCampaign, terms: Reduction, total: number): Progress {
  const got = reductionOn(terms, total);
  const reachedOff = got?.off ?? 0;
  const step = nextStep(terms, total, reachedOff);
  const next = step ? { ...step, shortBy: step.threshold - total } : null;
  let message: Bilingual;
  if (next) {
    const zh = `再买¥${yuanExact(next.shortBy)}可减${yuan(next.off)}`;
    const en = `Add ¥${yuanExact(next.shortBy)} more to save ¥${yuan(next.off)}`;
    message = reachedOff > 0 ? { zh: `已减${yuan(reachedOff)}，${zh}`, en: `¥${yuan(reachedOff)} off now. ${en}` } : { zh, en };
  } else {
    const t = tierText(got!.tier, terms.repeat !== null);
    message = { zh: `已享${t.zh}，共减${yuan(reachedOff)}`, en: `You qualify: ${t.en} (¥${yuan(reachedOff)} off)` };
  }
  return { campaignId: c.id, name: c.name, kind: 'tiered_reduction', inScopeTotal: total, reachedOff, next, message };
}

function giftProgress(c: LiveCampaign, terms: Extract<CampaignTerms, { kind: 'gift' }>, total: number): Progress {
  const gift = terms.giftName || '赠品';
  const reached = total >= terms.threshold;
  const next = reached ? null : { threshold: terms.threshold, shortBy: terms.threshold - total };
  const message = next
    ? { zh: `再买¥${yuanExact(next.shortBy)}可获赠${gift}`, en: `Add ¥${yuanExact(next.shortBy)} more for a free gift` }
    : { zh: `已获赠${gift}`, en: 'You qualify for a free gift' };
  return { campaignId: c.id, name: c.name, kind: 'gift', inScopeTotal: total, reached, next, message };
}

/** Progress of every live threshold campaign that covers something in the cart, in the campaigns' order. */
export function cartProgress(campaigns: readonly LiveCampaign[], lines: readonly Readonly<CartLine>[], now: number): Progress[] {
  const out: Progress[] = [];
  for (const c of campaigns) {
    if (!isLive(c, now)) continue;
    const total = scopedLines(c.scope, lines).total;
    if (total === 0) continue;
    if (c.terms.kind === 'tiered_reduction') out.push(reductionProgress(c, c.terms, total));
    else if (c.terms.kind === 'gift') out.push(giftProgress(c, c.terms, total));
  }
  return out;
}
