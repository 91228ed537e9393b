import { describe, expect, it } from 'vitest';
import { AppError } from '@tuike/core';
import { assertCompliant, defaultDistributionSettings, MAX_LEVELS, parseRule, readSettings, type DistributionSettings } from './settings';

const base = () => structuredClone(defaultDistributionSettings) as DistributionSettings & Record<string, unknown>;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('distribution settings compliance (D12)', () => {
  it('the default settings pass, unchanged', () => {
    expect(assertCompliant(base())).toEqual(defaultDistributionSettings);
    expect(defaultDistributionSettings.levels).toBeLessThanOrEqual(MAX_LEVELS);
  });

  it('refuses more than three levels, in the level count and in any rule', () => {
    expect(codeOf(() => assertCompliant({ ...base(), levels: 4 }))).toBe('DISTRIBUTION_LEVELS_EXCEEDED');
    expect(codeOf(() => assertCompliant({ ...base(), levels: 10, defaultRule: { mode: 'bps', levels: [100, 100, 100, 100] } }))).toBe('DISTRIBUTION_LEVELS_EXCEEDED');
    expect(codeOf(() => assertCompliant({ ...base(), defaultRule: { mode: 'bps', levels: [100, 100, 100, 100] } }))).toBe('DISTRIBUTION_LEVELS_EXCEEDED');
    expect(codeOf(() => parseRule({ mode: 'fixed', levels: [1, 1, 1, 1] }, 3000))).toBe('DISTRIBUTION_LEVELS_EXCEEDED');
    expect(assertCompliant({ ...base(), levels: 3 }).levels).toBe(3);
    expect(assertCompliant({ ...base(), levels: 1, defaultRule: { mode: 'bps', levels: [1000] } }).levels).toBe(1);
  });

  it('refuses percentage rates that add up to more than the cap; exactly the cap is fine', () => {
    expect(codeOf(() => assertCompliant({ ...base(), capBps: 3000, defaultRule: { mode: 'bps', levels: [2000, 800, 201] } }))).toBe('COMMISSION_CAP_EXCEEDED');
    expect(codeOf(() => assertCompliant({ ...base(), capBps: 1000, defaultRule: { mode: 'bps', levels: [1000, 500, 200] } }))).toBe('COMMISSION_CAP_EXCEEDED');
    expect(assertCompliant({ ...base(), capBps: 3000, defaultRule: { mode: 'bps', levels: [2000, 800, 200] } }).capBps).toBe(3000);
    expect(codeOf(() => parseRule({ mode: 'bps', levels: [3000, 1] }, 3000))).toBe('COMMISSION_CAP_EXCEEDED');
    expect(parseRule({ mode: 'bps', levels: [3000] }, 3000)).toEqual({ mode: 'bps', levels: [3000] });
    // A cap over 100% is not a cap.
    expect(codeOf(() => assertCompliant({ ...base(), capBps: 10_001 }))).toBe('VALIDATION_FAILED');
  });

  it('refuses every fee-like field, at any depth: becoming a distributor never costs money', () => {
    for (const key of ['entryFee', 'joinFee', 'membershipFee', 'applicationFee', 'deposit', 'joinPrice', 'starterKitCost', 'serviceCharge', '入会费', '加盟费']) {
      expect(codeOf(() => assertCompliant({ ...base(), [key]: 9900 })), key).toBe('ENTRY_FEE_FORBIDDEN');
      expect(codeOf(() => assertCompliant({ ...base(), eligibility: { mode: 'anyone', [key]: 9900 } })), `eligibility.${key}`).toBe('ENTRY_FEE_FORBIDDEN');
    }
    expect(codeOf(() => assertCompliant({ ...base(), withdrawal: { ...base().withdrawal, joinFee: 1 } }))).toBe('ENTRY_FEE_FORBIDDEN');
    expect(codeOf(() => assertCompliant({ ...base(), tiers: [{ name: 'vip', entryFee: 1 }] }))).toBe('ENTRY_FEE_FORBIDDEN');
    // The withdrawal fee is what a payout costs, not a fee for joining.
    expect(assertCompliant({ ...base(), withdrawal: { ...base().withdrawal, feeBps: 60 } }).withdrawal.feeBps).toBe(60);
  });

  it('refuses every per-recruit reward field: commission comes only from sales', () => {
    for (const key of ['recruitReward', 'recruitBonus', 'inviteReward', 'inviteBonus', 'referralBonus', 'perHeadCash', 'headcountReward', '拉新奖励', '人头奖']) {
      expect(codeOf(() => assertCompliant({ ...base(), [key]: 500 })), key).toBe('RECRUIT_REWARD_FORBIDDEN');
      expect(codeOf(() => assertCompliant({ ...base(), defaultRule: { ...base().defaultRule, [key]: 500 } })), `defaultRule.${key}`).toBe('RECRUIT_REWARD_FORBIDDEN');
    }
    expect(codeOf(() => assertCompliant({ ...base(), bonuses: [{ recruitReward: 100 }] }))).toBe('RECRUIT_REWARD_FORBIDDEN');
    // Invite-only eligibility is a value, not a reward.
    expect(assertCompliant({ ...base(), eligibility: { mode: 'invite_only' } }).eligibility.mode).toBe('invite_only');
  });

  it('refuses unknown and malformed fields as a validation failure', () => {
    expect(codeOf(() => assertCompliant({ ...base(), bonusPool: 1 }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertCompliant({ ...base(), eligibility: { mode: 'after_orders' } }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertCompliant({ ...base(), eligibility: { mode: 'after_spend' } }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertCompliant({ ...base(), levels: 3, defaultRule: { mode: 'bps', levels: [1000, 500] } }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertCompliant({ ...base(), withdrawal: { ...base().withdrawal, minimum: 1000, dailyMax: 999 } }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertCompliant({ ...base(), freezeDays: 1.5 }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertCompliant(null))).toBe('VALIDATION_FAILED');
  });

  it('valid settings round-trip through JSON and the stored-settings reader', () => {
    const custom: DistributionSettings = {
      enabled: true,
      eligibility: { mode: 'after_spend', minSpend: 50_000 },
      autoApprove: true,
      binding: { mode: 'latest', expiryDays: 30 },
      levels: 2,
      defaultRule: { mode: 'bps', levels: [1200, 600, 0] },
      capBps: 2000,
      selfPurchase: true,
      freezeDays: 14,
      settlement: { period: 'monthly' },
      withdrawal: { minimum: 1000, dailyMax: 200_000, feeBps: 60, methods: ['wechat', 'bank'] },
      rulesText: '佣金按实付金额计算，最多两级。',
    };
    const parsed = assertCompliant(JSON.parse(JSON.stringify(custom)));
    expect(parsed).toEqual(custom);
    expect(readSettings(JSON.parse(JSON.stringify(parsed)))).toEqual(custom);
    // Stored settings missing newer fields get the defaults for those.
    const { rulesText: _, ...older } = custom;
    expect(readSettings(older)).toEqual({ ...custom, rulesText: '' });
    expect(readSettings(undefined)).toEqual(defaultDistributionSettings);
  });
});
