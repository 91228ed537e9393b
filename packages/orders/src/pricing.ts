/**
 * The pricing pipeline: cart, preview and order placement all price through this one function,
 * so the price shown is the price charged. Plugins (the marketplace issue) add operations through
 * hooks; the pipeline, not the plugins, applies them and floors every total at zero.
 */
export interface PricedLineInput {
  skuId: string;
  unitPrice: number;
  quantity: number;
}

export type PricingOperation =
  | { kind: 'line_discount'; skuId: string; amount: number; label: string }
  | { kind: 'order_discount'; amount: number; label: string }
  | { kind: 'shipping_discount'; amount: number; label: string };

export type PricingHook = (snapshot: { lines: readonly PricedLineInput[]; itemsTotal: number }) => PricingOperation[];

export interface ShippingRule {
  /** flat: always `fee`; free_over: `fee` unless the items total reaches `freeThreshold`. */
  mode: 'flat' | 'free_over';
  fee: number;
  freeThreshold: number;
}

export const defaultShipping: ShippingRule = { mode: 'free_over', fee: 1000, freeThreshold: 9900 };

export interface PricedLine extends PricedLineInput {
  lineTotal: number;
  discount: number;
  paidAmount: number;
  /** A gift an offer added: priced at its list price, all of it discounted; not from the cart. */
  gift?: boolean;
}

export interface PricedCart {
  lines: PricedLine[];
  itemsTotal: number;
  discountTotal: number;
  shippingFee: number;
  payTotal: number;
  adjustments: { label: string; amount: number }[];
}

export function shippingFee(rule: ShippingRule, itemsTotal: number): number {
  if (itemsTotal === 0) return 0;
  return rule.mode === 'free_over' && itemsTotal >= rule.freeThreshold ? 0 : rule.fee;
}

/**
 * Order discounts are spread over lines in proportion to their totals (floor, remainder on the
 * largest line), so every line knows what the buyer paid for it: commission's base later.
 */
export function priceLines(lines: readonly PricedLineInput[], shipping: ShippingRule, hooks: readonly PricingHook[] = []): PricedCart {
  const priced = lines.map((l) => ({ ...l, lineTotal: l.unitPrice * l.quantity, discount: 0, paidAmount: 0 }));
  const itemsTotal = priced.reduce((sum, l) => sum + l.lineTotal, 0);
  const operations = hooks.flatMap((hook) => hook({ lines, itemsTotal }));
  const adjustments: { label: string; amount: number }[] = [];
  let shippingDiscount = 0;
  for (const op of operations) {
    if (op.kind === 'line_discount') {
      const line = priced.find((l) => l.skuId === op.skuId);
      if (!line) continue;
      const amount = Math.max(0, Math.min(op.amount, line.lineTotal - line.discount));
      line.discount += amount;
      adjustments.push({ label: op.label, amount });
    } else if (op.kind === 'order_discount') {
      const remaining = priced.reduce((sum, l) => sum + l.lineTotal - l.discount, 0);
      const amount = Math.max(0, Math.min(op.amount, remaining));
      spread(priced, amount, remaining);
      adjustments.push({ label: op.label, amount });
    } else {
      shippingDiscount += Math.max(0, op.amount);
    }
  }
  for (const l of priced) l.paidAmount = l.lineTotal - l.discount;
  const discountTotal = priced.reduce((sum, l) => sum + l.discount, 0);
  const fee = Math.max(0, shippingFee(shipping, itemsTotal) - shippingDiscount);
  return { lines: priced, itemsTotal, discountTotal, shippingFee: fee, payTotal: itemsTotal - discountTotal + fee, adjustments };
}

function spread(lines: PricedLine[], amount: number, base: number) {
  if (amount === 0 || base === 0) return;
  let given = 0;
  for (const l of lines) {
    const share = Math.floor((amount * (l.lineTotal - l.discount)) / base);
    l.discount += share;
    given += share;
  }
  const largest = lines.reduce((a, b) => (b.lineTotal - b.discount > a.lineTotal - a.discount ? b : a));
  largest.discount += amount - given;
}
