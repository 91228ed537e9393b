import { ShareKitInputError } from './errors';

/**
 * Shown prices are integer fen turned into yuan with exactly two decimals by integer and string
 * arithmetic only, so no float rounding can print ¥199.99 for 19999.5 or ¥0.30000000000000004.
 * (@tuike/core has no such formatter; @tuike/payments has one for provider payloads, which a
 * poster should not depend on.)
 */
export function formatFenAsYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) {
    throw new ShareKitInputError('MONEY_INVALID', `a price must be a non-negative integer of fen, got ${fen}`);
  }
  const digits = String(fen).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** `19900` → `¥199.00`. */
export function formatPrice(fen: number): string {
  return `¥${formatFenAsYuan(fen)}`;
}
