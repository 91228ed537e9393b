import { useLocation, useNavigate } from '@solidjs/router';
import { createEffect } from 'solid-js';
import type { ApiError } from './api';
import { basePathOf } from './base';
import { createClientData } from './client-data';
import type { OrderAddress, OrderStatus } from './types';

/**
 * Where to go after login: only a path inside this site (`/cart`, `/checkout?sku=…`), never
 * another origin (`//evil.example`, `/\evil`, `https://…`). Paths are router paths, without the
 * `/s/{slug}` base: the router adds it.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

export const loginHref = (next: string): string => `/login?next=${encodeURIComponent(safeNext(next))}`;

/** The page the buyer is on as a router path (base removed), with its query. */
export function useRoutePath(): () => string {
  const location = useLocation();
  return () => {
    const path = location.pathname.slice(basePathOf(location.pathname).length) || '/';
    return `${path}${location.search}`;
  };
}

/**
 * Sends a guest to /login?next=<this page> when an API call says UNAUTHENTICATED (the member
 * cookie is missing or expired); answers whether it did.
 */
export function useLoginRedirect() {
  const navigate = useNavigate();
  const here = useRoutePath();
  return (error: ApiError | undefined, next?: string): boolean => {
    if (error?.code !== 'UNAUTHENTICATED') return false;
    navigate(loginHref(next ?? here()), { replace: true });
    return true;
  };
}

/** An error worth showing: not UNAUTHENTICATED, which is on its way to the login page. */
export const shownError = (error: ApiError | undefined): ApiError | undefined =>
  error && error.code !== 'UNAUTHENTICATED' ? error : undefined;

/** Client data of a page that needs the signed-in buyer: a 401 goes to the login page and back. */
export function createMemberData<T>(load: () => Promise<T>) {
  const toLogin = useLoginRedirect();
  const [data, actions] = createClientData(load);
  createEffect(() => {
    const current = data();
    if (current.state === 'failed') toLogin(current.error);
  });
  return [data, actions] as const;
}

/**
 * An idempotency key for one visit of the checkout page: a retried or double-tapped submit
 * sends the same key, so the API makes one order. 32 hex characters (getRandomValues also
 * works where randomUUID does not: plain-HTTP custom domains).
 */
export function newClientKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** 广东省 深圳市 南山区 科技园路 1 号 */
export const addressText = (a: OrderAddress): string =>
  [a.province, a.city, a.district, a.detail].filter((part) => part && part.trim()).join(' ');

/** 138****8000 for lists; the full number where the buyer edits or checks it. */
export const maskPhone = (phone: string | undefined): string => {
  const digits = phone ?? '';
  return digits.length >= 11 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : digits;
};

/** The tabs of the order list (全部/待付款/待发货/待收货/已完成) and the status each filters by. */
export const ORDER_TABS = [
  { key: 'all', status: undefined },
  { key: 'pending_payment', status: 'pending_payment' },
  { key: 'paid', status: 'paid' },
  { key: 'shipped', status: 'shipped' },
  { key: 'completed', status: 'completed' },
] as const satisfies readonly { key: string; status: OrderStatus | undefined }[];

export type OrderTabKey = (typeof ORDER_TABS)[number]['key'];

/** mm:ss (or h:mm:ss) left until `deadline`; 0:00 once it has passed. */
export function countdownText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
