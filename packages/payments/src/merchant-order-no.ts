import { PaymentInputError, PaymentProviderError } from './errors';

/**
 * Our ids are UUIDs (36 characters with dashes). WeChat's out_trade_no must be 6–32 characters
 * of [A-Za-z0-9_-|*] and Alipay's out_trade_no allows letters, digits and underscores only, so
 * both providers get the UUID with its four dashes removed: 32 lowercase hex characters. The
 * mapping is reversible because a UUID's dash positions are fixed (8-4-4-4-12).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COMPACT = /^[0-9a-f]{32}$/;

export function toMerchantOrderNo(id: string): string {
  const lower = id.toLowerCase();
  if (!UUID.test(lower)) throw new PaymentInputError(`ids sent to a payment provider must be UUIDs, got ${JSON.stringify(id)}`);
  return lower.replaceAll('-', '');
}

export function fromMerchantOrderNo(no: string): string {
  // A value we did not issue (another system sharing the merchant account) is a provider-side
  // surprise, not a caller mistake.
  if (!COMPACT.test(no)) throw new PaymentProviderError('UNKNOWN_ORDER_NO', `not an order number this system issued: ${JSON.stringify(no)}`);
  return `${no.slice(0, 8)}-${no.slice(8, 12)}-${no.slice(12, 16)}-${no.slice(16, 20)}-${no.slice(20)}`;
}
