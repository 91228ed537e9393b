import { api, apiRequest, type ApiError } from './api';
import type { AdminProductDetail, CategoryRoot, ProductPage } from './types';

/**
 * The admin's calls to the first-party marketing plugins' routes (`/api/plugins/{id}/admin/…`),
 * through the one API client: errors arrive as ApiErrors in the page's language like any other.
 */
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

export function pluginCall<T>(method: Method, pluginId: string, path: string, body?: unknown): Promise<T> {
  return apiRequest<T>(method, `/api/plugins/${encodeURIComponent(pluginId)}${path}`, body);
}

/** A field-level problem as the plugin (`details.issues`) or the platform (`details` array) names it. */
export interface Issue {
  path: string;
  message: string;
}

export function issuesOf(error: ApiError): Issue[] {
  const d = error.details;
  const list = Array.isArray(d) ? d : (typeof d === 'object' && d !== null && Array.isArray((d as { issues?: unknown }).issues) ? (d as { issues: unknown[] }).issues : []);
  return list.flatMap((i: unknown) => {
    if (typeof i !== 'object' || i === null) return [];
    const { path, message } = i as { path?: unknown; message?: unknown };
    return [{ path: typeof path === 'string' ? path : '', message: typeof message === 'string' ? message : '' }];
  });
}

/**
 * Puts each issue beside the form's field whose key is the longest prefix of its path
 * (`terms.amountOff` → `terms.amountOff`, `entries.0.stock` → `entries.0.stock` or `entries`);
 * what fits no field is returned in `other`.
 */
export function placeIssues(issues: readonly Issue[], keys: readonly string[]): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of issues) {
    const key = [...keys].sort((a, b) => b.length - a.length).find((k) => issue.path === k || issue.path.startsWith(`${k}.`));
    if (key === undefined) other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    else byField[key] = byField[key] ? `${byField[key]}; ${issue.message}` : issue.message;
  }
  return { byField, other };
}

/** `<input type="datetime-local">` text ↔ epoch ms, in the browser's time zone. */
export function localInputMs(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return undefined;
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

export function msLocalInput(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "8.5" 折 → 1500 bps off; undefined unless 0.1–9.9 with at most one decimal… or two (8.55折). */
export function zheToBpsOff(text: string): number | undefined {
  const m = /^(\d)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const pay = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(2, '0')) * 10; // bps paid
  const off = 10_000 - pay;
  return off >= 1 && off <= 9900 ? off : undefined;
}

/** 1500 bps off → "8.5". */
export function bpsOffToZhe(bps: number): string {
  const pay = 10_000 - bps;
  return (pay / 1000).toFixed(2).replace(/\.?0+$/, '');
}

/** A whole number typed by a person (may be negative when `signed`). */
export function parseWhole(text: string, signed = false): number | undefined {
  const t = text.trim();
  if (!(signed ? /^-?\d{1,10}$/ : /^\d{1,10}$/).test(t)) return undefined;
  return Number(t);
}

/** The shop's catalog as the pickers need it. */
export const catalogApi = {
  categories: async () => (await api.get<{ categories: CategoryRoot[] }>('/api/admin/categories')).categories,
  products: async (q = '') => (await api.get<ProductPage>(`/api/admin/products?limit=50&status=any${q ? `&q=${encodeURIComponent(q)}` : ''}`)).items,
  product: (id: string) => api.get<AdminProductDetail>(`/api/admin/products/${encodeURIComponent(id)}`),
};

/** The first-party plugins that have admin pages here, with their first page. */
export const marketingPages = [
  { pluginId: 'coupons', href: '/admin/plugins/coupons/templates' },
  { pluginId: 'flash-sale', href: '/admin/plugins/flash-sale/activities' },
  { pluginId: 'campaigns', href: '/admin/plugins/campaigns/campaigns' },
  { pluginId: 'points', href: '/admin/plugins/points/goods' },
] as const;

export const managePageOf = (pluginId: string): string | undefined => marketingPages.find((p) => p.pluginId === pluginId)?.href;

// ── Shapes of the plugins' admin answers ──

export interface Bilingual { zh: string; en: string }

export type CouponTerms =
  | { kind: 'fixed'; amountOff: number; threshold: number }
  | { kind: 'threshold'; amountOff: number; threshold: number }
  | { kind: 'percent'; percentOffBps: number; maxDiscount: number | null; threshold: number };
export type Scope = { type: 'all' } | { type: 'categories' | 'products'; ids: string[] };

export interface CouponTemplate {
  id: string;
  name: string;
  description: string;
  terms: CouponTerms;
  scope: Scope;
  validity: { type: 'absolute'; startsAt: number; endsAt: number } | { type: 'relative'; days: number };
  quantity: number;
  perMemberLimit: number;
  claimWindow: { startsAt: number | null; endsAt: number | null };
  status: 'active' | 'disabled';
  issued: number;
  remaining: number;
  summary: Bilingual;
  createdAt: number;
}

export interface CouponStats { issued: number; remaining: number; available: number; locked: number; used: number; expired: number; redeemed: number; discountTotal: number }

export interface FlashEntry { id: string; skuId: string; productId: string; flashPrice: number; stock: number; sold: number; remaining: number; limitPerMember: number }
export interface FlashActivity {
  id: string;
  name: string;
  startsAt: number;
  endsAt: number;
  status: 'draft' | 'active' | 'disabled';
  phase: 'draft' | 'disabled' | 'upcoming' | 'live' | 'ended';
  entries: FlashEntry[];
}

export type CampaignTerms =
  | { kind: 'tiered_reduction'; tiers: { threshold: number; off: number }[]; repeat: { maxOff: number } | null }
  | { kind: 'discount'; percentOffBps: number }
  | { kind: 'gift'; threshold: number; skuId: string; quantity: number; giftName: string };
export interface Campaign {
  id: string;
  name: string;
  description: string;
  priority: number;
  window: { startsAt: number; endsAt: number };
  scope: Scope;
  terms: CampaignTerms;
  status: 'active' | 'disabled';
  phase: 'scheduled' | 'running' | 'ended' | 'disabled';
  summary: Bilingual;
}

export interface PointsGoods {
  id: string;
  name: string;
  description: string;
  imageUrl: string | null;
  pointsPrice: number;
  stock: number;
  redeemed: number;
  perMemberLimit: number | null;
  status: 'active' | 'disabled';
  sort: number;
}

export interface Redemption {
  id: string;
  goodsId: string;
  memberId: string;
  goodsName: string;
  points: number;
  status: 'pending_fulfilment' | 'fulfilled' | 'cancelled';
  note: string | null;
  createdAt: number;
}
