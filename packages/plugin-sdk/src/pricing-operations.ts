import * as v from 'valibot';
import { offerClasses, type CartLine, type PricingOperation } from './hooks';

/**
 * What a pricing hook returned, checked before anything is applied. A plugin's output is taken
 * whole or not at all: one bad operation (a negative or fractional amount, a line that is not in
 * the cart, more discount than the thing it discounts) sets the plugin's whole output aside for
 * this call, with the reason.
 */
const money = v.pipe(v.number(), v.safeInteger('must be a whole number of fen'), v.minValue(0, 'must not be negative'));
const label = v.strictObject({ zh: v.pipe(v.string(), v.nonEmpty(), v.maxLength(60)), en: v.pipe(v.string(), v.nonEmpty(), v.maxLength(60)) });
const common = {
  label,
  combinesWith: v.picklist(offerClasses, `must be one of ${offerClasses.join(', ')}`),
  priority: v.pipe(v.number(), v.safeInteger('must be an integer')),
  ref: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
};

export const pricingOperationSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('line_discount'), lineId: v.pipe(v.string(), v.nonEmpty()), amount: money, ...common }),
  v.strictObject({ kind: v.literal('order_discount'), amount: money, ...common }),
  v.strictObject({ kind: v.literal('shipping_discount'), amount: money, ...common }),
  v.strictObject({ kind: v.literal('gift'), skuId: v.pipe(v.string(), v.nonEmpty(), v.maxLength(64)), quantity: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(99)), ...common }),
  v.strictObject({ kind: v.literal('points_redemption'), points: v.pipe(v.number(), v.safeInteger(), v.minValue(1)), amount: money, ...common }),
]);

/** At most this many operations from one plugin per call. */
export const maxOperationsPerPlugin = 200;

export interface OperationsCheck {
  ok: boolean;
  operations: readonly PricingOperation[];
  /** Why the output was set aside, and which operation (null: the output as a whole). */
  reason: string | null;
  index: number | null;
}

/** Line totals by line id, the items total and the shipping fee: what operations are measured against. */
export interface PricingBasis {
  lineTotals: ReadonlyMap<string, number>;
  itemsTotal: number;
  shippingFee: number;
}

export function pricingBasis(lines: readonly CartLine[], shippingFee: number): PricingBasis {
  const lineTotals = new Map<string, number>();
  let itemsTotal = 0;
  for (const l of lines) {
    if (!Number.isSafeInteger(l.unitPrice) || l.unitPrice < 0) throw new RangeError(`line ${l.lineId}: unit price must be whole fen ≥ 0`);
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1) throw new RangeError(`line ${l.lineId}: quantity must be a whole number ≥ 1`);
    if (lineTotals.has(l.lineId)) throw new RangeError(`line ${l.lineId} appears twice`);
    const total = l.unitPrice * l.quantity;
    if (!Number.isSafeInteger(total)) throw new RangeError(`line ${l.lineId}: total out of range`);
    lineTotals.set(l.lineId, total);
    itemsTotal += total;
  }
  if (!Number.isSafeInteger(shippingFee) || shippingFee < 0) throw new RangeError('shipping fee must be whole fen ≥ 0');
  return { lineTotals, itemsTotal, shippingFee };
}

function beyond(op: PricingOperation, basis: PricingBasis): string | null {
  switch (op.kind) {
    case 'line_discount': {
      const total = basis.lineTotals.get(op.lineId);
      if (total === undefined) return `line_discount on line "${op.lineId}", which is not in the cart`;
      return op.amount > total ? `line_discount of ${op.amount} on line "${op.lineId}" worth ${total}` : null;
    }
    case 'order_discount':
    case 'points_redemption':
      return op.amount > basis.itemsTotal ? `${op.kind} of ${op.amount} on items worth ${basis.itemsTotal}` : null;
    case 'shipping_discount':
      return op.amount > basis.shippingFee ? `shipping_discount of ${op.amount} on shipping of ${basis.shippingFee}` : null;
    case 'gift':
      return null;
  }
}

export function checkOperations(output: unknown, basis: PricingBasis): OperationsCheck {
  const fail = (reason: string, index: number | null): OperationsCheck => ({ ok: false, operations: [], reason, index });
  if (!Array.isArray(output)) return fail('pricing must return an array of operations', null);
  if (output.length > maxOperationsPerPlugin) return fail(`more than ${maxOperationsPerPlugin} operations`, null);
  const operations: PricingOperation[] = [];
  for (let i = 0; i < output.length; i++) {
    const parsed = v.safeParse(pricingOperationSchema, output[i]);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      return fail(`${v.getDotPath(issue) ?? 'operation'} ${issue.message}`, i);
    }
    const op = parsed.output as PricingOperation;
    const why = beyond(op, basis);
    if (why) return fail(why, i);
    operations.push(op);
  }
  return { ok: true, operations, reason: null, index: null };
}
