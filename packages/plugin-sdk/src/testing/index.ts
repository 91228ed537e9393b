/**
 * @tuike/plugin-sdk/testing — run a plugin's hooks against a fixture cart the way the platform
 * does: the same input building (settings parsed, choice checked, member tags only with
 * `member.read`, frozen input), the same output checks and the same stacking engine.
 *
 *   const cart = fixtureCart({ lines: [{ unitPrice: 5000, quantity: 2 }] });
 *   const priced = runPricing(coupons, { cart, settings: { minSpend: 5000 }, member: { id: 'm1' }, state: { coupons: [...] } });
 *   expect(priced.payTotal).toBe(9000);
 */
import type { AddToCartContext, CartLine, PlaceOrderContext, PricedSummary, PricingMember, PricingOperation, ProposedCommission, Reservation, ReserveContext, Veto } from '../hooks';
import type { PluginDefinition } from '../manifest';
import { checkInterceptResult, checkReservation, choiceFor, deepFreeze, memberFor, pricingInputFor, settingsFor } from '../pricing-input';
import { checkCommissionAdjustment } from '../commission-check';
import { resolvePricing, type ResolvedPricing, type StackingRules } from '../stacking';

export interface FixtureLine {
  unitPrice: number;
  quantity?: number;
  lineId?: string;
  skuId?: string;
  productId?: string;
  categoryId?: string | null;
}

export interface FixtureCart {
  lines: readonly CartLine[];
  shippingFee: number;
}

/** Lines get ids `l1`, `l2` …, SKUs `sku-1` …, products `p-1` …, quantity 1 unless given. */
export function fixtureCart(spec: { lines: readonly FixtureLine[]; shippingFee?: number }): FixtureCart {
  return {
    lines: spec.lines.map((l, i) => ({
      lineId: l.lineId ?? `l${i + 1}`,
      skuId: l.skuId ?? `sku-${i + 1}`,
      productId: l.productId ?? `p-${i + 1}`,
      categoryId: l.categoryId ?? null,
      quantity: l.quantity ?? 1,
      unitPrice: l.unitPrice,
    })),
    shippingFee: spec.shippingFee ?? 0,
  };
}

export class PluginHookThrew extends Error {
  constructor(pluginId: string, hook: string, cause: unknown) {
    super(`${pluginId}.${hook} threw (the platform would skip this plugin for the call and count a failure): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PluginHookThrew';
  }
}

function call<T>(pluginId: string, hook: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new PluginHookThrew(pluginId, hook, e);
  }
}

export interface PricingFixture<St = unknown> {
  cart: FixtureCart;
  /** Stored settings; defaults fill the rest. */
  settings?: unknown;
  member?: PricingMember | null;
  state?: St;
  choice?: unknown;
  now?: number;
  /** What other plugins returned for this cart, to see how the offers stack. */
  others?: Readonly<Record<string, readonly PricingOperation[]>>;
  rules?: StackingRules;
}

export type RunPricingResult = ResolvedPricing & {
  /** What the hook returned, before the platform checked and resolved it. */
  operations: readonly PricingOperation[];
};

const defaultNow = Date.UTC(2026, 0, 1);

export function runPricing<S, St, C>(plugin: PluginDefinition<S, St, C>, fixture: PricingFixture<St>): RunPricingResult {
  const hook = plugin.hooks.pricing;
  if (!hook) throw new Error(`${plugin.id} has no pricing hook`);
  const input = pricingInputFor(plugin, {
    lines: fixture.cart.lines,
    shippingFee: fixture.cart.shippingFee,
    member: fixture.member ?? null,
    settings: fixture.settings,
    state: fixture.state,
    choice: fixture.choice,
    now: fixture.now ?? defaultNow,
  });
  const operations = call(plugin.id, 'pricing', () => hook(input));
  const resolved = resolvePricing(fixture.cart.lines, fixture.cart.shippingFee, { ...fixture.others, [plugin.id]: operations }, fixture.rules ? { rules: fixture.rules } : {});
  return { ...resolved, operations };
}

/** What `willPlaceOrder` sees of the resolved price: only this plugin's applied operations. */
export function pricedSummary(resolved: ResolvedPricing, pluginId: string): PricedSummary {
  return {
    itemsTotal: resolved.itemsTotal,
    discountTotal: resolved.discountTotal,
    shippingFee: resolved.shippingFee,
    payTotal: resolved.payTotal,
    applied: resolved.applied.filter((a) => a.pluginId === pluginId).map((a) => ({ kind: a.kind, amount: a.amount, ...(a.points === undefined ? {} : { points: a.points }), ...(a.ref === null ? {} : { ref: a.ref }) })),
  };
}

export interface AddToCartFixture<St = unknown> {
  sku: AddToCartContext['sku'];
  quantity: number;
  cart?: FixtureCart;
  member?: PricingMember | null;
  settings?: unknown;
  state?: St;
  now?: number;
}

export interface PlaceOrderFixture<St = unknown> extends PricingFixture<St> {
  /** Defaults to the cart priced with this plugin's own pricing hook (if any) and `others`. */
  priced?: PricedSummary;
}

/** A veto, or null; throws when the hook throws or answers in a shape the platform refuses. */
export function runInterceptor<S, St, C>(plugin: PluginDefinition<S, St, C>, hook: 'willAddToCart', fixture: AddToCartFixture<St>): { veto: Veto | null };
export function runInterceptor<S, St, C>(plugin: PluginDefinition<S, St, C>, hook: 'willPlaceOrder', fixture: PlaceOrderFixture<St>): { veto: Veto | null };
export function runInterceptor<S, St, C>(plugin: PluginDefinition<S, St, C>, hook: 'willAddToCart' | 'willPlaceOrder', fixture: AddToCartFixture<St> | PlaceOrderFixture<St>): { veto: Veto | null } {
  const now = fixture.now ?? defaultNow;
  const settings = settingsFor(plugin, fixture.settings);
  const member = memberFor(plugin, fixture.member ?? null);
  let result: unknown;
  if (hook === 'willAddToCart') {
    const fn = plugin.hooks.willAddToCart;
    if (!fn) throw new Error(`${plugin.id} has no willAddToCart hook`);
    const f = fixture as AddToCartFixture<St>;
    const ctx: AddToCartContext<S, St> = deepFreeze({ member, sku: { ...f.sku }, quantity: f.quantity, lines: (f.cart?.lines ?? []).map((l) => ({ ...l })), settings, now, state: f.state as St });
    result = call(plugin.id, hook, () => fn(ctx));
  } else {
    const fn = plugin.hooks.willPlaceOrder;
    if (!fn) throw new Error(`${plugin.id} has no willPlaceOrder hook`);
    const f = fixture as PlaceOrderFixture<St>;
    const priced = f.priced ?? pricedSummary(plugin.hooks.pricing ? runPricing(plugin, f) : resolvePricing(f.cart.lines, f.cart.shippingFee, { ...f.others }, f.rules ? { rules: f.rules } : {}), plugin.id);
    const ctx: PlaceOrderContext<S, St, C> = deepFreeze({ member, lines: f.cart.lines.map((l) => ({ ...l })), priced, settings, now, state: f.state as St, choice: choiceFor(plugin, f.choice) });
    result = call(plugin.id, hook, () => fn(ctx));
  }
  const checked = checkInterceptResult(result);
  if (!checked.ok) throw new Error(`${plugin.id}.${hook} answered in a shape the platform refuses: ${checked.reason}`);
  return { veto: checked.veto };
}

/**
 * Runs `adjustCommission` on proposed lines. `refused` says why the platform would ignore the
 * output (and pay `proposed` unchanged); `lines` is what it would pay.
 */
export function runCommissionAdjuster<S, St, C>(plugin: PluginDefinition<S, St, C>, proposed: readonly ProposedCommission[], options: { settings?: unknown; now?: number; capBps?: number } = {}): { lines: readonly ProposedCommission[]; refused: string | null } {
  const fn = plugin.hooks.adjustCommission;
  if (!fn) throw new Error(`${plugin.id} has no adjustCommission hook`);
  const ctx = deepFreeze({ settings: settingsFor(plugin, options.settings), now: options.now ?? defaultNow });
  const out = call(plugin.id, 'adjustCommission', () => fn(proposed.map((l) => ({ ...l })), ctx));
  const checked = checkCommissionAdjustment(proposed, out, options.capBps);
  return checked.ok ? { lines: checked.lines, refused: null } : { lines: proposed, refused: checked.reason };
}

export interface ReserveFixture<St = unknown> extends PlaceOrderFixture<St> {
  orderId?: string;
  orderNo?: string;
}

/**
 * Runs `reserveOrder` for a fixture order the way placement does: lines priced with this plugin's
 * pricing (and `others`), order line ids `ol1`, `ol2` …. Returns the checked reservation (null when
 * the hook holds nothing); throws when the hook throws or answers in a shape the platform refuses.
 * Run its statements on a test database to see the hold happen or the order refused.
 */
export function runReservation<S, St, C>(plugin: PluginDefinition<S, St, C>, fixture: ReserveFixture<St>): Reservation | null {
  const fn = plugin.hooks.reserveOrder;
  if (!fn) throw new Error(`${plugin.id} has no reserveOrder hook`);
  const resolved = plugin.hooks.pricing ? runPricing(plugin, fixture) : resolvePricing(fixture.cart.lines, fixture.cart.shippingFee, { ...fixture.others }, fixture.rules ? { rules: fixture.rules } : {});
  const ctx: ReserveContext<S, St, C> = deepFreeze({
    member: memberFor(plugin, fixture.member ?? null),
    orderId: fixture.orderId ?? 'order-1',
    orderNo: fixture.orderNo ?? '202601010000000001',
    lines: fixture.cart.lines.map((l, i) => ({ ...l, orderLineId: `ol${i + 1}`, paidAmount: resolved.lines[i]?.paidAmount ?? l.unitPrice * l.quantity })),
    priced: fixture.priced ?? pricedSummary(resolved, plugin.id),
    settings: settingsFor(plugin, fixture.settings),
    now: fixture.now ?? defaultNow,
    state: fixture.state as St,
    choice: choiceFor(plugin, fixture.choice),
  });
  const out = call(plugin.id, 'reserveOrder', () => fn(ctx));
  const checked = checkReservation(out);
  if (!checked.ok) throw new Error(`${plugin.id}.reserveOrder answered in a shape the platform refuses: ${checked.reason}`);
  return checked.reservation;
}
