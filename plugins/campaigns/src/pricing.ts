import type { CartLine, PricingInput, PricingOperation } from '@tuike/plugin-sdk';
import type { CampaignState } from './campaign-state';
import { discountOnLine, discountText, giftText, inScope, isLive, reductionLabel, reductionOn, scopedLines, spreadExact, type LiveCampaign } from './campaign-terms';
import type { CampaignSettings } from './settings';

/**
 * The pricing hook: pure, no I/O, the same answer for the same input.
 *
 * Each live campaign the cart qualifies for is one offer — every operation it yields carries
 * `ref` = the campaign id and class `campaign`, so the shop's stacking rules keep or drop it
 * whole. Thresholds are measured on the in-scope lines at list price. A line is discounted by
 * one discount campaign at most, the best for that line (a product on 8折 in one campaign and
 * 9折 in another sells at 8折 — never 7.2折); so two discount campaigns never compete for a line
 * and one does not lose its other lines to the other. Only the best `maxCampaignsPerOrder`
 * offers are returned (priority, then amount, then id — the order the stacking engine ranks
 * offers in); which of them apply together is the shop's stacking rules.
 */
export interface CampaignOffer {
  campaign: LiveCampaign;
  operations: PricingOperation[];
  /** Σ of the amounts (gifts count 0), as the engine weighs an offer. */
  value: number;
}

/** Which discount campaign discounts each line: lineId → campaign id. */
export type DiscountOwners = ReadonlyMap<string, string>;

/** For each line, the discount campaign that gives it the most: higher priority, then more fen, then the smaller id. */
export function discountOwners(campaigns: readonly LiveCampaign[], lines: readonly Readonly<CartLine>[]): DiscountOwners {
  const owners = new Map<string, string>();
  for (const l of lines) {
    let best: { c: LiveCampaign; amount: number } | null = null;
    for (const c of campaigns) {
      if (c.terms.kind !== 'discount' || !inScope(c.scope, l)) continue;
      const amount = discountOnLine(l.unitPrice * l.quantity, c.terms.percentOffBps);
      const wins = !best || c.priority > best.c.priority || (c.priority === best.c.priority && (amount > best.amount || (amount === best.amount && c.id < best.c.id)));
      if (wins) best = { c, amount };
    }
    if (best) owners.set(l.lineId, best.c.id);
  }
  return owners;
}

/** What one campaign gives this cart, or null when it gives nothing. `owners` says which lines a discount campaign may take. */
export function offerFor(campaign: LiveCampaign, lines: readonly Readonly<CartLine>[], owners: DiscountOwners = discountOwners([campaign], lines)): CampaignOffer | null {
  const scoped = scopedLines(campaign.scope, lines);
  if (scoped.total === 0) return null;
  const common = { combinesWith: 'campaign' as const, priority: campaign.priority, ref: campaign.id };
  const terms = campaign.terms;
  const operations: PricingOperation[] = [];

  if (terms.kind === 'tiered_reduction') {
    const got = reductionOn(terms, scoped.total);
    if (!got || got.off === 0) return null;
    const label = reductionLabel(got.tier, terms.repeat !== null);
    // A tier's reduction is below its threshold, so `off` is below the in-scope total.
    if (campaign.scope.type === 'all') {
      operations.push({ kind: 'order_discount', amount: got.off, label, ...common });
    } else {
      const shares = spreadExact(got.off, scoped.lines.map((l) => l.total));
      scoped.lines.forEach((l, i) => {
        if (shares[i]! > 0) operations.push({ kind: 'line_discount', lineId: l.lineId, amount: shares[i]!, label, ...common });
      });
    }
  } else if (terms.kind === 'discount') {
    const label = discountText(terms.percentOffBps);
    for (const l of scoped.lines) {
      if (owners.get(l.lineId) !== campaign.id) continue;
      const amount = discountOnLine(l.total, terms.percentOffBps);
      if (amount > 0) operations.push({ kind: 'line_discount', lineId: l.lineId, amount, label, ...common });
    }
  } else {
    if (scoped.total < terms.threshold) return null;
    operations.push({ kind: 'gift', skuId: terms.skuId, quantity: terms.quantity, label: giftText(terms), ...common });
  }

  if (operations.length === 0) return null;
  const value = operations.reduce((a, op) => a + (op.kind === 'gift' ? 0 : op.amount), 0);
  return { campaign, operations, value };
}

/** Best first: higher priority, then more saved, then the smaller id. */
const better = (a: CampaignOffer, b: CampaignOffer) =>
  b.campaign.priority - a.campaign.priority || b.value - a.value || (a.campaign.id < b.campaign.id ? -1 : a.campaign.id > b.campaign.id ? 1 : 0);

/** Every offer live campaigns make this cart at `now`, best first. */
export function offersFor(campaigns: readonly LiveCampaign[], lines: readonly Readonly<CartLine>[], now: number): CampaignOffer[] {
  const live = campaigns.filter((c) => isLive(c, now));
  const owners = discountOwners(live, lines);
  const offers: CampaignOffer[] = [];
  for (const c of live) {
    const offer = offerFor(c, lines, owners);
    if (offer) offers.push(offer);
  }
  return offers.sort(better);
}

/** The platform sets a plugin's whole output aside past this many operations (a big cart × several discounts). */
export const maxOperations = 200;

export function campaignPricing(input: PricingInput<CampaignSettings, CampaignState>): PricingOperation[] {
  // The platform passes no state when loadState failed or timed out: price without campaigns.
  const campaigns = input.state?.campaigns ?? [];
  const out: PricingOperation[] = [];
  let taken = 0;
  for (const offer of offersFor(campaigns, input.lines, input.now)) {
    if (taken === input.settings.maxCampaignsPerOrder) break;
    // An offer that would push the output past the limit is left out whole, never cut.
    if (out.length + offer.operations.length > maxOperations) continue;
    out.push(...offer.operations);
    taken++;
  }
  return out;
}
