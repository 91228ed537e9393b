import { describe, expect, it } from 'vitest';
import { PaymentInputError, PaymentProviderError } from './errors';
import { fromMerchantOrderNo, toMerchantOrderNo } from './merchant-order-no';

describe('merchant order numbers', () => {
  const id = '01925f8e-3c1a-7b2d-9e4f-0a1b2c3d4e5f';

  it('sends a UUID as its 32 hex digits, which fit WeChat (6–32 of [A-Za-z0-9_-|*]) and Alipay (letters, digits, _)', () => {
    const no = toMerchantOrderNo(id);
    expect(no).toBe('01925f8e3c1a7b2d9e4f0a1b2c3d4e5f');
    expect(no).toMatch(/^[A-Za-z0-9_\-|*]{6,32}$/);
    expect(no).toMatch(/^\w{1,64}$/);
  });

  it('gets the same UUID back, upper-case input normalised', () => {
    expect(fromMerchantOrderNo(toMerchantOrderNo(id))).toBe(id);
    expect(fromMerchantOrderNo(toMerchantOrderNo(id.toUpperCase()))).toBe(id);
  });

  it('refuses ids that are not UUIDs instead of sending something it cannot map back', () => {
    expect(() => toMerchantOrderNo('order-1')).toThrow(PaymentInputError);
    expect(() => toMerchantOrderNo(`${id}0`)).toThrow(PaymentInputError);
  });

  it('refuses order numbers it did not issue', () => {
    expect(() => fromMerchantOrderNo('20150806125346')).toThrow(PaymentProviderError);
    expect(() => fromMerchantOrderNo(id)).toThrow(PaymentProviderError);
  });
});
