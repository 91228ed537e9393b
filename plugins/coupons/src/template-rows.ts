import type { SqlRowValue } from '@tuike/plugin-sdk';
import { couponKinds, scopeTypes, type CouponTerms } from './coupon-terms';
import { int, intOrNull, oneOf, stringList } from './rows';

/** The template columns that make up a coupon's terms, under a table alias. */
export const termColumns = (alias: string) =>
  ['kind', 'amount_off', 'percent_off_bps', 'max_discount', 'threshold', 'scope', 'scope_ids'].map((c) => `${alias}.${c}`).join(', ');

export function termsOf(row: Readonly<Record<string, SqlRowValue>>): CouponTerms {
  return {
    kind: oneOf(row, 'kind', couponKinds),
    amountOff: intOrNull(row, 'amount_off'),
    percentOffBps: intOrNull(row, 'percent_off_bps'),
    maxDiscount: intOrNull(row, 'max_discount'),
    threshold: int(row, 'threshold'),
    scope: oneOf(row, 'scope', scopeTypes),
    scopeIds: stringList(row, 'scope_ids'),
  };
}
