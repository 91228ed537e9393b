import type { PluginDb, StateContext } from '@tuike/plugin-sdk';
import { campaignColumns, campaignOf, liveOf, type Campaign } from './campaign-rows';
import type { LiveCampaign } from './campaign-terms';
import type { CampaignSettings } from './settings';

/** What loadState hands to pricing: plain data, frozen by the platform. */
export interface CampaignState {
  /** Active campaigns live at load time, highest priority first. */
  campaigns: readonly LiveCampaign[];
}

/** Most campaigns read at once; a shop runs a handful at a time. */
export const maxLiveCampaigns = 200;

/**
 * Active and live at `now` (`starts_at <= now < ends_at`), highest priority first, then id: the
 * same list and order for pricing, banners, tags and progress.
 */
export async function liveCampaigns(db: PluginDb, now: number): Promise<Campaign[]> {
  const r = await db.execute(
    `SELECT ${campaignColumns} FROM plg_campaigns_campaigns WHERE status = 'active' AND starts_at <= ? AND ends_at > ? ORDER BY priority DESC, id LIMIT ?`,
    [now, now, maxLiveCampaigns],
  );
  return r.rows.map(campaignOf);
}

/** One query, read-only (the platform gives loadState a SELECT-only database). */
export async function loadCampaignState(ctx: StateContext<CampaignSettings>): Promise<CampaignState> {
  return { campaigns: (await liveCampaigns(ctx.db, ctx.now)).map(liveOf) };
}
