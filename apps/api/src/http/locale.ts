import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Locale } from '@tuike/core';
import type { AppEnv } from '../context';

/** zh-CN unless the visitor chose English (tk_lang cookie) or their browser asks for it first. */
export const locale = createMiddleware<AppEnv>(async (c, next) => {
  const chosen = getCookie(c, 'tk_lang');
  const accept = c.req.header('accept-language') ?? '';
  const value: Locale = chosen === 'en' || chosen === 'zh-CN' ? chosen : /^en\b/i.test(accept) ? 'en' : 'zh-CN';
  c.set('locale', value);
  await next();
});
