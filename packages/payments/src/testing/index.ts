/**
 * Local stand-ins for WeChat Pay and Alipay (node:http on loopback) — payments and merchant
 * transfers — and builders for their signed notifies. Node only: the production entry
 * (`@tuike/payments`) never imports this.
 */
export { generateRsaKeyPair, toPem, type RsaKeyPair } from './keys';
export { startWechatPayStandIn, type WechatPayStandIn, type WechatPayStandInOptions, type StandInOrder } from './wechat-pay-stand-in';
export { buildWechatNotify, buildWechatRefundNotify, signWechatMessage, type WechatNotifyOptions } from './wechat-notify';
export { startAlipayStandIn, type AlipayStandIn, type AlipayStandInOptions, type StandInTrade } from './alipay-stand-in';
export { buildAlipayNotify } from './alipay-notify';
export type { WechatTransferDesk, WechatTransferScript, WechatTransferState, StandInTransferBill } from './wechat-transfer-desk';
export { buildWechatTransferNotify } from './wechat-transfer-desk';
export type { AlipayTransferDesk, AlipayTransferScript, AlipayTransferStatus, StandInTransferOrder } from './alipay-transfer-desk';
export type { RecordedRequest, LocalServer } from './http';
