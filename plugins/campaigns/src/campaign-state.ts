import type { PluginDb, StateContext } from '@tuike/plugin-sdk';
import { campaignColumns, campaignOf, liveOf, type Campaign } from './campaign-rows';
import type { Row } from './rows';
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
  return (await liveRows(db, now)).map(campaignOf);
}

async function liveRows(db: PluginDb, now: number): Promise<readonly Row[]> {
  const r = await db.execute(
    `SELECT ${campaignColumns} FROM plg_campaigns_campaigns WHERE status = 'active' AND starts_at <= ? AND ends_at > ? ORDER BY priority DESC, id LIMIT ?`,
    [now, now, maxLiveCampaigns],
  );
  return r.rows;
}

/**
 * Rows read back through the schema, kept by their whole content (every column, so any change
 * reads anew): every checkout loads the same few campaigns, and the platform freezes the state,
 * so one parsed object serves them all.
 */
const liveByRow = new Map<string, LiveCampaign>();
const columnNames = campaignColumns.split(', ');

function liveOfRow(row: Row): LiveCampaign {
  const key = columnNames.map((c) => `${typeof row[c]}:${String(row[c])}`).join('\u0001');
  let live = liveByRow.get(key);
  if (!live) {
    live = liveOf(campaignOf(row));
    if (liveByRow.size >= 1000) liveByRow.clear();
    liveByRow.set(key, live);
  }
  return live;
}

/** One query, read-only (the platform gives loadState a SELECT-only database). */
export async function loadCampaignState(ctx: StateContext<CampaignSettings>): Promise<CampaignState> {
  return { campaigns: (await liveRows(ctx.db, ctx.now)).map(liveOfRow) };
}
