/** Campaigns as loadState hands them to pricing, for the pure tests. Only tests import this file. */
import type { CampaignState } from './campaign-state';
import type { CampaignTerms, LiveCampaign } from './campaign-terms';

export const now = Date.UTC(2026, 0, 1);
export const day = 86_400_000;

/** Live from a day before `now` for a week, on everything, priority 0, unless told otherwise. */
export function campaign(id: string, terms: CampaignTerms, extra: Partial<LiveCampaign> = {}): LiveCampaign {
  return { id, name: id, priority: 0, startsAt: now - day, endsAt: now + 7 * day, scope: { type: 'all' }, terms, ...extra };
}

export const state = (...list: LiveCampaign[]): CampaignState => ({ campaigns: list });

/** 满100减10, 满200减30, 满300减50. */
export const tiers3: CampaignTerms = { kind: 'tiered_reduction', tiers: [{ threshold: 10_000, off: 1_000 }, { threshold: 20_000, off: 3_000 }, { threshold: 30_000, off: 5_000 }], repeat: null };
/** 8折. */
export const zhe8: CampaignTerms = { kind: 'discount', percentOffBps: 2_000 };
