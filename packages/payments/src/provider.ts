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

export interface RefundResult {
  externalRefundId: string;
  status: 'processing' | 'succeeded';
}

export interface PaymentProvider {
  readonly id: PaymentProviderId;
  createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult>;
  /** Throws PaymentSignatureError when the request cannot be trusted. */
  parseNotify(request: NotifyRequest): Promise<PaymentNotice>;
  refund(input: RefundInput): Promise<RefundResult>;
}

/** Header lookup that ignores case: Node lowercases names, a hand-built record may not. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
