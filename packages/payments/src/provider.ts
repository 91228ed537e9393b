/**
 * The `payments` runtime port: one interface every provider adapter implements, so checkout and
 * the notify route never branch on the provider. Amounts are integer fen; ids are our UUIDs.
 */
export type PaymentProviderId = 'wechat' | 'alipay' | 'sandbox';

export interface CreatePaymentInput {
  intentId: string;
  orderNo: string;
  /** fen */
  amount: number;
  description: string;
  notifyUrl: string;
  returnUrl?: string;
  /**
   * openid selects WeChat JSAPI (inside WeChat); without it WeChat falls back to H5, which
   * requires the buyer's IP (scene_info.payer_client_ip is mandatory there).
   */
  payer?: { openid?: string; clientIp?: string };
}

export type CreatePaymentResult = { kind: 'redirect'; url: string } | { kind: 'jsapi'; params: Record<string, string> };

/** The raw HTTP request the provider sent: header names in any case, the body untouched. */
export interface NotifyRequest {
  headers: Record<string, string>;
  body: string;
}

export interface PaymentNotice {
  /** Absent on payment notices from adapters that only ever send payments. */
  kind?: 'payment';
  intentId: string;
  /** The provider's transaction id: the idempotency key for applying the payment. */
  externalId: string;
  /** fen */
  amount: number;
  outcome: 'paid' | 'failed';
}

export interface RefundInput {
  intentId: string;
  /** The provider's transaction id (PaymentNotice.externalId). */
  externalId: string;
  refundId: string;
  /** fen to refund now */
  amount: number;
  /** fen of the original payment */
  total: number;
  reason: string;
}

/**
 * What the provider said about a refund: `succeeded` (the money is back), `processing` (accepted;
 * the outcome comes later in a refund notify), `failed` (closed, or stuck and needing the merchant).
 */
export type RefundStatus = 'processing' | 'succeeded' | 'failed';

export interface RefundResult {
  externalRefundId: string;
  status: RefundStatus;
}

/** A refund's final outcome, notified asynchronously (WeChat Pay's REFUND.* events). */
export interface RefundNotice {
  kind: 'refund';
  /** Our refund id, or null when out_refund_no is not one this system issued. */
  refundId: string | null;
  /** out_refund_no exactly as the provider sent it. */
  outRefundNo: string;
  /** The provider's refund id. */
  externalRefundId: string;
  /** fen refunded (amount.refund) */
  amount: number;
  outcome: 'succeeded' | 'failed';
  /** The provider's own status word (SUCCESS, ABNORMAL, CLOSED). */
  providerStatus: string;
}

export interface PaymentProvider {
  readonly id: PaymentProviderId;
  createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult>;
  /**
   * Throws PaymentSignatureError when the request cannot be trusted. A provider whose refunds are
   * asynchronous (WeChat Pay) also returns refund notices here.
   */
  parseNotify(request: NotifyRequest): Promise<PaymentNotice | RefundNotice>;
  refund(input: RefundInput): Promise<RefundResult>;
}

/** Header lookup that ignores case: Node lowercases names, a hand-built record may not. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
