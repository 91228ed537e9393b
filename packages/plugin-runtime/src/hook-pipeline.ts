import type { AddToCartContext, CartLine, CommissionAdjuster, PlaceOrderContext, PluginDefinition, PricingMember, Veto } from '@tuike/plugin-sdk';
import {
  checkCommissionAdjustment,
  checkInterceptResult,
  checkOperations,
  choiceFor,
  deepFreeze,
  memberFor,
  pricingBasis,
  pricingInputFor,
  resolvePricing,
  settingsFor,
  type ResolvedPricing,
  type StackingRules,
} from '@tuike/plugin-sdk/engine';
import type { CircuitBreaker } from './circuit-breaker';
import { runHook, type HookFailure, type HookLogger, type HookOutcome, type HookSandbox } from './hook-runner';

/**
 * The synchronous hook points, each running the shop's enabled plugins in their declared order
 * through runHook. Cart, checkout preview and order placement call `runPricingHooks` with the
 * same input and get the same price; placement compares it with what the buyer confirmed.
 */
export interface InstalledPlugin {
  definition: PluginDefinition;
  /** Settings as stored; parsed (defaults filled) on each call. */
  settings: unknown;
  critical: boolean;
  /**
   * Whether a loop in its synchronous hooks must be stopped from outside (Node's vm watchdog), or
   * only measured: false for the plugins this deployment ships, reviewed with the platform's own
   * code, which then run without the watchdog's thread. Defaults to guarded.
   */
  guarded?: boolean;
}

export interface HookRunOptions {
  breaker: CircuitBreaker;
  /** Per plugin per call; 20 ms by default. */
  budgetMs?: number;
  sandbox?: HookSandbox;
  clock?: () => number;
  log?: HookLogger;
}

export interface SkippedPlugin {
  pluginId: string;
  reason: HookFailure | 'switched-off';
  message?: string;
}

const defaultBudgetMs = 20;

/** One budgeted call of `p`'s `hook` with the run options; every hook point goes through it. */
export function runPluginHook<T>(p: InstalledPlugin, hook: string, fn: () => T, options: HookRunOptions, validate?: (value: T) => string | null): HookOutcome<T> {
  return runHook({ id: p.definition.id, critical: p.critical }, fn, options.budgetMs ?? defaultBudgetMs, options.breaker, {
    hook,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.clock ? { now: options.clock } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(validate ? { validate } : {}),
  });
}

export const skippedOf = (pluginId: string, outcome: Exclude<HookOutcome<unknown>, { status: 'ok' }>): SkippedPlugin =>
  outcome.status === 'skipped' ? { pluginId, reason: outcome.reason } : { pluginId, reason: outcome.reason, message: outcome.message };

export interface PricingRun {
  lines: readonly CartLine[];
  shippingFee: number;
  member: PricingMember | null;
  now: number;
  /** What each plugin's `loadState` returned, by plugin id. */
  states?: Readonly<Record<string, unknown>>;
  /** What the buyer chose for each plugin, by plugin id (checked against its schema here). */
  choices?: Readonly<Record<string, unknown>>;
}

export type PricingPipelineResult = ResolvedPricing & { skipped: SkippedPlugin[] };

export function runPricingHooks(plugins: readonly InstalledPlugin[], call: PricingRun, options: HookRunOptions & { rules?: StackingRules }): PricingPipelineResult {
  const basis = pricingBasis(call.lines, call.shippingFee);
  const outputs: Record<string, unknown> = {};
  const skipped: SkippedPlugin[] = [];
  for (const p of plugins) {
    const hook = p.definition.hooks.pricing;
    if (!hook) continue;
    const id = p.definition.id;
    let checked: readonly unknown[] = [];
    const outcome = runPluginHook(p, 'pricing', () => hook(pricingInputFor(p.definition, {
      lines: call.lines, shippingFee: call.shippingFee, member: call.member, settings: p.settings, state: call.states?.[id], choice: call.choices?.[id], now: call.now,
    })), options, (ops) => {
      const check = checkOperations(ops, basis);
      checked = check.operations;
      return check.reason;
    });
    // What the check parsed goes on to stacking, which need not parse it again.
    if (outcome.status === 'ok') outputs[id] = checked;
    else skipped.push(skippedOf(id, outcome));
  }
  return { ...resolvePricing(call.lines, call.shippingFee, outputs, { ...(options.rules ? { rules: options.rules } : {}), prechecked: true }), skipped };
}

export interface InterceptVerdict {
  /** The first veto in declared order; later plugins are not asked. */
  veto: (Veto & { pluginId: string }) | null;
  skipped: SkippedPlugin[];
}

function intercept(plugins: readonly InstalledPlugin[], hook: 'willAddToCart' | 'willPlaceOrder', call: (p: InstalledPlugin) => unknown, options: HookRunOptions): InterceptVerdict {
  const skipped: SkippedPlugin[] = [];
  for (const p of plugins) {
    if (!p.definition.hooks[hook]) continue;
    const outcome = runPluginHook(p, hook, () => call(p), options, (r) => {
      const checked = checkInterceptResult(r);
      return checked.ok ? null : checked.reason;
    });
    if (outcome.status !== 'ok') { skipped.push(skippedOf(p.definition.id, outcome)); continue; }
    const checked = checkInterceptResult(outcome.value);
    if (checked.ok && checked.veto) return { veto: { ...checked.veto, pluginId: p.definition.id }, skipped };
  }
  return { veto: null, skipped };
}

export interface AddToCartRun {
  member: PricingMember | null;
  sku: AddToCartContext['sku'];
  quantity: number;
  lines: readonly CartLine[];
  now: number;
  states?: Readonly<Record<string, unknown>>;
}

export function runAddToCartInterceptors(plugins: readonly InstalledPlugin[], call: AddToCartRun, options: HookRunOptions): InterceptVerdict {
  return intercept(plugins, 'willAddToCart', (p) => {
    const ctx: AddToCartContext = deepFreeze({
      member: memberFor(p.definition, call.member), sku: { ...call.sku }, quantity: call.quantity, lines: call.lines.map((l) => ({ ...l })),
      settings: settingsFor(p.definition, p.settings), now: call.now, state: call.states?.[p.definition.id],
    });
    return p.definition.hooks.willAddToCart!(ctx);
  }, options);
}

export interface PlaceOrderRun {
  member: PricingMember | null;
  lines: readonly CartLine[];
  priced: ResolvedPricing;
  now: number;
  states?: Readonly<Record<string, unknown>>;
  choices?: Readonly<Record<string, unknown>>;
}

export function runPlaceOrderInterceptors(plugins: readonly InstalledPlugin[], call: PlaceOrderRun, options: HookRunOptions): InterceptVerdict {
  return intercept(plugins, 'willPlaceOrder', (p) => {
    const id = p.definition.id;
    const ctx: PlaceOrderContext = deepFreeze({
      member: memberFor(p.definition, call.member),
      lines: call.lines.map((l) => ({ ...l })),
      priced: {
        itemsTotal: call.priced.itemsTotal, discountTotal: call.priced.discountTotal, shippingFee: call.priced.shippingFee, payTotal: call.priced.payTotal,
        applied: call.priced.applied.filter((a) => a.pluginId === id).map((a) => ({ kind: a.kind, amount: a.amount, ...(a.points === undefined ? {} : { points: a.points }), ...(a.ref === null ? {} : { ref: a.ref }) })),
      },
      settings: settingsFor(p.definition, p.settings), now: call.now, state: call.states?.[id], choice: choiceFor(p.definition, call.choices?.[id]),
    });
    return p.definition.hooks.willPlaceOrder!(ctx);
  }, options);
}

/**
 * A plugin's `adjustCommission` as the plain `CommissionAdjuster` distribution runs: budgeted and
 * counted by the breaker; a failure throws, which distribution answers by paying the sale as
 * proposed. Null when the plugin has no adjuster.
 */
export function commissionAdjusterFor(p: InstalledPlugin, now: number, options: HookRunOptions & { capBps?: number }): CommissionAdjuster | null {
  const hook = p.definition.hooks.adjustCommission;
  if (!hook) return null;
  return (proposed) => {
    const outcome = runPluginHook(p, 'adjustCommission', () => hook(proposed.map((l) => ({ ...l })), deepFreeze({ settings: settingsFor(p.definition, p.settings), now })), options, (out) => {
      const checked = checkCommissionAdjustment(proposed, out, options.capBps);
      return checked.ok ? null : checked.reason;
    });
    if (outcome.status === 'skipped') return proposed;
    if (outcome.status === 'failed') throw new Error(`${p.definition.id}.adjustCommission ${outcome.reason}: ${outcome.message}`);
    return outcome.value;
  };
}
