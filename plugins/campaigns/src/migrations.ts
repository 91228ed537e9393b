/**
 * The plugin's one table, `plg_campaigns_campaigns`. The rules a campaign must keep are
 * constraints, named with the prefix so a failure says whose it is — a write that would break
 * one fails, whatever path it came by:
 * - a kind's own columns are set and the others' are null (`terms_by_kind`);
 * - tiers are a JSON list of 1–10 `{ threshold, off }`, ascending in both, each reduction below
 *   its threshold (`tiers_ascend`, spelled out per position: a CHECK cannot loop);
 * - `repeat` (每满) has one tier and a cap of at least its reduction;
 * - a discount is 1–9900 bps; a window ends after it starts; a scope other than `all` names ids.
 */
/** Fixed with this step (a shipped step never changes): campaign-schema's `maxTiers` stays within it. */
export const tierSlots = 10;
const at = (i: number, field: 'threshold' | 'off') => `json_extract(tiers, '$[${i}].${field}')`;
const tierAt = (i: number) => [
  `json_array_length(tiers) <= ${i}`,
  `(json_type(tiers, '$[${i}].threshold') = 'integer' AND json_type(tiers, '$[${i}].off') = 'integer' AND ${at(i, 'off')} > 0 AND ${at(i, 'off')} < ${at(i, 'threshold')}`
    + (i === 0 ? ')' : ` AND ${at(i, 'threshold')} > ${at(i - 1, 'threshold')} AND ${at(i, 'off')} > ${at(i - 1, 'off')})`),
].join(' OR ');
const tiersAscend = Array.from({ length: tierSlots }, (_, i) => `(${tierAt(i)})`).join('\n    AND ');

const v1 = `
CREATE TABLE plg_campaigns_campaigns (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  priority INTEGER NOT NULL DEFAULT 0,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  scope TEXT NOT NULL,
  scope_ids TEXT NOT NULL DEFAULT '[]',
  tiers TEXT,
  repeat_max_off INTEGER,
  percent_off_bps INTEGER,
  gift_threshold INTEGER,
  gift_sku_id TEXT,
  gift_quantity INTEGER,
  gift_name TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CONSTRAINT plg_campaigns_name_length CHECK (length(name) BETWEEN 1 AND 40),
  CONSTRAINT plg_campaigns_description_length CHECK (length(description) <= 200),
  CONSTRAINT plg_campaigns_kind CHECK (kind IN ('tiered_reduction', 'discount', 'gift')),
  CONSTRAINT plg_campaigns_status CHECK (status IN ('active', 'disabled')),
  CONSTRAINT plg_campaigns_priority CHECK (priority BETWEEN 0 AND 1000),
  CONSTRAINT plg_campaigns_window CHECK (starts_at >= 0 AND ends_at > starts_at),
  CONSTRAINT plg_campaigns_scope CHECK (scope IN ('all', 'categories', 'products')),
  CONSTRAINT plg_campaigns_scope_ids CHECK (json_valid(scope_ids) AND json_type(scope_ids) = 'array'
    AND (scope = 'all') = (json_array_length(scope_ids) = 0)),
  CONSTRAINT plg_campaigns_terms_by_kind CHECK (CASE kind
    WHEN 'tiered_reduction' THEN tiers IS NOT NULL AND percent_off_bps IS NULL
      AND gift_threshold IS NULL AND gift_sku_id IS NULL AND gift_quantity IS NULL AND gift_name IS NULL
    WHEN 'discount' THEN percent_off_bps IS NOT NULL AND tiers IS NULL AND repeat_max_off IS NULL
      AND gift_threshold IS NULL AND gift_sku_id IS NULL AND gift_quantity IS NULL AND gift_name IS NULL
    ELSE gift_threshold IS NOT NULL AND gift_sku_id IS NOT NULL AND gift_quantity IS NOT NULL AND gift_name IS NOT NULL
      AND tiers IS NULL AND repeat_max_off IS NULL AND percent_off_bps IS NULL END),
  CONSTRAINT plg_campaigns_tiers_shape CHECK (tiers IS NULL
    OR (json_valid(tiers) AND json_type(tiers) = 'array' AND json_array_length(tiers) BETWEEN 1 AND ${tierSlots})),
  CONSTRAINT plg_campaigns_tiers_ascend CHECK (tiers IS NULL OR (
    ${tiersAscend})),
  CONSTRAINT plg_campaigns_repeat CHECK (repeat_max_off IS NULL
    OR (json_array_length(tiers) = 1 AND repeat_max_off >= ${at(0, 'off')})),
  CONSTRAINT plg_campaigns_discount_bps CHECK (percent_off_bps IS NULL OR percent_off_bps BETWEEN 1 AND 9900),
  CONSTRAINT plg_campaigns_gift CHECK (gift_threshold IS NULL OR (gift_threshold > 0
    AND length(gift_sku_id) BETWEEN 1 AND 64 AND gift_quantity BETWEEN 1 AND 99 AND length(gift_name) <= 20))
) STRICT;
CREATE INDEX plg_campaigns_campaigns_live ON plg_campaigns_campaigns (status, ends_at, starts_at);
CREATE INDEX plg_campaigns_campaigns_listing ON plg_campaigns_campaigns (created_at);
`;

/** In order; each entry is one step the platform applies once (never edit a shipped step). */
export const campaignMigrations: readonly string[] = [v1];
