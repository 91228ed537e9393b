import type { JsonValue, PluginResponse } from '@tuike/plugin-sdk';
import type { Bilingual } from './campaign-terms';

/**
 * The plugin's stable error codes, each with an HTTP status and a message in zh-CN and en. Route
 * errors answer `{ error: { code, message: { zh, en }, details? } }`: a plugin route does not see
 * the request's locale, so both languages travel and the client shows one.
 */
export const campaignErrors = {
  CAMPAIGN_NOT_FOUND: { status: 404, zh: '活动不存在', en: 'This campaign does not exist' },
  CAMPAIGN_INVALID: { status: 400, zh: '活动设置不正确', en: 'The campaign settings are not valid' },
  CAMPAIGN_QUERY_INVALID: { status: 400, zh: '查询参数不正确', en: 'The query parameters are not valid' },
  CAMPAIGN_CART_INVALID: { status: 400, zh: '购物车内容不正确', en: 'The cart is not valid' },
  CAMPAIGN_CHANGED: { status: 409, zh: '活动刚刚被修改，请刷新后重试', en: 'The campaign was just changed; reload and try again' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type CampaignErrorCode = keyof typeof campaignErrors;

export function messageOf(code: CampaignErrorCode): Bilingual {
  return { zh: campaignErrors[code].zh, en: campaignErrors[code].en };
}

export function errorResponse(code: CampaignErrorCode, details?: JsonValue): PluginResponse {
  return { status: campaignErrors[code].status, body: { error: { code, message: messageOf(code), ...(details === undefined ? {} : { details }) } } };
}
