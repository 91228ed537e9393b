import type { Locale, PasswordHasher, Platform, RateLimitRule } from '@tuike/core';
import type { ControlPlane, ShopAddress, ShopHandle, TenantDirectory } from '@tuike/tenancy';
import type { StaffPrincipal } from '@tuike/staff';
import type { Member } from '@tuike/members';

export interface AppConfig {
  /** Host names of the platform itself; `{slug}.{domain}` routes to a shop. */
  platformDomains: string[];
  /** Server-side secret mixed into every password hash (see core/password.ts). */
  passwordPepper: string;
  signupRateLimit: RateLimitRule;
  loginRateLimit: RateLimitRule;
  tenantCacheTtlMs: number;
  /** Where the client's IP comes from: the socket (Node) or Cloudflare's header (edge). */
  clientIp(request: Request, bindings: Bindings): string | null;
}

export const defaultConfig = (over: Partial<AppConfig> = {}): AppConfig => ({
  platformDomains: ['localhost'],
  passwordPepper: 'tuike-local-development-pepper',
  signupRateLimit: { max: 10, windowMs: 60 * 60_000 },
  loginRateLimit: { max: 10, windowMs: 15 * 60_000 },
  tenantCacheTtlMs: 5_000,
  clientIp: (_req, bindings) => bindings?.clientIp ?? null,
  ...over,
});

/** What the entry point hands to app.fetch besides the request. */
export interface Bindings {
  clientIp?: string;
}

export interface Services {
  platform: Platform;
  config: AppConfig;
  control: ControlPlane;
  tenants: TenantDirectory;
  hasher: PasswordHasher;
}

export type AppEnv = {
  Bindings: Bindings;
  Variables: {
    services: Services;
    locale: Locale;
    address: ShopAddress;
    shop: ShopHandle;
    staff: StaffPrincipal;
    member: Member;
  };
};
