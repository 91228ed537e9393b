import type { JsonValue, PluginResponse, Veto } from '@tuike/plugin-sdk';

/** A type alias, not the SDK's interface, so it fits a JSON body. */
export type Bilingual = { zh: string; en: string };

/**
 * The plugin's stable error codes, each with an HTTP status (for routes) and a message in zh-CN
 * and en. Route errors answer `{ error: { code, message: { zh, en }, details? } }`: a plugin route
 * does not see the request's locale, so both languages travel and the client shows one.
 */
export const flashSaleErrors = {
  FLASH_SALE_SIGN_IN_REQUIRED: { status: 401, zh: '请先登录', en: 'Please sign in first' },
  FLASH_SALE_ACTIVITY_NOT_FOUND: { status: 404, zh: '秒杀活动不存在', en: 'This flash sale does not exist' },
  FLASH_SALE_ACTIVITY_INVALID: { status: 400, zh: '秒杀活动设置不正确', en: 'The flash sale settings are not valid' },
  FLASH_SALE_ACTIVITY_ENDED: { status: 409, zh: '秒杀活动已结束，不能再启用或修改时间', en: 'This flash sale has ended; it cannot be enabled or rescheduled' },
  FLASH_SALE_SKU_OVERLAP: { status: 409, zh: '同一规格不能同时参加时间重叠的两个秒杀活动', en: 'A SKU cannot be in two active flash sales whose times overlap' },
  FLASH_SALE_STOCK_BELOW_SOLD: { status: 409, zh: '秒杀库存不能少于已售出数量', en: 'The flash-sale stock cannot go below the units already sold' },
  FLASH_SALE_ENTRY_HAS_SALES: { status: 409, zh: '已有订单的秒杀商品不能移出活动', en: 'A SKU that has flash-sale orders cannot be removed from the sale' },
  FLASH_SALE_QUERY_INVALID: { status: 400, zh: '查询参数不正确', en: 'The query parameters are not valid' },
  // Cart vetoes (willAddToCart) and the reservation's refusal.
  FLASH_SALE_SOLD_OUT: { status: 409, zh: '秒杀商品已抢光或剩余数量不足', en: 'The flash-sale units are sold out, or not enough are left' },
  FLASH_SALE_LIMIT_REACHED: { status: 409, zh: '已超出该秒杀商品的每人限购数量', en: 'This exceeds the flash sale\'s limit per buyer' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type FlashSaleErrorCode = keyof typeof flashSaleErrors;

export function messageOf(code: FlashSaleErrorCode): Bilingual {
  return { zh: flashSaleErrors[code].zh, en: flashSaleErrors[code].en };
}

export function vetoOf(code: FlashSaleErrorCode): { veto: Veto } {
  return { veto: { code, message: messageOf(code) } };
}

/**
 * What the buyer reads when the order's hold fails: the last units went to someone else first, or
 * another order of theirs used up their limit, or the sale ended or changed price since the cart
 * was priced. The order is not placed; the cart re-prices with what is left.
 */
export const reservationRefusal: Veto = {
  code: 'FLASH_SALE_SOLD_OUT',
  message: {
    zh: '手慢了：秒杀商品已抢光、已达限购数量或活动已结束，订单未提交，请返回购物车查看最新价格',
    en: 'Too late: the flash-sale units are gone, your limit is reached or the sale has ended. The order was not placed; check the cart for the current price',
  },
};

export function errorResponse(code: FlashSaleErrorCode, details?: JsonValue): PluginResponse {
  return { status: flashSaleErrors[code].status, body: { error: { code, message: messageOf(code), ...(details === undefined ? {} : { details }) } } };
}
