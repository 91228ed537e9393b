export type {
  PaymentProvider,
  PaymentProviderId,
  CreatePaymentInput,
  CreatePaymentResult,
  NotifyRequest,
  PaymentNotice,
  RefundInput,
  RefundResult,
  RefundStatus,
  RefundNotice,
} from './provider';
export { PaymentError, PaymentSignatureError, PaymentProviderError, PaymentInputError, PaymentNotifyIgnoredError, PayoutUnknownError, PayoutNotFoundError } from './errors';
export { fenToYuan, yuanToFen } from './money';
export { toMerchantOrderNo, fromMerchantOrderNo } from './merchant-order-no';
export { createWechatPayV3, type WechatPayV3Config } from './wechat-pay-v3';
export { createAlipay, type AlipayConfig } from './alipay';
export type { PayoutProvider, PayoutRequest, PayoutAccount, PayoutMethod, PayoutOutcome, PayoutNotice, PayoutUserConfirmation } from './payout';
export { toPayoutNo } from './payout';
export { createWechatTransfer, wechatTransferOutcome, WECHAT_REAL_NAME_THRESHOLD_FEN, type WechatTransferConfig, type WechatPayoutProvider } from './wechat-transfer';
export { createAlipayTransfer, alipayTransferOutcome, type AlipayTransferConfig } from './alipay-transfer';
export { offlinePayoutCsv, offlinePayoutCsvStream, offlinePayoutRow, spreadsheetSafeCell, OFFLINE_PAYOUT_COLUMNS, type OfflinePayoutItem } from './offline-payouts';
