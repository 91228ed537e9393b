import type { Client, InStatement } from '@libsql/client';
import { AppError, type Locale } from '@tuike/core';
import type { OrderOffer } from '@tuike/db-tenant';
import { loadSkus, type ExtraColumn, type PlacedLine, type PlacementAttachment, type PricedCheckout, type PricedLine } from '@tuike/orders';
import type { CartLine, PricingMember } from '@tuike/plugin-sdk';
import type { ResolvedPricing } from '@tuike/plugin-sdk/engine';
import { planReservations, runPlaceOrderInterceptors, runPricingHooks, runAddToCartInterceptors, underWatchdog, type SkippedPlugin } from '@tuike/plugin-runtime';
import type { Services } from '../context';
import { hearsOrderEvent, orderPlacedEvent } from './order-events';
import { loadStates, parseInstalls, readInstalls, shopPlugins, withHook, type InstallState, type ShopPlugins } from './shop-runtime';
import { shopStackingRules } from './stacking-settings';

/**
 * The plugin half of cart, preview and placement. All three price through `pricePlugins` with
 * the same lines, states and choices, so the price shown is the price charged; placement then
 * asks the interceptors, and puts each plugin's holds (reserveOrder) and the `order.placed`
 * event into the order's own batch. A shop without plugins that price costs nothing here: no
 * read beyond checkout's two, no hook run.
 */

/** The product's category rides on checkout's SKU read (plugins scope offers by it). */
export const categoryColumn: Record<string, ExtraColumn> = { category_id: { sql: 'p.category_id', args: [] } };

export type Gift = ResolvedPricing['gifts'][number] & { available: boolean };

export interface PluginPricing {
  priced: PricedCheckout;
  offers: OrderOffer[];
  /** Gifts offered; the available ones are lines of the order (list price, fully discounted). */
  gifts: Gift[];
  pointsUsed: number;
  skipped: SkippedPlugin[];
  /** What placement needs again: the same plugins, states and choices. */
  run: { shop: ShopPlugins; lines: CartLine[]; states: Record<string, unknown>; choices: Record<string, unknown>; member: PricingMember | null; resolved: ResolvedPricing } | null;
}

const emptyRun = (priced: PricedCheckout): PluginPricing => ({ priced, offers: [], gifts: [], pointsUsed: 0, skipped: [], run: null });

/** Cart lines as plugins see them: one per SKU (checkout merges repeats), the SKU id as line id. */
export function cartLinesOf(priced: PricedCheckout): CartLine[] {
  return priced.cart.lines.map((l, i) => {
    const row = priced.rows[i]!;
    const category = row.extra.category_id;
    return { lineId: l.skuId, skuId: l.skuId, productId: row.productId, categoryId: typeof category === 'string' ? category : null, quantity: l.quantity, unitPrice: l.unitPrice };
  });
}

/** `stacking`: the shop's stored stacking overrides, as read by checkout's context read (`stackingColumn`). */
export async function pricePlugins(services: Services, db: Client, base: PricedCheckout, installsRaw: unknown, call: { member: PricingMember | null; choices: Record<string, unknown>; now: number; stacking: unknown }): Promise<PluginPricing> {
  const installs = parseInstalls(installsRaw);
  if (!installs.some((i) => i.enabled)) return emptyRun(base);
  const shop = await shopPlugins(services, db, installs);
  // Even a plugin with no checkout hook takes part: it hears the order's events.
  const lines = cartLinesOf(base);
  const baseShipping = base.cart.shippingFee;
  const states = await loadStates(shop, db, { member: call.member, lines, choices: call.choices, now: call.now });
  const resolved = underWatchdog(shop.watchdog, withHook(shop, 'pricing'), shop.options, (plugins, options) =>
    runPricingHooks(plugins, { lines, shippingFee: baseShipping, member: call.member, now: call.now, states, choices: call.choices }, { ...options, rules: shopStackingRules(call.stacking) }));
  await shop.flush();
  const gifts = await giftLines(db, base, resolved.gifts);
  const byLine = new Map(resolved.lines.map((l) => [l.lineId, l]));
  const pricedLines: PricedLine[] = base.cart.lines.map((l) => {
    const r = byLine.get(l.skuId)!;
    return { ...l, discount: r.discount, paidAmount: r.paidAmount };
  });
  const offers: OrderOffer[] = resolved.applied.filter((a) => a.kind !== 'gift').map((a) => ({
    pluginId: a.pluginId, kind: a.kind, label: { zh: a.label.zh, en: a.label.en }, amount: a.amount, ref: a.ref,
    ...(a.points === undefined ? {} : { points: a.points }), ...(a.lineId === undefined ? {} : { lineId: a.lineId }),
  }));
  const giftValue = gifts.lines.reduce((a, l) => a + l.lineTotal, 0);
  return {
    priced: {
      rows: [...base.rows, ...gifts.rows],
      cart: {
        lines: [...pricedLines, ...gifts.lines], itemsTotal: resolved.itemsTotal + giftValue, discountTotal: resolved.discountTotal + giftValue,
        shippingFee: resolved.shippingFee, payTotal: resolved.payTotal,
        adjustments: offers.map((o) => ({ label: o.label.zh, amount: o.amount })),
      },
    },
    offers, gifts: gifts.offered, pointsUsed: resolved.pointsUsed, skipped: resolved.skipped,
    run: { shop, lines, states, choices: call.choices, member: call.member, resolved },
  };
}

/**
 * Gifts become order lines: the SKU at its list price, wholly discounted, so the placement batch
 * takes its stock (and guards its price) like any line, and the buyer pays nothing for it. A gift
 * whose SKU is off the shelf or short of stock is shown as unavailable and left out. One read,
 * only when there are gifts.
 */
async function giftLines(db: Client, base: PricedCheckout, offered: ResolvedPricing['gifts']) {
  const empty = { lines: [] as PricedLine[], rows: [] as PricedCheckout['rows'], offered: [] as Gift[] };
  if (offered.length === 0) return empty;
  const skus = await loadSkus(db, [...new Set(offered.map((g) => g.skuId))], categoryColumn);
  const taken = new Map(base.cart.lines.map((l) => [l.skuId, l.quantity]));
  const out = empty;
  for (const g of offered) {
    const row = skus.get(g.skuId);
    const wanted = (taken.get(g.skuId) ?? 0) + g.quantity;
    const available = !!row && row.onShelf && row.stock >= wanted;
    out.offered.push({ ...g, available });
    if (!available) continue;
    taken.set(g.skuId, wanted);
    const lineTotal = row.price * g.quantity;
    out.lines.push({ skuId: g.skuId, unitPrice: row.price, quantity: g.quantity, lineTotal, discount: lineTotal, paidAmount: 0, gift: true });
    out.rows.push(row);
  }
  return out;
}

/** Offers merged for display: one row per plugin and ref (a coupon spread over lines is one row). */
export function offerRows(offers: readonly OrderOffer[], locale: Locale) {
  const rows = new Map<string, { pluginId: string; kind: string; label: string; amount: number; points: number; ref: string | null }>();
  for (const o of offers) {
    const key = `${o.pluginId}\u0000${o.ref ?? `#${rows.size}`}\u0000${o.kind}`;
    const row = rows.get(key) ?? { pluginId: o.pluginId, kind: o.kind, label: locale === 'en' ? o.label.en : o.label.zh, amount: 0, points: 0, ref: o.ref };
    row.amount += o.amount;
    row.points += o.points ?? 0;
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** willPlaceOrder of every plugin that has one; the first veto refuses the order. */
export function checkPlacement(pricing: PluginPricing, now: number): void {
  const run = pricing.run;
  if (!run) return;
  const verdict = underWatchdog(run.shop.watchdog, withHook(run.shop, 'willPlaceOrder'), run.shop.options, (plugins, options) => runPlaceOrderInterceptors(plugins, {
    member: run.member, lines: run.lines, priced: run.resolved, now, states: run.states, choices: run.choices,
  }, options));
  if (verdict.veto) throw new AppError('PLUGIN_REFUSED', { pluginId: verdict.veto.pluginId, code: verdict.veto.code, message: verdict.veto.message });
}

/**
 * What plugins add to the order's batch: their holds (guarded, refusing the order when they
 * cannot be had), the offers recorded on the order, and the `order.placed` event — around the
 * attachment distribution already made (upline, commission lines).
 */
export function withPluginPlacement(base: PlacementAttachment | undefined, pricing: PluginPricing, buyer: { memberId: string; payTotal: number }, now: number): PlacementAttachment | undefined {
  const run = pricing.run;
  if (!run) return base;
  let refusalFor: ((e: unknown) => Error | null) | null = null;
  let columns: { offers: string | null; plugins: string | null } = { offers: null, plugins: null };
  return {
    upline: base?.upline ?? null,
    distributorShopId: base?.distributorShopId ?? null,
    statements(order) {
      // The bought lines come first; a gift of the same SKU is a later line of its own.
      const bySku = new Map<string, PlacedLine>();
      for (const l of order.lines) if (!bySku.has(l.skuId)) bySku.set(l.skuId, l);
      const plan = underWatchdog(run.shop.watchdog, withHook(run.shop, 'reserveOrder'), run.shop.options, (plugins, options) => planReservations(plugins, {
        member: run.member, lines: run.lines, priced: run.resolved, now, states: run.states, choices: run.choices,
        orderId: order.orderId, orderNo: order.orderNo, installedPluginIds: run.shop.installedIds,
        placed: run.lines.map((l) => ({ lineId: l.lineId, orderLineId: bySku.get(l.skuId)!.lineId, paidAmount: bySku.get(l.skuId)!.paidAmount })),
      }, run.resolved, options));
      // A plugin whose offer is in the price but whose hold did not come (it threw, or answered
      // badly) would sell what it cannot hold: the order fails as for a critical plugin, and the
      // breaker — counting these failures — soon takes its offers out of the price instead.
      const unheld = plan.skipped.find((s) => s.reason !== 'switched-off' && run.resolved.applied.some((a) => a.pluginId === s.pluginId));
      if (unheld) throw new AppError('PLUGIN_CRITICAL_FAILED', { pluginId: unheld.pluginId, hook: 'reserveOrder', reason: unheld.reason });
      refusalFor = (e) => {
        const r = plan.refusalFor(e);
        return r ? new AppError('PLUGIN_REFUSED', { pluginId: r.pluginId, code: r.code, message: r.message }) : null;
      };
      // Taking part: enabled, code here, not switched off by the breaker (as of this placement).
      const taking = run.shop.plugins.filter((p) => !run.shop.options.breaker.isOff(p.definition.id));
      const offeredBy = new Set(pricing.offers.map((o) => o.pluginId));
      // On the order row: its offers, and who took part (they hear the order's events from now on).
      columns = { offers: pricing.offers.length ? JSON.stringify(pricing.offers) : null, plugins: taking.length ? JSON.stringify(taking.map((p) => p.definition.id)) : null };
      const statements: InStatement[] = [
        ...(base?.statements(order) ?? []),
        ...plan.statements,
        // Only when a plugin taking part hears it (its scope may ask for its own offers).
        ...(taking.some((p) => hearsOrderEvent(p.definition, 'order.placed', offeredBy)) ? [orderPlacedEvent({ orderId: order.orderId, orderNo: order.orderNo, memberId: buyer.memberId, payTotal: buyer.payTotal, lines: order.lines, offers: pricing.offers }, now)] : []),
      ];
      return statements;
    },
    orderColumns: () => columns,
    refusal: (e) => base?.refusal?.(e) ?? refusalFor?.(e) ?? null,
  };
}

/** willAddToCart: read the installs (one read), and when a plugin intercepts, its state too. */
export async function checkAddToCart(services: Services, db: Client, call: { member: PricingMember; sku: { skuId: string; productId: string; categoryId: string | null; unitPrice: number }; quantity: number; cartLines: () => Promise<CartLine[]>; now: number }): Promise<void> {
  const installs: readonly InstallState[] = await readInstalls(db);
  if (!installs.some((i) => i.enabled)) return;
  const shop = await shopPlugins(services, db, installs);
  const interceptors = withHook(shop, 'willAddToCart');
  if (interceptors.length === 0) return;
  const lines = [...(await call.cartLines()).filter((l) => l.skuId !== call.sku.skuId), { lineId: call.sku.skuId, skuId: call.sku.skuId, productId: call.sku.productId, categoryId: call.sku.categoryId, quantity: call.quantity, unitPrice: call.sku.unitPrice }];
  const states = await loadStates(shop, db, { member: call.member, lines, choices: {}, now: call.now });
  const verdict = underWatchdog(shop.watchdog, interceptors, shop.options, (plugins, options) =>
    runAddToCartInterceptors(plugins, { member: call.member, sku: call.sku, quantity: call.quantity, lines, now: call.now, states }, options));
  await shop.flush();
  if (verdict.veto) throw new AppError('PLUGIN_REFUSED', { pluginId: verdict.veto.pluginId, code: verdict.veto.code, message: verdict.veto.message });
}
