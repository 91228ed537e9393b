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
