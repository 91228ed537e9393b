import { AppError } from '@tuike/core';

/** Names that route to the platform itself or that a shop must not impersonate. */
export const reservedSlugs = new Set([
  'www', 'api', 'admin', 'platform', 'static', 'assets', 'app', 'apps', 'cdn', 'img', 'images', 'mail', 'email',
  'smtp', 'ftp', 'help', 'support', 'docs', 'blog', 'status', 'dashboard', 'console', 'login', 'signup', 'register',
  'account', 'accounts', 'auth', 'oauth', 'billing', 'pay', 'payment', 'payments', 'shop', 'shops', 'store', 'stores',
  'market', 'marketplace', 'plugins', 'developer', 'developers', 'dev', 'test', 'staging', 'demo-admin', 'root',
  'system', 'tuike', 'wechat', 'weixin', 'alipay', 'localhost', 's',
]);

const SLUG = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;

/** A slug is a DNS label: 3–32 of a–z, 0–9 and '-', starting with a letter, no '--'. */
export function assertSlug(slug: string): string {
  if (!SLUG.test(slug) || slug.includes('--')) throw new AppError('SLUG_INVALID');
  if (reservedSlugs.has(slug)) throw new AppError('SLUG_RESERVED');
  return slug;
}
