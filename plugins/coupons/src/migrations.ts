/**
 * The plugin's tables, all `plg_coupons_`. Invariants that must never break are constraints, so a
 * guarded write that would break one fails whatever the concurrency:
 * - `issued <= quantity` on templates; `issued` is counted by a trigger on every claim, in the
 *   claim's own statement, so an over-issuing claim fails and leaves nothing behind.
 * - a member's claims of one template are numbered 1…limit: `UNIQUE (template_id, member_id,
 *   claim_seq)` plus `CHECK (claim_seq <= claim_limit)`.
 * - a coupon moves `available → locked → used` only by writes guarded on its current status, and
 *   at most one live (not returned) redemption exists per coupon (a partial UNIQUE index).
 *
 * Member coupon statuses: `available` (claimed, unused; past `expires_at` it reads as expired),
 * `locked` (held by a placed, unpaid order), `used` (that order was paid), `expired` (given back
 * from a cancelled or refunded order after its validity ended). A coupon given back on cancel or
 * full refund is `available` again until its own expiry; the redemption keeps `returned_at`.
 *
 * `plg_coupons_orders` holds what the order events said about each order that used a coupon, so
 * the handlers reach the same state whatever order the (at-least-once) events arrive in.
 */
const v1 = `
CREATE TABLE plg_coupons_templates (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 200),
  kind TEXT NOT NULL CHECK (kind IN ('fixed', 'percent', 'threshold')),
  amount_off INTEGER CHECK (amount_off > 0),
  percent_off_bps INTEGER CHECK (percent_off_bps BETWEEN 100 AND 9900),
  max_discount INTEGER CHECK (max_discount > 0),
  threshold INTEGER NOT NULL DEFAULT 0 CHECK (threshold >= 0),
  scope TEXT NOT NULL CHECK (scope IN ('all', 'categories', 'products')),
  scope_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scope_ids) AND json_type(scope_ids) = 'array'),
  validity TEXT NOT NULL CHECK (validity IN ('absolute', 'relative')),
  valid_from INTEGER,
  valid_until INTEGER,
  valid_days INTEGER,
  claim_starts_at INTEGER,
  claim_ends_at INTEGER,
  quantity INTEGER NOT NULL CHECK (quantity >= 1),
  issued INTEGER NOT NULL DEFAULT 0,
  per_member_limit INTEGER NOT NULL CHECK (per_member_limit >= 1),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CONSTRAINT plg_coupons_issued_within_quantity CHECK (issued >= 0 AND issued <= quantity),
  CONSTRAINT plg_coupons_terms_by_kind CHECK (CASE kind
    WHEN 'percent' THEN percent_off_bps IS NOT NULL AND amount_off IS NULL
    ELSE amount_off IS NOT NULL AND percent_off_bps IS NULL AND max_discount IS NULL END),
  CONSTRAINT plg_coupons_threshold_kind CHECK (kind <> 'threshold' OR threshold > 0),
  CONSTRAINT plg_coupons_off_within_threshold CHECK (kind = 'percent' OR threshold = 0 OR amount_off <= threshold),
  CONSTRAINT plg_coupons_validity_shape CHECK (CASE validity
    WHEN 'absolute' THEN valid_from IS NOT NULL AND valid_until IS NOT NULL AND valid_until > valid_from AND valid_days IS NULL
    ELSE valid_days IS NOT NULL AND valid_days >= 1 AND valid_from IS NULL AND valid_until IS NULL END),
  CONSTRAINT plg_coupons_scope_ids CHECK ((scope = 'all') = (scope_ids = '[]')),
  CONSTRAINT plg_coupons_claim_window CHECK (claim_starts_at IS NULL OR claim_ends_at IS NULL OR claim_ends_at > claim_starts_at)
) STRICT;
CREATE INDEX plg_coupons_templates_listing ON plg_coupons_templates (status, created_at);

CREATE TABLE plg_coupons_member_coupons (
  id TEXT PRIMARY KEY NOT NULL,
  template_id TEXT NOT NULL REFERENCES plg_coupons_templates (id),
  member_id TEXT NOT NULL,
  claim_seq INTEGER NOT NULL,
  claim_limit INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'locked', 'used', 'expired')),
  valid_from INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  order_id TEXT,
  claimed_at INTEGER NOT NULL,
  locked_at INTEGER,
  used_at INTEGER,
  CONSTRAINT plg_coupons_claim_within_limit CHECK (claim_seq >= 1 AND claim_seq <= claim_limit),
  CONSTRAINT plg_coupons_validity_order CHECK (expires_at > valid_from),
  CONSTRAINT plg_coupons_held_by_order CHECK ((order_id IS NOT NULL) = (status IN ('locked', 'used'))),
  CONSTRAINT plg_coupons_one_claim_per_seq UNIQUE (template_id, member_id, claim_seq)
) STRICT;
CREATE INDEX plg_coupons_member_coupons_member ON plg_coupons_member_coupons (member_id, status, expires_at);
CREATE INDEX plg_coupons_member_coupons_template ON plg_coupons_member_coupons (template_id, status);
CREATE INDEX plg_coupons_member_coupons_order ON plg_coupons_member_coupons (order_id) WHERE order_id IS NOT NULL;
CREATE TRIGGER plg_coupons_count_issued AFTER INSERT ON plg_coupons_member_coupons BEGIN
  UPDATE plg_coupons_templates SET issued = issued + 1 WHERE id = NEW.template_id;
END;

CREATE TABLE plg_coupons_redemptions (
  id TEXT PRIMARY KEY NOT NULL,
  member_coupon_id TEXT NOT NULL REFERENCES plg_coupons_member_coupons (id),
  template_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  paid_event_id TEXT NOT NULL UNIQUE,
  redeemed_at INTEGER NOT NULL,
  returned_at INTEGER,
  CONSTRAINT plg_coupons_redeemed_once_per_order UNIQUE (order_id, member_coupon_id)
) STRICT;
CREATE UNIQUE INDEX plg_coupons_redemptions_live ON plg_coupons_redemptions (member_coupon_id) WHERE returned_at IS NULL;
CREATE INDEX plg_coupons_redemptions_template ON plg_coupons_redemptions (template_id);

CREATE TABLE plg_coupons_orders (
  order_id TEXT PRIMARY KEY NOT NULL,
  member_id TEXT NOT NULL,
  member_coupon_id TEXT,
  discount INTEGER CHECK (discount >= 0),
  pay_total INTEGER CHECK (pay_total >= 0),
  items_paid INTEGER CHECK (items_paid >= 0),
  placed_at INTEGER,
  paid_at INTEGER,
  paid_event_id TEXT,
  cancelled_at INTEGER,
  refunded_full_at INTEGER,
  conflict_at INTEGER
) STRICT;
CREATE INDEX plg_coupons_orders_coupon ON plg_coupons_orders (member_coupon_id) WHERE member_coupon_id IS NOT NULL;

CREATE TABLE plg_coupons_refunds (
  refund_id TEXT PRIMARY KEY NOT NULL,
  order_id TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  items_amount INTEGER NOT NULL CHECK (items_amount >= 0),
  event_id TEXT NOT NULL,
  refunded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX plg_coupons_refunds_order ON plg_coupons_refunds (order_id);

CREATE TABLE plg_coupons_events (
  event_id TEXT PRIMARY KEY NOT NULL,
  type TEXT NOT NULL,
  order_id TEXT,
  received_at INTEGER NOT NULL
) STRICT;
`;

/** In order; each entry is one step the platform applies once (never edit a shipped step). */
export const couponMigrations: readonly string[] = [v1];
