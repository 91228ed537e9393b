import type { Locale, PasswordHasher, Platform, RateLimitRule } from '@tuike/core';
import type { ControlPlane, ShopAddress, ShopHandle, TenantDirectory } from '@tuike/tenancy';
import type { StaffPrincipal } from '@tuike/staff';
import { wechatEndpoints, type Member, type WechatEndpoints } from '@tuike/members';
import type { OrderSweeper } from './http/order-sweeper';
import type { PluginEventRunner } from './plugins/event-runner';
import type { HookSandbox } from '@tuike/plugin-runtime';
import { bundledPluginRegistry, type PluginRegistry } from './plugins/registry';

export interface AppConfig {
  /** Host names of the platform itself; `{slug}.{domain}` routes to a shop. */
  platformDomains: string[];
  /** Server-side secret mixed into every password hash (see core/password.ts). */
  passwordPepper: string;
  signupRateLimit: RateLimitRule;
  loginRateLimit: RateLimitRule;
  tenantCacheTtlMs: number;
  /** Payment provider endpoints (local stand-ins in tests; the providers' own by default). */
  paymentEndpoints: { wechatBaseUrl?: string; alipayGateway?: string };
  /** WeChat OAuth endpoints (a local stand-in in tests). */
  wechat: WechatEndpoints;
  /** Signs the sandbox payment provider's notifies (each shop gets a key derived from it). */
  paymentSandboxSecret: string;
  /** Where the client's IP comes from: the socket (Node) or Cloudflare's header (edge). */
  clientIp(request: Request, bindings: Bindings): string | null;
  /** Where plugin code comes from (first-party bundled, approved third-party); tests register their own. */
  pluginRegistry: PluginRegistry;
  /** Stops a plugin hook at its budget (Node's vm watchdog); none on the edge, where workerd's CPU limit ends a runaway request. */
  hookSandbox?: () => HookSandbox | undefined;
  /** Per plugin per call, in ms: synchronous hooks and `loadState` (defaults 20 and 200; tests on a busy machine give more). */
  hookBudgets?: { syncMs: number; stateMs: number };
  /** Emails of platform operators who review plugins (env PLATFORM_REVIEWERS, comma-separated). */
  platformReviewers: string[];
}

export const defaultConfig = (over: Partial<AppConfig> = {}): AppConfig => ({
  platformDomains: ['localhost'],
  passwordPepper: 'tuike-local-development-pepper',
  signupRateLimit: { max: 10, windowMs: 60 * 60_000 },
  loginRateLimit: { max: 10, windowMs: 15 * 60_000 },
  tenantCacheTtlMs: 5_000,
  paymentSandboxSecret: 'tuike-local-sandbox-secret',
  wechat: wechatEndpoints,
  paymentEndpoints: {},
  clientIp: (_req, bindings) => bindings?.clientIp ?? null,
  pluginRegistry: bundledPluginRegistry(),
  platformReviewers: [],
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
  orderSweeper: OrderSweeper;
  pluginEvents: PluginEventRunner;
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
    /** Set by a route whose change wrote outbox events: plugins get them right after the response. */
    eventsWritten: boolean;
  };
};
