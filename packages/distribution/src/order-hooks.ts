import type { Client, InStatement } from '@libsql/client';
import type { CommissionRule } from '@tuike/db-tenant';
import type { ExtraColumn, PlacementAttachment } from '@tuike/orders';
import { adjustCommissions, proposeCommissions, type CommissionAdjuster, type CommissionLineInput } from './commission-rules';
import { completedCommissionStatements, paidCommissionStatements, placedCommissionStatements, refundedCommissionStatements, releasedCommissionStatements } from './ledger';
import { monthKey, weekKey } from './periods';
import { saleChainColumn, resolveSaleChain } from './sale-chain';
import { readSettings, type DistributionSettings } from './settings';

/*
 * How distribution joins the order pipeline (D4): extra columns on the two checkout reads, an
 * attachment to the placement batch, and statements for the payment, completion, release and
 * refund batches. The orders package knows none of this; the API wires it.
 */

/** Added to the SKU read: the product's and its category's (or parent category's) commission rules. */
export const commissionRuleColumns: Record<string, ExtraColumn> = {
  product_rule: { sql: `(SELECT rule FROM commission_overrides WHERE scope = 'product' AND target_id = p.id)`, args: [] },
  category_rule: {
    sql: `coalesce((SELECT rule FROM commission_overrides WHERE scope = 'category' AND target_id = p.category_id),
                   (SELECT o.rule FROM categories c JOIN commission_overrides o ON o.scope = 'category' AND o.target_id = c.parent_id WHERE c.id = p.category_id))`,
    args: [],
  },
};

/** Added to the checkout-context read: the sale chain and the distribution settings. */
export function saleContextColumns(memberId: string, now: number): Record<string, ExtraColumn> {
  return { chain: saleChainColumn(memberId, now), distribution: { sql: `(SELECT value FROM settings WHERE key = 'distribution')`, args: [] } };
}

/** A commission rule as the SKU read returns it (JSON text or NULL). */
export const storedRule = (raw: unknown): CommissionRule | null => (raw === null || raw === undefined ? null : (JSON.parse(String(raw)) as CommissionRule));

/**
 * The placement attachment for one checkout: upline and distributor shop on the order, and the
 * commission lines (awaiting payment) in its batch. No seller, or distribution off: nothing.
 */
export function commissionAttachment(
  context: Record<string, unknown>,
  skus: ReadonlyMap<string, { productId: string; extra: Record<string, unknown> }>,
  buyerId: string,
  now: number,
  adjusters: readonly CommissionAdjuster[] = [],
  onAdjusterRejected?: (index: number, why: string) => void,
): PlacementAttachment | undefined {
  const chain = resolveSaleChain(context.chain, context.distribution, buyerId);
  if (!chain) return undefined;
  const settings = readSettings(parseJson(context.distribution));
  return {
    upline: chain.upline,
    distributorShopId: chain.sellerId,
    statements({ orderId, lines }) {
      const inputs: CommissionLineInput[] = lines
        .filter((l) => !chain.scope || chain.scope.has(l.productId))
        .map((l) => {
          const sku = skus.get(l.skuId);
          return { lineId: l.lineId, productId: l.productId, quantity: l.quantity, paidAmount: l.paidAmount, productRule: storedRule(sku?.extra.product_rule), categoryRule: storedRule(sku?.extra.category_rule) };
        });
      const proposed = proposeCommissions(inputs, chain.earners, settings);
      return placedCommissionStatements(orderId, adjustCommissions(proposed, adjusters, settings.capBps, onAdjusterRejected), now);
    },
  };
}

const parseJson = (raw: unknown) => (typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw);

export interface DistributionContext {
  settings: DistributionSettings;
  timeZone: string;
}

/** The settings and the shop's time zone, in one read. */
export async function loadDistributionContext(db: Client): Promise<DistributionContext> {
  const rs = await db.execute(`SELECT (SELECT value FROM settings WHERE key = 'distribution') AS distribution, (SELECT value FROM settings WHERE key = 'timezone') AS tz`);
  const row = rs.rows[0];
  return { settings: readSettings(parseJson(row?.distribution)), timeZone: row?.tz ? String(parseJson(row.tz)) : 'Asia/Shanghai' };
}

/** The statements distribution adds to each order transition's batch. */
export function ledgerHooks(ctx: DistributionContext, now: number) {
  return {
    paid: (intentId: string): InStatement[] => paidCommissionStatements(intentId, now, { week: weekKey(now, ctx.timeZone), month: monthKey(now, ctx.timeZone) }),
    completed: (): InStatement[] => completedCommissionStatements(now, ctx.settings.freezeDays * 86_400_000),
    released: (orderId: string): InStatement[] => releasedCommissionStatements(orderId, now),
    refunded: (refund: { orderId: string; lines: { lineId: string; amount: number }[] }): InStatement[] => refundedCommissionStatements(refund.orderId, refund.lines, now),
  };
}
