import type { JsonValue, PluginResponse, Veto } from '@tuike/plugin-sdk';

/** A message in both languages; a type alias, so it fits in JSON bodies. */
export type Bilingual = { zh: string; en: string };

/**
 * The plugin's stable error codes, each with an HTTP status (for routes) and a message in zh-CN
 * and en. Route errors answer `{ error: { code, message: { zh, en } } }`: a plugin route does not
 * see the request's locale, so both languages travel and the client shows one.
 */
export const pointsErrors = {
  POINTS_SIGN_IN_REQUIRED: { status: 401, zh: '请先登录', en: 'Please sign in first' },
  POINTS_QUERY_INVALID: { status: 400, zh: '查询参数不正确', en: 'The query parameters are not valid' },
  // Checkout: vetoes (willPlaceOrder) and the reservation's refusal.
  POINTS_INSUFFICIENT: { status: 409, zh: '积分不足', en: 'Not enough points' },
  POINTS_BELOW_MINIMUM: { status: 409, zh: '使用的积分低于单笔最低使用数量', en: 'Fewer points than the minimum per use' },
  POINTS_UNAVAILABLE: { status: 503, zh: '暂时无法核验积分，请稍后再试或不使用积分', en: 'Points cannot be checked right now; try again later or check out without them' },
  // Redeeming goods (积分商城).
  POINTS_GOODS_NOT_FOUND: { status: 404, zh: '积分商品不存在', en: 'This item does not exist' },
  POINTS_GOODS_UNAVAILABLE: { status: 409, zh: '该积分商品已下架', en: 'This item is no longer offered' },
  POINTS_GOODS_SOLD_OUT: { status: 409, zh: '该积分商品已兑完', en: 'This item is sold out' },
  POINTS_GOODS_LIMIT_REACHED: { status: 409, zh: '您已达到该商品的兑换上限', en: 'You have redeemed as many of this item as allowed' },
  POINTS_GOODS_CHANGED: { status: 409, zh: '商品刚刚被修改，请刷新后重试', en: 'The item was just changed; refresh and try again' },
  POINTS_GOODS_INVALID: { status: 400, zh: '积分商品设置不正确', en: 'The item settings are not valid' },
  POINTS_STOCK_BELOW_ZERO: { status: 409, zh: '库存不能少于0', en: 'Stock cannot go below zero' },
  POINTS_REDEMPTION_NOT_FOUND: { status: 404, zh: '兑换记录不存在', en: 'This redemption does not exist' },
  POINTS_REDEMPTION_CLOSED: { status: 409, zh: '该兑换已处理，不能再修改', en: 'This redemption has already been settled' },
  // Staff adjustments.
  POINTS_ADJUST_BELOW_ZERO: { status: 409, zh: '调整后积分不能为负数', en: 'The adjustment would take the balance below zero' },
  POINTS_ADJUST_DUPLICATE: { status: 409, zh: '该调整编号已用于另一笔调整', en: 'This request id was already used for a different adjustment' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type PointsErrorCode = keyof typeof pointsErrors;

export function messageOf(code: PointsErrorCode): Bilingual {
  return { zh: pointsErrors[code].zh, en: pointsErrors[code].en };
}

export function vetoOf(code: PointsErrorCode): Veto {
  return { code, message: messageOf(code) };
}

export function errorResponse(code: PointsErrorCode, details?: JsonValue): PluginResponse {
  return { status: pointsErrors[code].status, body: { error: { code, message: messageOf(code), ...(details === undefined ? {} : { details }) } } };
}

/** What a route-side operation came to: a value, or a stable code. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: PointsErrorCode; details?: JsonValue };

/** A write refused by one of our constraints (CHECK, UNIQUE, NOT NULL): the guard did its job. */
export function constraintFailed(e: unknown): boolean {
  return e instanceof Error && /constraint/i.test(`${String((e as { code?: unknown }).code ?? '')} ${e.message}`);
}

/** The text of an error and its causes, to tell which named constraint refused a write. */
export function errorText(e: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 6; cur = cur.cause, depth++) parts.push(cur.message);
  return parts.join(' ');
}
