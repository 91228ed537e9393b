import { describe, expect, it } from 'vitest';
import { ShareKitInputError } from './errors';
import { formatFenAsYuan, formatPrice } from './money';

describe('formatPrice', () => {
  it.each([
    [19900, '¥199.00'],
    [19990, '¥199.90'],
    [19999, '¥199.99'],
    [100, '¥1.00'],
    [5, '¥0.05'],
    [50, '¥0.50'],
    [0, '¥0.00'],
    [123456789, '¥1234567.89'],
    [Number.MAX_SAFE_INTEGER, '¥90071992547409.91'],
  ])('shows %i fen as %s with exactly two decimals', (fen, shown) => {
    expect(formatPrice(fen)).toBe(shown);
  });

  it('formats without the currency sign for places that add their own', () => {
    expect(formatFenAsYuan(30)).toBe('0.30');
  });

  it.each([1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses %s, which is not a non-negative safe integer of fen', (fen) => {
    expect(() => formatPrice(fen)).toThrow(ShareKitInputError);
    expect(() => formatPrice(fen)).toThrow(/integer of fen/);
  });
});
