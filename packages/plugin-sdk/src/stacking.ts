import * as v from 'valibot';
import { offerClasses, type CartLine, type OfferClass, type PricingOperation, type PricingOperationKind } from './hooks';
import { spreadProportionally } from './order-spread';
import { checkOperations, pricingBasis } from './pricing-operations';
import type { Localized } from './settings-fields';

/**
 * The stacking engine: the platform, not plugin order, decides which offers apply together.
 *
 * 1. Each plugin's output is checked (pricing-operations.ts); a bad one is set aside whole.
 * 2. Within a class, `pick` decides which *offers* survive. An offer is what one plugin gives
 *    under one `ref` — every operation of that class from that plugin with that ref (a coupon
 *    spread as line discounts over its lines is one offer); an operation without a ref is an
 *    offer of its own. An offer is kept or dropped whole, never split by `pick`:
 *    - `one`: the single best offer in the order, with all its operations (`exclusive` is always
 *      `one`).
 *    - `one-per-target`: at most one offer per target. An operation's target is its line (line
 *      discounts), `order` (order discounts), `shipping` (shipping discounts), `points` (points
 *      redemptions) or its SKU (gifts); an offer's targets are those of all its operations.
 *      Offers are taken best first, and an offer is kept only if none of its targets is held by
 *      an offer kept before it — otherwise it is outranked whole, its free targets included.
 *      A kept offer holds all its targets; a dropped one holds none (so a worse offer may still
 *      take them). Greedy by rank, not the set that adds up to most: a better offer is never
 *      given up for the sum of worse ones.
 *    - `all`: every offer.
 *    Best = highest priority (an offer's priority is the highest of its operations'), then the
 *    largest total amount (the sum over its operations; gifts count 0), then plugin id, ref (none
 *    first) and the position of its first operation — so ties are still deterministic. An offer
 *    whose operations name several classes is judged in each class by the part that names it.
 *    `pick` only chooses; steps 3 and 4 may still trim a kept offer (a line another class holds
 *    under `separate-lines`, a cap), operation by operation, as they always have.
 * 3. Between classes, `pairs` say `stack` (both apply), `separate-lines` (both apply, never on
 *    the same line: the earlier class in application order keeps the line) or `never`. Every
 *    set of classes the pairs allow is tried — `exclusive` only ever alone — and the set that
 *    saves the buyer the most cash (item discounts, points offset and shipping discount) wins.
 *    Ties go to the larger set, then to a set without `exclusive`, then to the alphabetically
 *    first list of class names.
 * 4. The winning set is applied by kind, classes in the order exclusive, flash, member,
 *    campaign, coupon, points: line discounts (each capped at what the line has left), then
 *    order discounts (spread over the eligible lines in proportion, capped at their sum), then
 *    points redemptions (spread the same way; points charged shrink with a capped amount,
 *    rounded up), then shipping discounts (capped at the fee left). Gifts ride along.
 * Nothing is ever below zero; the same input gives the same output whatever the plugin order.
 */
export type PairRule = 'stack' | 'separate-lines' | 'never';
/** How many offers of a class survive (step 2 above): the best one, the best per target, or all. */
export type ClassPick = 'one' | 'one-per-target' | 'all';
type Stackable = Exclude<OfferClass, 'exclusive'>;

export interface StackingRules {
  pick: Readonly<Record<Stackable, ClassPick>>;
  /** Rules for pairs of different classes; a pair not listed stacks. */
  pairs: readonly Readonly<{ classes: readonly [Stackable, Stackable]; rule: PairRule }>[];
}

export const defaultStackingRules: StackingRules = {
  pick: { flash: 'one-per-target', member: 'one-per-target', campaign: 'one-per-target', coupon: 'one', points: 'one' },
  pairs: [
    { classes: ['coupon', 'campaign'], rule: 'stack' },
    { classes: ['coupon', 'flash'], rule: 'separate-lines' },
    { classes: ['campaign', 'flash'], rule: 'separate-lines' },
    { classes: ['member', 'flash'], rule: 'separate-lines' },
    { classes: ['coupon', 'member'], rule: 'stack' },
    { classes: ['campaign', 'member'], rule: 'stack' },
    { classes: ['points', 'flash'], rule: 'stack' },
    { classes: ['points', 'member'], rule: 'stack' },
    { classes: ['points', 'campaign'], rule: 'stack' },
    { classes: ['points', 'coupon'], rule: 'stack' },
  ],
};

const stackable = v.picklist(['flash', 'member', 'campaign', 'coupon', 'points'] as const);
const pick = v.picklist(['one', 'one-per-target', 'all'] as const);
/** A shop's overrides of the default rules, as stored in its settings. */
export const stackingRulesSchema = v.strictObject({
  pick: v.optional(v.strictObject({ flash: v.optional(pick), member: v.optional(pick), campaign: v.optional(pick), coupon: v.optional(pick), points: v.optional(pick) })),
  pairs: v.optional(v.pipe(v.array(v.strictObject({
    classes: v.pipe(v.tuple([stackable, stackable]), v.check(([a, b]) => a !== b, 'a pair names two different classes')),
    rule: v.picklist(['stack', 'separate-lines', 'never'] as const),
  })), v.maxLength(20))),
});
export type StackingRulesInput = v.InferOutput<typeof stackingRulesSchema>;

/** The defaults with a shop's overrides on top (a pair listed by the shop replaces the default for it). */
export function stackingRules(overrides: StackingRulesInput = {}): StackingRules {
  const key = (a: string, b: string) => [a, b].sort().join('+');
  const pairs = new Map(defaultStackingRules.pairs.map((p) => [key(...p.classes), p]));
  for (const p of overrides.pairs ?? []) pairs.set(key(...p.classes), p);
  return { pick: { ...defaultStackingRules.pick, ...overrides.pick }, pairs: [...pairs.values()] };
}

function pairRule(rules: StackingRules, a: OfferClass, b: OfferClass): PairRule {
  if (a === b) return 'stack';
  if (a === 'exclusive' || b === 'exclusive') return 'never';
  return rules.pairs.find((p) => (p.classes[0] === a && p.classes[1] === b) || (p.classes[0] === b && p.classes[1] === a))?.rule ?? 'stack';
}

export interface ResolvedLine extends CartLine {
  lineTotal: number;
  discount: number;
  paidAmount: number;
}

export interface AppliedOperation {
  pluginId: string;
  /** Position in the plugin's output. */
  index: number;
  kind: PricingOperationKind;
  label: Localized;
  combinesWith: OfferClass;
  priority: number;
  ref: string | null;
  /** What the plugin asked for, and what it got after caps (both 0 for gifts). */
  requested: number;
  amount: number;
  lineId?: string;
  points?: number;
  skuId?: string;
  quantity?: number;
  /** How an order discount or points offset landed on the lines. */
  allocation?: readonly { lineId: string; amount: number }[];
}

export interface UnappliedOperation {
  pluginId: string;
  index: number;
  kind: PricingOperationKind;
  ref: string | null;
  reason: 'outranked' | 'not-combinable' | 'nothing-left';
}

export interface RejectedOutput {
  pluginId: string;
  index: number | null;
  reason: string;
}

export interface ResolvedPricing {
  lines: ResolvedLine[];
  itemsTotal: number;
  /** Everything taken off the items, points offset included. */
  discountTotal: number;
  /** Of `discountTotal`, what points paid. */
  pointsAmount: number;
  pointsUsed: number;
  shippingDiscount: number;
  /** Shipping still charged. */
  shippingFee: number;
  payTotal: number;
  gifts: { pluginId: string; skuId: string; quantity: number; label: Localized; ref: string | null }[];
  applied: AppliedOperation[];
  unapplied: UnappliedOperation[];
  rejected: RejectedOutput[];
  /** The classes that applied together. */
  classes: OfferClass[];
}

export interface ResolvePricingOptions {
  rules?: StackingRules;
  /**
   * Each plugin's output is the `operations` its `checkOperations` against this same cart and
   * shipping fee returned: the pipeline checked them as each hook answered, so they are not
   * parsed a second time.
   */
  prechecked?: boolean;
}

interface Candidate {
  pluginId: string;
  index: number;
  op: PricingOperation;
}

const classRank = (c: OfferClass) => offerClasses.indexOf(c);
const valueOf = (op: PricingOperation) => (op.kind === 'gift' ? 0 : op.amount);
const refOf = (op: PricingOperation) => op.ref ?? null;
/** Code-unit order: the same everywhere, unlike localeCompare. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function better(a: Candidate, b: Candidate): number {
  return b.op.priority - a.op.priority
    || valueOf(b.op) - valueOf(a.op)
    || compareText(a.pluginId, b.pluginId)
    || compareText(refOf(a.op) ?? '', refOf(b.op) ?? '')
    || a.index - b.index;
}

/** What an operation competes for under `one-per-target`. */
function target(op: PricingOperation): string {
  switch (op.kind) {
    case 'line_discount': return `line:${op.lineId}`;
    case 'order_discount': return 'order';
    case 'shipping_discount': return 'shipping';
    case 'points_redemption': return 'points';
    case 'gift': return `gift:${op.skuId}`;
  }
}

/** Operations of one class that stand or fall together (step 2). */
interface Offer {
  pluginId: string;
  ref: string | null;
  /** In the plugin's output order. */
  operations: Candidate[];
  /** The highest of its operations'. */
  priority: number;
  /** Σ of what its operations ask for (gifts 0). */
  value: number;
  /** Position of its first operation in the plugin's output. */
  first: number;
  targets: Set<string>;
}

/** Groups one class's candidates into offers: same plugin and same ref, or a lone operation without a ref. */
function offersOf(candidates: readonly Candidate[]): Offer[] {
  const offers = new Map<string, Offer>();
  for (const c of candidates) {
    const ref = refOf(c.op);
    // A ref is a string and a position a number, so the two kinds of key never collide.
    const key = JSON.stringify([c.pluginId, ref ?? c.index]);
    const offer = offers.get(key);
    if (!offer) {
      offers.set(key, { pluginId: c.pluginId, ref, operations: [c], priority: c.op.priority, value: valueOf(c.op), first: c.index, targets: new Set([target(c.op)]) });
      continue;
    }
    offer.operations.push(c);
    offer.priority = Math.max(offer.priority, c.op.priority);
    offer.value += valueOf(c.op);
    offer.first = Math.min(offer.first, c.index);
    offer.targets.add(target(c.op));
  }
  return [...offers.values()];
}

function betterOffer(a: Offer, b: Offer): number {
  return b.priority - a.priority
    || b.value - a.value
    || compareText(a.pluginId, b.pluginId)
    || compareText(a.ref ?? '', b.ref ?? '')
    || a.first - b.first;
}

/** Step 2: within each class, the offers its `pick` lets through — as operations, best first. */
function pickWinners(candidates: readonly Candidate[], rules: StackingRules, unapplied: UnappliedOperation[]): Map<OfferClass, Candidate[]> {
  const winners = new Map<OfferClass, Candidate[]>();
  for (const cls of offerClasses) {
    const offers = offersOf(candidates.filter((c) => c.op.combinesWith === cls)).sort(betterOffer);
    if (!offers.length) continue;
    const mode: ClassPick = cls === 'exclusive' ? 'one' : rules.pick[cls];
    const kept: Candidate[] = [];
    let keptOffers = 0;
    const held = new Set<string>();
    for (const offer of offers) {
      const keep = mode === 'all' || (mode === 'one' ? keptOffers === 0 : ![...offer.targets].some((t) => held.has(t)));
      if (keep) {
        keptOffers++;
        kept.push(...offer.operations);
        for (const t of offer.targets) held.add(t);
      } else {
        for (const c of offer.operations) unapplied.push({ pluginId: c.pluginId, index: c.index, kind: c.op.kind, ref: refOf(c.op), reason: 'outranked' });
      }
    }
    // Applied operation by operation, best first, as before offers: caps and spreads bite the worse ones.
    winners.set(cls, kept.sort(better));
  }
  return winners;
}

interface Outcome {
  classes: OfferClass[];
  lines: ResolvedLine[];
  shippingDiscount: number;
  pointsAmount: number;
  pointsUsed: number;
  applied: AppliedOperation[];
  nothingLeft: Candidate[];
  /** Line discounts refused because another class already holds the line (`separate-lines`). */
  separated: Candidate[];
  saving: number;
}

function appliedOf(c: Candidate, amount: number): AppliedOperation {
  const { op } = c;
  const base: AppliedOperation = { pluginId: c.pluginId, index: c.index, kind: op.kind, label: op.label, combinesWith: op.combinesWith, priority: op.priority, ref: refOf(op), requested: valueOf(op), amount };
  if (op.kind === 'line_discount') return { ...base, lineId: op.lineId };
  if (op.kind === 'gift') return { ...base, skuId: op.skuId, quantity: op.quantity };
  return base;
}

/** Step 4: applies the winners of one set of classes. */
function apply(classes: readonly OfferClass[], winners: Map<OfferClass, Candidate[]>, cart: readonly CartLine[], shippingFee: number, rules: StackingRules): Outcome {
  const lines: ResolvedLine[] = cart.map((l) => ({ ...l, lineTotal: l.unitPrice * l.quantity, discount: 0, paidAmount: 0 }));
  const left = (l: ResolvedLine) => l.lineTotal - l.discount;
  /** Classes that already took something off each line. */
  const touched = lines.map(() => new Set<OfferClass>());
  const separate = new Map<string, boolean>();
  const separates = (other: OfferClass, cls: OfferClass) => {
    const key = `${other}|${cls}`;
    let found = separate.get(key);
    if (found === undefined) separate.set(key, (found = pairRule(rules, other, cls) === 'separate-lines'));
    return found;
  };
  const mayTouch = (i: number, cls: OfferClass) => {
    for (const other of touched[i]!) if (separates(other, cls)) return false;
    return true;
  };
  const lineIndex = new Map(lines.map((l, i) => [l.lineId, i]));
  const ordered = [...classes].sort((a, b) => classRank(a) - classRank(b));
  const ofKind = (kind: PricingOperationKind) => ordered.flatMap((cls) => (winners.get(cls) ?? []).filter((c) => c.op.kind === kind));
  const applied: AppliedOperation[] = [];
  const nothingLeft: Candidate[] = [];
  const separated: Candidate[] = [];

  for (const c of ofKind('line_discount')) {
    if (c.op.kind !== 'line_discount') continue;
    const lineId = c.op.lineId;
    const i = lineIndex.get(lineId) ?? -1;
    if (!mayTouch(i, c.op.combinesWith)) { separated.push(c); continue; }
    const amount = Math.min(c.op.amount, left(lines[i]!));
    if (amount === 0) { nothingLeft.push(c); continue; }
    lines[i]!.discount += amount;
    touched[i]!.add(c.op.combinesWith);
    applied.push(appliedOf(c, amount));
  }

  const spreadOver = (c: Candidate, requested: number) => {
    const eligible = lines.map((l, i) => (mayTouch(i, c.op.combinesWith) ? left(l) : 0));
    const amount = Math.min(requested, eligible.reduce((a, b) => a + b, 0));
    if (amount === 0) return null;
    const shares = spreadProportionally(amount, eligible);
    const allocation: { lineId: string; amount: number }[] = [];
    shares.forEach((share, i) => {
      if (share === 0) return;
      lines[i]!.discount += share;
      touched[i]!.add(c.op.combinesWith);
      allocation.push({ lineId: lines[i]!.lineId, amount: share });
    });
    return { amount, allocation };
  };

  for (const c of ofKind('order_discount')) {
    if (c.op.kind !== 'order_discount') continue;
    const done = spreadOver(c, c.op.amount);
    if (!done) nothingLeft.push(c);
    else applied.push({ ...appliedOf(c, done.amount), allocation: done.allocation });
  }

  let pointsAmount = 0;
  let pointsUsed = 0;
  for (const c of ofKind('points_redemption')) {
    if (c.op.kind !== 'points_redemption') continue;
    const done = spreadOver(c, c.op.amount);
    if (!done) { nothingLeft.push(c); continue; }
    // Capped offsets charge fewer points, rounded up so points never buy more than their rate.
    const points = done.amount === c.op.amount ? c.op.points : Math.ceil((c.op.points * done.amount) / c.op.amount);
    pointsAmount += done.amount;
    pointsUsed += points;
    applied.push({ ...appliedOf(c, done.amount), points, allocation: done.allocation });
  }

  let shippingDiscount = 0;
  for (const c of ofKind('shipping_discount')) {
    if (c.op.kind !== 'shipping_discount') continue;
    const amount = Math.min(c.op.amount, shippingFee - shippingDiscount);
    if (amount === 0) { nothingLeft.push(c); continue; }
    shippingDiscount += amount;
    applied.push(appliedOf(c, amount));
  }

  for (const c of ofKind('gift')) applied.push(appliedOf(c, 0));

  for (const l of lines) l.paidAmount = left(l);
  const saving = lines.reduce((a, l) => a + l.discount, 0) + shippingDiscount;
  return { classes: ordered, lines, shippingDiscount, pointsAmount, pointsUsed, applied, nothingLeft, separated, saving };
}

/** Every set of present classes the pair rules allow (the empty set included). */
function allowedSets(present: readonly OfferClass[], rules: StackingRules): OfferClass[][] {
  const sets: OfferClass[][] = [];
  for (let mask = 0; mask < 1 << present.length; mask++) {
    const set = present.filter((_, i) => mask & (1 << i));
    const ok = set.every((a, i) => set.slice(i + 1).every((b) => pairRule(rules, a, b) !== 'never'));
    if (ok) sets.push(set);
  }
  return sets;
}

function preferred(a: Outcome, b: Outcome): Outcome {
  if (a.saving !== b.saving) return a.saving > b.saving ? a : b;
  if (a.classes.length !== b.classes.length) return a.classes.length > b.classes.length ? a : b;
  const ax = a.classes.includes('exclusive');
  if (ax !== b.classes.includes('exclusive')) return ax ? b : a;
  return [...a.classes].sort().join() <= [...b.classes].sort().join() ? a : b;
}

/**
 * Prices a cart: the lines, the shipping fee before discounts, and what each plugin's pricing
 * hook returned (keyed by plugin id; the key order does not matter).
 */
export function resolvePricing(cart: readonly CartLine[], shippingFee: number, operationsByPlugin: Readonly<Record<string, unknown>>, options: ResolvePricingOptions = {}): ResolvedPricing {
  const rules = options.rules ?? defaultStackingRules;
  const basis = pricingBasis(cart, shippingFee);
  const rejected: RejectedOutput[] = [];
  const candidates: Candidate[] = [];
  for (const pluginId of Object.keys(operationsByPlugin).sort()) {
    const check = options.prechecked
      ? { ok: true, operations: operationsByPlugin[pluginId] as readonly PricingOperation[], index: null, reason: null }
      : checkOperations(operationsByPlugin[pluginId], basis);
    if (!check.ok) rejected.push({ pluginId, index: check.index, reason: check.reason ?? 'invalid output' });
    else check.operations.forEach((op, index) => candidates.push({ pluginId, index, op }));
  }
  const unapplied: UnappliedOperation[] = [];
  const winners = pickWinners(candidates, rules, unapplied);
  const present = offerClasses.filter((c) => winners.has(c));
  const best = allowedSets(present, rules).map((set) => apply(set, winners, cart, shippingFee, rules)).reduce(preferred);

  for (const cls of present) {
    if (best.classes.includes(cls)) continue;
    for (const c of winners.get(cls)!) unapplied.push({ pluginId: c.pluginId, index: c.index, kind: c.op.kind, ref: refOf(c.op), reason: 'not-combinable' });
  }
  for (const c of best.separated) unapplied.push({ pluginId: c.pluginId, index: c.index, kind: c.op.kind, ref: refOf(c.op), reason: 'not-combinable' });
  for (const c of best.nothingLeft) unapplied.push({ pluginId: c.pluginId, index: c.index, kind: c.op.kind, ref: refOf(c.op), reason: 'nothing-left' });
  unapplied.sort((a, b) => compareText(a.pluginId, b.pluginId) || a.index - b.index);

  const discountTotal = best.lines.reduce((a, l) => a + l.discount, 0);
  const shippingLeft = basis.shippingFee - best.shippingDiscount;
  return {
    lines: best.lines,
    itemsTotal: basis.itemsTotal,
    discountTotal,
    pointsAmount: best.pointsAmount,
    pointsUsed: best.pointsUsed,
    shippingDiscount: best.shippingDiscount,
    shippingFee: shippingLeft,
    payTotal: basis.itemsTotal - discountTotal + shippingLeft,
    gifts: best.applied.filter((a) => a.kind === 'gift').map((a) => ({ pluginId: a.pluginId, skuId: a.skuId!, quantity: a.quantity!, label: a.label, ref: a.ref })),
    applied: best.applied,
    unapplied,
    rejected,
    classes: best.classes,
  };
}
