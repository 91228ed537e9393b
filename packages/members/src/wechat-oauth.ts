import { AppError, isUniqueViolation, newId } from '@tuike/core';
import { memberIdentities, members, shopEventSql } from '@tuike/db-tenant';
import { and, eq } from 'drizzle-orm';
import type { ShopOrm } from '@tuike/staff';

/**
 * WeChat web authorization (公众号网页授权, C1): redirect to open.weixin.qq.com with a `state`
 * bound to the browser, take the `code` back, exchange it server-side for the openid (and the
 * unionid when the account is bound to an open platform), and with snsapi_userinfo fetch the
 * profile. Endpoints are configurable so tests talk to a local stand-in speaking the same protocol.
 */
export interface WechatEndpoints {
  authorizeBase: string;
  apiBase: string;
  fetch?: typeof fetch;
}

export const wechatEndpoints: WechatEndpoints = { authorizeBase: 'https://open.weixin.qq.com', apiBase: 'https://api.weixin.qq.com' };

export type WechatScope = 'snsapi_base' | 'snsapi_userinfo';

export interface WechatAccount {
  appId: string;
  appSecret: string;
}

export function authorizeUrl(ep: WechatEndpoints, appId: string, redirectUri: string, scope: WechatScope, state: string): string {
  const url = new URL('/connect/oauth2/authorize', ep.authorizeBase);
  url.search = new URLSearchParams({ appid: appId, redirect_uri: redirectUri, response_type: 'code', scope, state }).toString();
  return `${url.toString()}#wechat_redirect`;
}

interface WechatError {
  errcode: number;
  errmsg: string;
}

async function call<T>(ep: WechatEndpoints, path: string, params: Record<string, string>): Promise<T> {
  const url = new URL(path, ep.apiBase);
  url.search = new URLSearchParams(params).toString();
  let body: T | WechatError;
  try {
    const res = await (ep.fetch ?? fetch)(url);
    body = (await res.json()) as T | WechatError;
  } catch {
    throw new AppError('WECHAT_UNAVAILABLE');
  }
  if (typeof body === 'object' && body !== null && 'errcode' in body && body.errcode !== 0) {
    throw new AppError('WECHAT_AUTH_FAILED', { errcode: body.errcode });
  }
  return body as T;
}

export interface WechatIdentity {
  openid: string;
  unionid: string | null;
  nickname: string | null;
  avatarUrl: string | null;
  /** 快照页模式: WeChat's virtual account for a user who has not agreed; never a member. */
  snapshot: boolean;
}

/** Code → access token + openid (+ unionid), then the profile for snsapi_userinfo. */
export async function identify(ep: WechatEndpoints, account: WechatAccount, code: string, scope: WechatScope): Promise<WechatIdentity> {
  const token = await call<{ access_token: string; openid: string; scope: string; unionid?: string; is_snapshotuser?: number }>(ep, '/sns/oauth2/access_token', {
    appid: account.appId, secret: account.appSecret, code, grant_type: 'authorization_code',
  });
  if (typeof token.openid !== 'string' || token.openid === '') throw new AppError('WECHAT_AUTH_FAILED');
  const snapshot = token.is_snapshotuser === 1;
  if (scope === 'snsapi_base' || snapshot || !token.scope.includes('snsapi_userinfo')) {
    return { openid: token.openid, unionid: token.unionid ?? null, nickname: null, avatarUrl: null, snapshot };
  }
  const profile = await call<{ openid: string; nickname?: string; headimgurl?: string; unionid?: string }>(ep, '/sns/userinfo', {
    access_token: token.access_token, openid: token.openid, lang: 'zh_CN',
  });
  return { openid: token.openid, unionid: profile.unionid ?? token.unionid ?? null, nickname: profile.nickname || null, avatarUrl: profile.headimgurl || null, snapshot };
}

/**
 * The member for a WeChat identity: by openid on this app, else by unionid (the same person from
 * another app of the merchant), else a new member on the wechat channel — created together with
 * its identity in one batch; a concurrent first sign-in loses on the UNIQUE and reads the winner.
 */
export async function memberForWechat(orm: ShopOrm, appId: string, who: WechatIdentity, now: number) {
  const byOpenid = await orm.select({ member: members }).from(memberIdentities).innerJoin(members, eq(members.id, memberIdentities.memberId))
    .where(and(eq(memberIdentities.provider, 'wechat'), eq(memberIdentities.appId, appId), eq(memberIdentities.subject, who.openid)));
  if (byOpenid[0]) return byOpenid[0].member;
  const byUnion = who.unionid
    ? await orm.select({ member: members }).from(memberIdentities).innerJoin(members, eq(members.id, memberIdentities.memberId)).where(eq(memberIdentities.unionId, who.unionid)).limit(1)
    : [];
  const existing = byUnion[0]?.member;
  const member = existing ?? {
    id: newId(), username: null, passwordHash: null, nickname: who.nickname ?? '微信用户', avatarUrl: who.avatarUrl,
    channel: 'wechat' as const, status: 'active' as const, createdAt: now, updatedAt: now,
  };
  const identity = { id: newId(), memberId: member.id, provider: 'wechat' as const, appId, subject: who.openid, unionId: who.unionid, createdAt: now };
  try {
    if (existing) await orm.insert(memberIdentities).values(identity);
    else {
      await orm.batch([
        orm.insert(members).values(member), orm.insert(memberIdentities).values(identity),
        orm.run(shopEventSql('member.registered', { memberId: member.id, channel: member.channel }, now)),
      ]);
    }
  } catch (e) {
    if (!isUniqueViolation(e, 'member_identities')) throw e;
    return memberForWechat(orm, appId, who, now);
  }
  return member;
}
