import * as v from 'valibot';
import type { ExtraColumn } from '@tuike/orders';
import { defaultStackingRules, stackingRules, stackingRulesSchema, type StackingRules, type StackingRulesInput } from '@tuike/plugin-runtime';

/**
 * The shop's stacking rules (G2): which offers of a class survive together, and how two classes
 * combine — the defaults of the SDK with the merchant's overrides on top, kept in the shop's
 * settings under `stacking`. Cart, preview and placement all price with the same rules, read on
 * checkout's context read (`stackingColumn`), so the price shown is the price charged.
 */
export const STACKING_KEY = 'stacking';

export const stackingColumn: ExtraColumn = { sql: `(SELECT value FROM settings WHERE key = '${STACKING_KEY}')`, args: [] };

/** The stored overrides, or none when there are none or they no longer fit the schema. */
export function storedOverrides(raw: unknown): StackingRulesInput {
  const value = typeof raw === 'string' ? safeJson(raw) : raw;
  const parsed = v.safeParse(stackingRulesSchema, value ?? {});
  return parsed.success ? parsed.output : {};
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/** Effective rules by stored text (the same on every checkout until the merchant changes them). */
const rulesByText = new Map<string, StackingRules>();

export function shopStackingRules(raw: unknown): StackingRules {
  if (typeof raw !== 'string') return defaultStackingRules;
  let rules = rulesByText.get(raw);
  if (!rules) {
    rules = stackingRules(storedOverrides(raw));
    if (rulesByText.size >= 500) rulesByText.clear();
    rulesByText.set(raw, rules);
  }
  return rules;
}
