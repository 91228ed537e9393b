/**
 * Errors a provider adapter throws. Each carries a stable `code` so a route can branch on it
 * without reading messages; PAYMENT_SIGNATURE_INVALID is the code @tuike/core's catalog already
 * answers with 401.
 */
export class PaymentError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The message cannot be trusted: bad or missing signature, unknown platform key, a timestamp
 * outside the replay window, a ciphertext whose GCM tag does not verify, or a notify addressed
 * to another merchant. Answer the provider with a failure and record it; never apply it.
 */
export class PaymentSignatureError extends PaymentError {
  constructor(reason: string) {
    super('PAYMENT_SIGNATURE_INVALID', `payment signature invalid: ${reason}`);
  }
}

/** The provider answered with an error (HTTP or business code), or with something unreadable. */
export class PaymentProviderError extends PaymentError {
  readonly providerCode: string;
  readonly status: number;
  constructor(providerCode: string, message: string, status = 0) {
    super('PAYMENT_PROVIDER_ERROR', `payment provider error ${providerCode}: ${message}`);
    this.providerCode = providerCode;
    this.status = status;
  }
}

/** The caller passed something no provider accepts (not a UUID intent id, fractional fen …). */
export class PaymentInputError extends PaymentError {
  constructor(message: string) {
    super('PAYMENT_INPUT_INVALID', message);
  }
}

/**
 * An authentic notify that carries no payment outcome (Alipay's WAIT_BUYER_PAY, a WeChat refund
 * event sent to the payment URL). Acknowledge it so the provider stops retrying, change nothing.
 */
export class PaymentNotifyIgnoredError extends PaymentError {
  constructor(reason: string) {
    super('PAYMENT_NOTIFY_IGNORED', `payment notify ignored: ${reason}`);
  }
}

/**
 * A payout whose fate is not known: the request may or may not have reached the provider (network
 * error, timeout, 5xx, rate limit, an answer we could not read). The money may already be on its
 * way, so this is never a failure: keep the payout reserved and `query` it later (or repeat
 * `transfer` with the same payoutId, which the provider de-duplicates by our out number).
 */
export class PayoutUnknownError extends PaymentError {
  readonly providerCode: string;
  constructor(providerCode: string, message: string, options?: { cause?: unknown }) {
    super('PAYOUT_OUTCOME_UNKNOWN', `payout outcome unknown (${providerCode}): ${message}`);
    this.providerCode = providerCode;
    if (options && 'cause' in options) this.cause = options.cause;
  }
}

/**
 * The provider, asked by our out number, has no such transfer: nothing was paid under it yet.
 * Safe to repeat `transfer` with the same payoutId; not, on this alone, to give up on the payout
 * and pay it under a new id (an earlier request may still be arriving).
 */
export class PayoutNotFoundError extends PaymentError {
  constructor(payoutId: string) {
    super('PAYOUT_NOT_FOUND', `the provider has no transfer for payout ${payoutId}`);
  }
}
