import * as v from 'valibot';
import { AppError } from '@tuike/core';
import type { CommissionRule } from '@tuike/db-tenant';

/** The platform's hard limits (D12): never more than three levels, never a rate sum over 100%. */
export const MAX_LEVELS = 3;
const MAX_CAP_BPS = 10_000;
const MAX_FIXED_FEN = 10_000_00;

const fen = (max = 1_000_000_00) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));

export const CommissionRuleSchema = v.strictObject({
  mode: v.picklist(['bps', 'fixed']),
  levels: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_FIXED_FEN))), v.minLength(1)),
});

export const payoutMethodList = ['wechat', 'alipay', 'bank', 'offline'] as const;

export const DistributionSettingsSchema = v.strictObject({
  enabled: v.boolean(),
  /** Who may apply (D1). There is no fee field, and none can be added (see `assertCompliant`). */
  eligibility: v.strictObject({
    mode: v.picklist(['anyone', 'after_orders', 'after_spend', 'invite_only']),
    minOrders: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
    minSpend: v.optional(fen()),
  }),
  autoApprove: v.boolean(),
  binding: v.strictObject({
    mode: v.picklist(['first_touch', 'on_register', 'latest']),
    /** Days a binding lasts; null keeps it for good. */
    expiryDays: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650))),
  }),
  levels: v.pipe(v.number(), v.integer(), v.minValue(1)),
  defaultRule: CommissionRuleSchema,
  /** The merchant's cap on the sum of the percentage rates of one line, in basis points. */
  capBps: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_CAP_BPS)),
  selfPurchase: v.boolean(),
  freezeDays: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(90)),
  settlement: v.strictObject({ period: v.picklist(['weekly', 'monthly']) }),
  withdrawal: v.strictObject({
    minimum: fen(),
    dailyMax: fen(),
    feeBps: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2000)),
    methods: v.pipe(v.array(v.picklist(payoutMethodList)), v.minLength(1)),
  }),
  /** Shown to distributors (D12). */
  rulesText: v.pipe(v.string(), v.maxLength(5000)),
});

export type DistributionSettings = v.InferOutput<typeof DistributionSettingsSchema>;

export const defaultDistributionSettings: DistributionSettings = {
  enabled: true,
  eligibility: { mode: 'anyone' },
  autoApprove: false,
  binding: { mode: 'first_touch', expiryDays: null },
  levels: 3,
  defaultRule: { mode: 'bps', levels: [1000, 500, 200] },
  capBps: 3000,
  selfPurchase: false,
  freezeDays: 7,
  settlement: { period: 'weekly' },
  withdrawal: { minimum: 100, dailyMax: 500_000, feeBps: 0, methods: ['wechat', 'alipay', 'offline'] },
  rulesText: '',
};

const FEE_KEYS = /fee|price|deposit|charge|cost|费/i;
const RECRUIT_KEYS = /recruit|invite(?!_only)|referral|head|拉新|人头/i;

/**
 * The compliance rules (D12) as refusals with their own codes, checked before the schema so a
 * merchant who tries to add an entry fee or a per-recruit reward hears exactly why not.
 */
export function assertCompliant(raw: unknown): DistributionSettings {
  if (raw && typeof raw === 'object') {
    const keys = collectKeys(raw);
    // The withdrawal fee is a payout cost, not a fee for joining; everything else named like a fee is refused.
    if (keys.some((k) => FEE_KEYS.test(k) && k !== 'feeBps')) throw new AppError('ENTRY_FEE_FORBIDDEN');
    if (keys.some((k) => RECRUIT_KEYS.test(k))) throw new AppError('RECRUIT_REWARD_FORBIDDEN');
    const levels = (raw as { levels?: unknown }).levels;
    if (typeof levels === 'number' && levels > MAX_LEVELS) throw new AppError('DISTRIBUTION_LEVELS_EXCEEDED');
  }
  const parsed = v.safeParse(DistributionSettingsSchema, raw);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', v.flatten(parsed.issues).nested);
  const s = parsed.output;
  if (s.defaultRule.levels.length > MAX_LEVELS) throw new AppError('DISTRIBUTION_LEVELS_EXCEEDED');
  if (s.defaultRule.levels.length < s.levels) throw new AppError('VALIDATION_FAILED', { defaultRule: `a rate for each of the ${s.levels} levels` });
  assertRuleWithinCap(s.defaultRule, s.capBps);
  if (s.eligibility.mode === 'after_orders' && !s.eligibility.minOrders) throw new AppError('VALIDATION_FAILED', { minOrders: 'required' });
  if (s.eligibility.mode === 'after_spend' && !s.eligibility.minSpend) throw new AppError('VALIDATION_FAILED', { minSpend: 'required' });
  if (s.withdrawal.dailyMax < s.withdrawal.minimum) throw new AppError('VALIDATION_FAILED', { dailyMax: 'at least the minimum' });
  return s;
}

/** A percentage rule must fit under the cap; fixed rules are clamped per line at computation. */
export function assertRuleWithinCap(rule: CommissionRule, capBps: number) {
  if (rule.levels.length > MAX_LEVELS) throw new AppError('DISTRIBUTION_LEVELS_EXCEEDED');
  if (rule.mode === 'bps' && rule.levels.reduce((a, b) => a + b, 0) > capBps) throw new AppError('COMMISSION_CAP_EXCEEDED', { capBps });
}

export function parseRule(raw: unknown, capBps: number): CommissionRule {
  const parsed = v.safeParse(CommissionRuleSchema, raw);
  if (!parsed.success) {
    if (raw && typeof raw === 'object' && Array.isArray((raw as { levels?: unknown }).levels) && (raw as { levels: unknown[] }).levels.length > MAX_LEVELS) {
      throw new AppError('DISTRIBUTION_LEVELS_EXCEEDED');
    }
    throw new AppError('VALIDATION_FAILED', v.flatten(parsed.issues).nested);
  }
  assertRuleWithinCap(parsed.output, capBps);
  return parsed.output;
}

/** Every key at any depth, inside arrays too (a list of tiers or bonuses must not hide a fee). */
/** Keys of the settings, a few levels deep: settings are shallow, and deeper input fails the schema anyway. */
function collectKeys(value: object, out: string[] = [], depth = 0): string[] {
  if (depth > 4) return out;
  for (const [k, child] of Object.entries(value)) {
    if (!Array.isArray(value)) out.push(k);
    if (child && typeof child === 'object') collectKeys(child, out, depth + 1);
  }
  return out;
}

/** Stored settings merged over the defaults, so a shop that never saved any still works. */
export function readSettings(stored: unknown): DistributionSettings {
  if (!stored || typeof stored !== 'object') return defaultDistributionSettings;
  const merged = { ...defaultDistributionSettings, ...(stored as object) };
  const parsed = v.safeParse(DistributionSettingsSchema, merged);
  return parsed.success ? parsed.output : defaultDistributionSettings;
}
