export type {
  PaymentProvider,
  PaymentProviderId,
  CreatePaymentInput,
  CreatePaymentResult,
  NotifyRequest,
  PaymentNotice,
  RefundInput,
  RefundResult,
} from './provider';
export { PaymentError, PaymentSignatureError, PaymentProviderError, PaymentInputError, PaymentNotifyIgnoredError } from './errors';
export { fenToYuan, yuanToFen } from './money';
export { toMerchantOrderNo, fromMerchantOrderNo } from './merchant-order-no';
export { createWechatPayV3, type WechatPayV3Config } from './wechat-pay-v3';
export { createAlipay, type AlipayConfig } from './alipay';
