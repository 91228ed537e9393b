import { describe, expect, it } from 'vitest';
import { PaymentInputError, PaymentProviderError } from './errors';
import { fenToYuan, yuanToFen } from './money';

describe('yuanToFen', () => {
  it.each([
    ['0.01', 1],
    ['199.90', 19990],
    ['199.9', 19990],
    ['10', 1000],
    ['0.10', 10],
    ['1.15', 115], // 1.15 * 100 = 114.99999999999999 in floating point
    ['100000000.00', 10_000_000_000],
  ])('turns %s yuan into exactly %i fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each(['', '1.001', '-1', '+1', '01.00', '1.', '.5', '1e3', ' 1', '1,00', '0x10', '99999999999999999.00'])('refuses %j', (yuan) => {
    expect(() => yuanToFen(yuan)).toThrow(PaymentProviderError);
  });
});

describe('fenToYuan', () => {
  it.each([
    [1, '0.01'],
    [10, '0.10'],
    [19990, '199.90'],
    [0, '0.00'],
    [115, '1.15'],
    [123456789, '1234567.89'],
  ])('writes %i fen as %s', (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
  });

  it('round-trips every amount up to 1000 yuan', () => {
    for (let fen = 0; fen <= 100_000; fen++) if (yuanToFen(fenToYuan(fen)) !== fen) throw new Error(`lost ${fen}`);
  });

  it.each([0.5, -1, Number.NaN, 2 ** 53])('refuses %d', (fen) => {
    expect(() => fenToYuan(fen)).toThrow(PaymentInputError);
  });
});
