import type { JsonValue, PluginResponse, Veto } from '@tuike/plugin-sdk';
import type { Bilingual } from './coupon-terms';

/**
 * The plugin's stable error codes, each with an HTTP status (for routes) and a message in zh-CN
 * and en. Route errors answer `{ error: { code, message: { zh, en } } }`: a plugin route does not
 * see the request's locale, so both languages travel and the client shows one.
 */
export const couponErrors = {
  COUPON_SIGN_IN_REQUIRED: { status: 401, zh: '请先登录', en: 'Please sign in first' },
  COUPON_TEMPLATE_NOT_FOUND: { status: 404, zh: '优惠券不存在', en: 'This coupon does not exist' },
  COUPON_TEMPLATE_INVALID: { status: 400, zh: '优惠券设置不正确', en: 'The coupon settings are not valid' },
  COUPON_TEMPLATE_DISABLED: { status: 409, zh: '该优惠券已停止发放', en: 'This coupon is no longer being issued' },
  COUPON_TEMPLATE_CHANGED: { status: 409, zh: '优惠券刚刚被修改，请重试', en: 'The coupon was just changed; please try again' },
  COUPON_TERMS_LOCKED: { status: 409, zh: '优惠券已有人领取，优惠内容、适用范围和有效期不能再修改', en: 'This coupon has been claimed; its terms, scope and validity can no longer change' },
  COUPON_QUANTITY_BELOW_ISSUED: { status: 409, zh: '发行量不能少于已领取数量', en: 'The quantity cannot go below the number already claimed' },
  COUPON_CLAIM_NOT_STARTED: { status: 409, zh: '还未到领取时间', en: 'Claiming has not started yet' },
  COUPON_CLAIM_ENDED: { status: 409, zh: '领取已结束', en: 'Claiming has ended' },
  COUPON_SOLD_OUT: { status: 409, zh: '优惠券已被领完', en: 'All of these coupons have been claimed' },
  COUPON_LIMIT_REACHED: { status: 409, zh: '您已达到该券的领取上限', en: 'You have claimed as many of this coupon as allowed' },
  COUPON_QUERY_INVALID: { status: 400, zh: '查询参数不正确', en: 'The query parameters are not valid' },
  // Checkout vetoes (willPlaceOrder).
  COUPON_NOT_FOUND: { status: 409, zh: '所选优惠券不存在或不属于您', en: 'The chosen coupon does not exist or is not yours' },
  COUPON_ALREADY_USED: { status: 409, zh: '所选优惠券已使用', en: 'The chosen coupon has already been used' },
  COUPON_IN_USE: { status: 409, zh: '所选优惠券正被另一笔待付款订单占用，取消该订单后可再次使用', en: 'The chosen coupon is held by another unpaid order; cancel that order to use it again' },
  COUPON_EXPIRED: { status: 409, zh: '所选优惠券已过期', en: 'The chosen coupon has expired' },
  COUPON_NOT_STARTED: { status: 409, zh: '所选优惠券尚未到使用时间', en: 'The chosen coupon cannot be used yet' },
  COUPON_THRESHOLD_NOT_MET: { status: 409, zh: '未达到所选优惠券的使用门槛', en: 'The order does not reach the chosen coupon\'s minimum spend' },
  COUPON_NOT_APPLICABLE: { status: 409, zh: '所选优惠券不适用于订单中的商品', en: 'The chosen coupon does not apply to the items in this order' },
  COUPON_UNAVAILABLE: { status: 503, zh: '暂时无法核验优惠券，请稍后再试或不使用优惠券', en: 'Coupons cannot be checked right now; try again later or check out without one' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type CouponErrorCode = keyof typeof couponErrors;

export function messageOf(code: CouponErrorCode): Bilingual {
  return { zh: couponErrors[code].zh, en: couponErrors[code].en };
}

export function vetoOf(code: CouponErrorCode): { veto: Veto } {
  return { veto: { code, message: messageOf(code) } };
}

export function errorResponse(code: CouponErrorCode, details?: JsonValue): PluginResponse {
  return { status: couponErrors[code].status, body: { error: { code, message: messageOf(code), ...(details === undefined ? {} : { details }) } } };
}
