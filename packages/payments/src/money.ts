import { PaymentInputError, PaymentProviderError } from './errors';

/**
 * Money is integer fen everywhere in Tuike; providers that speak yuan (Alipay) get a decimal
 * string. Both directions are pure string/integer arithmetic: a float never touches an amount,
 * so 0.1 + 0.2 style errors cannot happen.
 */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new PaymentInputError(`amount must be a non-negative integer of fen, got ${fen}`);
  const s = String(fen).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** Accepts what Alipay sends ("0.01", "199.90", "10", "199.9"); anything else is refused. */
export function yuanToFen(yuan: string): number {
  const m = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!m) throw new PaymentProviderError('BAD_AMOUNT', `not a yuan amount: ${JSON.stringify(yuan)}`);
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) throw new PaymentProviderError('BAD_AMOUNT', `amount out of range: ${yuan}`);
  return fen;
}

export function assertFen(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new PaymentInputError(`${what} must be a positive integer of fen, got ${amount}`);
}
