import type { CommissionRule } from '@tuike/db-tenant';
import type { Earner } from './commission-rules';
import { readSettings, type DistributionSettings } from './settings';

/**
 * The sale's distributor shop and its upline, read as one SQL column so checkout keeps its two
 * reads (C3). The seller is the buyer's own shop when the buyer is an active distributor, else
 * the distributor the buyer is bound to (unexpired). Its path holds it and three ancestors; the
 * settings decide who of them earns.
 */
export function saleChainColumn(memberId: string, now: number) {
  return {
    sql: `(SELECT json_object(
        'seller', s.member_id, 'scope', s.shop_scope,
        'products', CASE WHEN s.shop_scope = 'selected' THEN json((SELECT json_group_array(product_id) FROM distributor_products WHERE distributor_id = s.member_id)) END,
        'path', json_array(s.member_id, s.parent_id, s.grandparent_id, s.great_grandparent_id),
        'members', json((SELECT json_group_array(json_object('id', d.member_id, 'active', d.status = 'active', 'rates', json(g.rates)))
                    FROM distributors d LEFT JOIN distributor_grades g ON g.id = d.grade_id
                    WHERE d.member_id IN (s.member_id, s.parent_id, s.grandparent_id, s.great_grandparent_id))))
      FROM distributors s
      WHERE +s.status = 'active' AND s.member_id = coalesce(
        (SELECT member_id FROM distributors WHERE member_id = ? AND +status = 'active'),
        (SELECT distributor_id FROM member_bindings WHERE member_id = ? AND (expires_at IS NULL OR expires_at > ?))))`,
    args: [memberId, memberId, now],
  };
}

interface RawChain {
  seller: string;
  scope: 'all' | 'selected';
  products: string[] | null;
  path: (string | null)[];
  members: { id: string; active: number | boolean; rates: CommissionRule | null }[];
}

export interface SaleChain {
  /** The distributor shop the sale counts for (orders.distributor_shop_id). */
  sellerId: string;
  /** Who earns, level 1 first; a disabled ancestor's level stays unpaid (nobody moves up). */
  earners: Earner[];
  /** Up to three ancestor ids in level order, captured on the order (orders.upline). */
  upline: (string | null)[];
  /** Products the seller's shop sells when it chose a subset; null means all. */
  scope: Set<string> | null;
}

export function resolveSaleChain(rawColumn: unknown, settingsColumn: unknown, buyerId: string): SaleChain | null {
  const settings: DistributionSettings = readSettings(typeof settingsColumn === 'string' ? JSON.parse(settingsColumn) : settingsColumn);
  if (!settings.enabled || rawColumn === null || rawColumn === undefined) return null;
  const raw = (typeof rawColumn === 'string' ? JSON.parse(rawColumn) : rawColumn) as RawChain;
  const byId = new Map(raw.members.map((m) => [m.id, m]));
  // A distributor buying in their own shop earns on it only with self-purchase commission on;
  // otherwise the sale pays their upline as if they were that upline's customer.
  const selfBuy = raw.seller === buyerId;
  const path = selfBuy && !settings.selfPurchase ? raw.path.slice(1, 4) : raw.path.slice(0, 3);
  const upline = path.slice(0, settings.levels);
  const earners: Earner[] = [];
  upline.forEach((id, i) => {
    const m = id ? byId.get(id) : undefined;
    if (m && (m.active === true || m.active === 1)) earners.push({ distributorId: m.id, level: (i + 1) as 1 | 2 | 3, gradeRule: m.rates ?? null });
  });
  return { sellerId: raw.seller, earners, upline, scope: raw.scope === 'selected' ? new Set(raw.products ?? []) : null };
}
