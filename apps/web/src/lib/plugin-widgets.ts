import { createSignal, onCleanup, onMount } from 'solid-js';
import type { Lang } from '~/i18n';
import { api } from './api';
import type { Offer, PricedLine, Totals } from './types';

/**
 * The storefront side of plugins: the widgets the shop's enabled plugins declare (read once per
 * page load and shared by every slot), what a slot passes to its widgets, plugin routes, the
 * buyer's checkout choices, and a clock that runs on the server's time.
 */

export type WidgetSlot =
  | 'storefront.home.banner'
  | 'storefront.product.below-price'
  | 'storefront.cart.summary'
  | 'storefront.checkout.summary'
  | 'storefront.member.center';

export interface Widget {
  pluginId: string;
  slot: string;
  component: string;
  props: Record<string, unknown>;
}

let widgetsOnce: Promise<Widget[]> | undefined;

/**
 * GET /api/plugins/widgets, once per page load (client only): every slot of the page shares the
 * answer. A failure reads as no widgets (the page works without them) and is tried again next time.
 */
export function loadWidgets(): Promise<Widget[]> {
  widgetsOnce ??= api.get<{ widgets: Widget[] }>('/api/plugins/widgets').then(
    (r) => r.widgets,
    () => {
      widgetsOnce = undefined;
      return [];
    },
  );
  return widgetsOnce;
}

/** A plugin's own route on this shop: `/api/plugins/{id}{path}`. */
export const pluginPath = (pluginId: string, path: string): string => `/api/plugins/${encodeURIComponent(pluginId)}${path}`;

/** Text plugins give in both languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

export const inLang = (text: Bilingual | string | null | undefined, lang: Lang): string =>
  text === null || text === undefined ? '' : typeof text === 'string' ? text : lang === 'en' ? text.en : text.zh;

/** The checkout choices, keyed by plugin id (`coupons`, `points`): omitted means the plugin decides. */
export type Choices = Record<string, unknown>;

/**
 * What a slot gives its widgets: the product on a product page; on the cart and checkout the
 * priced lines, offers and totals, and the buyer's choices with a way to change one.
 */
export interface SlotContext {
  productId?: string;
  categoryId?: string;
  lines?: PricedLine[];
  offers?: Offer[];
  totals?: Totals;
  /** Only the checkout: the choices sent with preview and submit. */
  choices?: Choices;
  setChoice?: (pluginId: string, choice: unknown) => void;
  /** The choice is stored for the checkout (the cart's own price is always the plugins' pick). */
  mode?: 'cart' | 'checkout';
}

/**
 * The choices the buyer made in the cart or at checkout, kept for this visit (client side):
 * a coupon picked in the cart is still picked on the checkout page.
 */
const [storedChoices, setStoredChoices] = createSignal<Choices>({});
export { storedChoices };
export function storeChoice(pluginId: string, choice: unknown) {
  setStoredChoices((prev) => {
    const next = { ...prev };
    if (choice === undefined) delete next[pluginId];
    else next[pluginId] = choice;
    return next;
  });
}

/**
 * A clock on the server's time: `sync(serverTime)` when an answer arrives, then `now()` is the
 * server's now (the phone's clock only measures the time since), ticking every second.
 */
export function createServerClock() {
  const [tick, setTick] = createSignal(0);
  let offset = 0;
  onMount(() => {
    setTick(Date.now());
    const timer = setInterval(() => setTick(Date.now()), 1000);
    onCleanup(() => clearInterval(timer));
  });
  return {
    sync(serverTime: number) {
      offset = serverTime - Date.now();
      setTick(Date.now());
    },
    now: () => tick() + offset,
  };
}

/** "2天 03:04:05" style parts of a span, for countdowns. */
export function countdownParts(ms: number): { days: number; hh: string; mm: string; ss: string } {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86400);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { days, hh: pad(Math.floor((total % 86400) / 3600)), mm: pad(Math.floor((total % 3600) / 60)), ss: pad(total % 60) };
}

// ——— Coupons (plugins/coupons) ———

export interface CouponTerms {
  kind: 'fixed' | 'percent' | 'threshold';
  amountOff: number | null;
  percentOffBps: number | null;
  maxDiscount: number | null;
  threshold: number;
}

export type CouponValidity = { type: 'absolute'; startsAt: number; endsAt: number } | { type: 'relative'; days: number };

/** A template in the claim centre. `claimed` is null for a guest. */
export interface ClaimableCoupon {
  id: string;
  name: string;
  description: string;
  summary: Bilingual;
  terms: CouponTerms;
  validity: CouponValidity;
  perMemberLimit: number;
  remaining: number;
  claimed: number | null;
  canClaim: boolean;
}

export const MEMBER_COUPON_STATUSES = ['available', 'locked', 'used', 'expired'] as const;
export type MemberCouponStatus = (typeof MEMBER_COUPON_STATUSES)[number];

export interface MemberCoupon {
  id: string;
  templateId: string;
  name: string;
  summary: Bilingual;
  terms: CouponTerms;
  status: MemberCouponStatus;
  validFrom: number;
  expiresAt: number;
  claimedAt: number;
  usedAt: number | null;
  orderId: string | null;
}

export interface MyCoupons {
  status: MemberCouponStatus;
  coupons: MemberCoupon[];
  counts: Record<MemberCouponStatus, number>;
}

/** POST /usable: the member's coupons against a cart. */
export interface UsableCoupons {
  bestId: string | null;
  coupons: { id: string; name: string; summary: Bilingual; expiresAt: number; usable: boolean; discount: number; problem: string | null }[];
}

/** The cart lines as the coupons and campaigns routes take them. */
export const routeLines = (lines: PricedLine[]) =>
  lines.map((l) => ({ lineId: l.skuId, skuId: l.skuId, productId: l.productId, categoryId: (l as { categoryId?: string | null }).categoryId ?? null, quantity: l.quantity, unitPrice: l.unitPrice }));

// ——— Flash sale (plugins/flash-sale) ———

export interface FlashEntry {
  id: string;
  skuId: string;
  productId: string;
  flashPrice: number;
  stock: number;
  remaining: number;
  soldOut: boolean;
  limitPerMember: number;
}

export interface FlashActivity {
  id: string;
  name: string;
  startsAt: number;
  endsAt: number;
  phase: 'upcoming' | 'live' | 'ended';
  entries: FlashEntry[];
}

export interface FlashList {
  serverTime: number;
  activities: FlashActivity[];
}

export interface FlashMine {
  serverTime: number;
  activityId: string;
  phase: FlashActivity['phase'];
  entries: { entryId: string; skuId: string; bought: number; limitPerMember: number; allowance: number; remaining: number; canBuy: number }[];
}

// ——— Campaigns (plugins/campaigns) ———

export interface LiveCampaign {
  id: string;
  name: string;
  description?: string;
  kind: string;
  endsAt: number;
  summary: Bilingual;
}

export interface CampaignTag {
  campaignId: string;
  name: string;
  kind: string;
  tag: Bilingual;
  endsAt: number;
}

export interface CampaignProgressRow {
  campaignId: string;
  name: string;
  kind: string;
  next: { threshold: number; shortBy: number; off?: number } | null;
  message: Bilingual | string;
}

// ——— Points (plugins/points) ———

export interface PointsAccount {
  balance: number;
  pending: number;
  debt: number;
  lifetimeEarned: number;
  lifetimeSpent: number;
}

export interface PointsEntry {
  id: string;
  delta: number;
  kind?: string;
  reason?: string | Bilingual | null;
  createdAt: number;
  [key: string]: unknown;
}

export interface PointsMe {
  account: PointsAccount;
  rules: Record<string, unknown>;
  entries: PointsEntry[];
  nextCursor: string | null;
}

export interface PointsGoods {
  id: string;
  name: string;
  description?: string;
  imageUrl?: string | null;
  pointsPrice: number;
  stock: number;
  canRedeem?: boolean;
  redeemedByMe?: number;
}
