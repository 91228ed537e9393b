import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A local stand-in for WeChat's web-authorization API, answering with the documented shapes:
 * GET /sns/oauth2/access_token (appid, secret, code, grant_type=authorization_code) and
 * GET /sns/userinfo (access_token, openid, lang). Errors are {errcode, errmsg}: 40013 bad appid,
 * 40125 bad secret, 40029 invalid code, 40163 code been used, 40002 bad grant_type, 40001 bad token.
 */
export interface StandinUser {
  openid: string;
  unionid?: string;
  nickname?: string;
  headimgurl?: string;
  snapshot?: boolean;
  scope: 'snsapi_base' | 'snsapi_userinfo';
}

export async function startWechatStandin(app: { appId: string; appSecret: string }) {
  const codes = new Map<string, StandinUser>();
  const used = new Set<string>();
  const tokens = new Map<string, StandinUser>();
  const requests: string[] = [];

  const send = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, errcode: number, errmsg: string) => send(res, { errcode, errmsg: `${errmsg}, rid: standin` });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    requests.push(url.pathname + url.search);
    const q = url.searchParams;
    if (url.pathname === '/sns/oauth2/access_token') {
      if (q.get('appid') !== app.appId) return fail(res, 40013, 'invalid appid');
      if (q.get('secret') !== app.appSecret) return fail(res, 40125, 'invalid appsecret');
      if (q.get('grant_type') !== 'authorization_code') return fail(res, 40002, 'invalid grant_type');
      const code = q.get('code') ?? '';
      if (used.has(code)) return fail(res, 40163, 'code been used');
      const user = codes.get(code);
      if (!user) return fail(res, 40029, 'invalid code');
      used.add(code);
      const token = `at_${Math.random().toString(36).slice(2)}`;
      tokens.set(token, user);
      return send(res, {
        access_token: token, expires_in: 7200, refresh_token: `rt_${token}`, openid: user.openid, scope: user.scope,
        ...(user.scope === 'snsapi_userinfo' && user.unionid ? { unionid: user.unionid } : {}),
        ...(user.snapshot ? { is_snapshotuser: 1 } : {}),
      });
    }
    if (url.pathname === '/sns/userinfo') {
      const user = tokens.get(q.get('access_token') ?? '');
      if (!user || user.openid !== q.get('openid')) return fail(res, 40001, 'invalid credential, access_token is invalid or not latest');
      if (user.scope !== 'snsapi_userinfo') return fail(res, 48001, 'api unauthorized');
      return send(res, {
        openid: user.openid, nickname: user.nickname ?? '', sex: 0, province: '', city: '', country: '',
        headimgurl: user.headimgurl ?? '', privilege: [], ...(user.unionid ? { unionid: user.unionid } : {}),
      });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** What WeChat does when the user passes the authorize page: mint a code for them. */
    issueCode(user: StandinUser) {
      const code = `code_${Math.random().toString(36).slice(2)}`;
      codes.set(code, user);
      return code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
