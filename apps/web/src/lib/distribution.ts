import { api } from './api';
import { formatFen } from './format';
import type { CommissionRule, PayoutMethod, VisitOutcome } from './types';

/*
 * Distribution helpers shared by the storefront and the admin: the remembered invite code,
 * share-link visits, rates as percentages, withdrawal fees and payout account fields.
 */

const REF_KEY = 'tk_ref';
/** An invite code as the API takes it: 4–12 letters and digits, upper case. */
export const INVITE_CODE = /^[A-Z0-9]{4,12}$/;

export const normalizeCode = (value: unknown): string | undefined => {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return INVITE_CODE.test(code) ? code : undefined;
};

/**
 * The invite code of the link a guest arrived by, kept in this browser until they register
 * (the API also keeps it in an HttpOnly cookie, which binds them at sign-in).
 */
export function rememberedRef(): string | undefined {
  try {
    return normalizeCode(localStorage.getItem(REF_KEY));
  } catch {
    return undefined;
  }
}

function remember(code: string | undefined) {
  try {
    if (code) localStorage.setItem(REF_KEY, code);
    else localStorage.removeItem(REF_KEY);
  } catch { /* storage blocked: the API's cookie still remembers it */ }
}

export const forgetRef = () => remember(undefined);

const visited = new Map<string, Promise<VisitOutcome | undefined>>();

/**
 * Tells the API a visitor came through a share link or code (D3), once per code and page load:
 * a signed-in member is bound by the shop's binding mode, a guest's code is remembered until
 * they register or sign in. A bad code is answered undefined (the page still shows).
 */
export function visitByCode(code: string, source: 'link' | 'code' = 'link'): Promise<VisitOutcome | undefined> {
  let pending = visited.get(code);
  if (!pending) {
    pending = api.post<{ outcome: VisitOutcome }>('/api/distribution/visit', { code, source }).then(
      ({ outcome }) => {
        if (outcome === 'remembered') remember(code);
        return outcome;
      },
      () => undefined,
    );
    visited.set(code, pending);
  }
  return pending;
}

/** Basis points as a percentage typed by a person: 1000 → `10`, 250 → `2.5`, 5 → `0.05`. */
export function bpsToPercentText(bps: number): string {
  const whole = Math.floor(bps / 100);
  const cents = bps % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** `10`, `2.5`, `0.05`, `10%` → basis points; undefined unless 0–100 with at most two decimals. */
export function parsePercent(text: string): number | undefined {
  const m = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(text.replace(/[%\s]/g, ''));
  if (!m) return undefined;
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bps <= 10_000 ? bps : undefined;
}

/** The API's withdrawal fee (floor of amount × feeBps), to show before the request is sent. */
export const withdrawalFee = (amount: number, feeBps: number): number => Math.floor((amount * feeBps) / 10_000);

/**
 * What a distributor types for each payout method: the account shapes of the payout port
 * (packages/payments/src/payout.ts), so a staff payout or transfer can use them as they are.
 */
export const PAYOUT_ACCOUNT_FIELDS: Record<PayoutMethod, readonly ('realName' | 'identity' | 'bankName' | 'accountNo' | 'note')[]> = {
  wechat: ['realName'],
  alipay: ['identity', 'realName'],
  bank: ['bankName', 'accountNo', 'realName'],
  offline: ['note'],
};

/** The fields a method cannot go without (the note of an offline payout is optional). */
export const requiredAccountFields = (method: PayoutMethod) => PAYOUT_ACCOUNT_FIELDS[method].filter((f) => f !== 'note');

/** The account as sent: the typed fields, plus what a method implies (an Alipay login id). */
export function payoutAccount(method: PayoutMethod, typed: Record<string, string>): Record<string, string> {
  const filled = Object.fromEntries(PAYOUT_ACCOUNT_FIELDS[method].map((f) => [f, (typed[f] ?? '').trim()]).filter(([, v]) => v));
  return method === 'alipay' ? { ...filled, identityType: 'ALIPAY_LOGON_ID' } : filled;
}

export const PAYOUT_METHODS: readonly PayoutMethod[] = ['wechat', 'alipay', 'bank', 'offline'];

/** A rate as text: `10%` for basis points, `¥1.00/件` for a fixed amount per piece. */
export const rateText = (mode: CommissionRule['mode'], value: number, perPiece: string): string =>
  (mode === 'bps' ? `${bpsToPercentText(value)}%` : `${formatFen(value)}${perPiece}`);
