/**
 * The plugin's tables, all `plg_flash_sale_`. What must never break is a constraint or a trigger,
 * so a write that would break it fails — and takes the order's whole batch with it — whatever
 * the concurrency:
 * - an entry never sells more than its stock: `CHECK (sold <= stock)` and `CHECK (sold >= 0)`;
 *   the reservation's guarded `UPDATE … WHERE sold + q <= stock` is the first line, the CHECK
 *   the second.
 * - a member never buys more of an entry than its limit: one counter row per (entry, member),
 *   upserted in the reservation, with `CHECK (bought <= limit_per_member)`. The counter copies
 *   the entry's limit on every hold, so a limit the merchant lowers applies to the next hold
 *   without touching counters already past it.
 * - one SKU is never in two active activities whose windows overlap: triggers on entries and
 *   activities abort with `plg_flash_sale_sku_overlap` (SQLite has no exclusion constraint).
 * - an entry that was ever reserved cannot be deleted (`plg_flash_sale_entry_has_sales`).
 *
 * `plg_flash_sale_purchases` holds one row per (order, entry): what the reservation held, and
 * once the order is cancelled or the flash line fully refunded, why and when the units went
 * back. `released_at` is set in the same batch that gives the units back, so they go back once.
 */
const v1 = `
CREATE TABLE plg_flash_sale_activities (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'disabled')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CONSTRAINT plg_flash_sale_window_order CHECK (ends_at > starts_at)
) STRICT;
CREATE INDEX plg_flash_sale_activities_live ON plg_flash_sale_activities (status, ends_at, starts_at);

CREATE TABLE plg_flash_sale_entries (
  id TEXT PRIMARY KEY NOT NULL,
  activity_id TEXT NOT NULL REFERENCES plg_flash_sale_activities (id),
  sku_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  flash_price INTEGER NOT NULL,
  stock INTEGER NOT NULL,
  sold INTEGER NOT NULL DEFAULT 0,
  limit_per_member INTEGER NOT NULL,
  CONSTRAINT plg_flash_sale_price_positive CHECK (flash_price >= 1),
  CONSTRAINT plg_flash_sale_stock_positive CHECK (stock >= 1),
  CONSTRAINT plg_flash_sale_sold_within_stock CHECK (sold <= stock),
  CONSTRAINT plg_flash_sale_sold_not_negative CHECK (sold >= 0),
  CONSTRAINT plg_flash_sale_limit_positive CHECK (limit_per_member >= 1),
  CONSTRAINT plg_flash_sale_one_entry_per_sku UNIQUE (activity_id, sku_id)
) STRICT;
CREATE INDEX plg_flash_sale_entries_sku ON plg_flash_sale_entries (sku_id);
CREATE INDEX plg_flash_sale_entries_product ON plg_flash_sale_entries (product_id);

CREATE TABLE plg_flash_sale_member_counts (
  entry_id TEXT NOT NULL REFERENCES plg_flash_sale_entries (id),
  member_id TEXT NOT NULL,
  bought INTEGER NOT NULL,
  limit_per_member INTEGER NOT NULL,
  PRIMARY KEY (entry_id, member_id),
  CONSTRAINT plg_flash_sale_member_limit CHECK (bought <= limit_per_member),
  CONSTRAINT plg_flash_sale_bought_not_negative CHECK (bought >= 0)
) STRICT, WITHOUT ROWID;

CREATE TABLE plg_flash_sale_purchases (
  order_id TEXT NOT NULL,
  entry_id TEXT NOT NULL REFERENCES plg_flash_sale_entries (id),
  activity_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  sku_id TEXT NOT NULL,
  order_no TEXT NOT NULL,
  order_line_id TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  flash_price INTEGER NOT NULL,
  paid_amount INTEGER NOT NULL,
  reserved_at INTEGER NOT NULL,
  paid_at INTEGER,
  release_reason TEXT CHECK (release_reason IN ('cancelled', 'refunded')),
  released_at INTEGER,
  PRIMARY KEY (order_id, entry_id),
  CONSTRAINT plg_flash_sale_purchase_quantity CHECK (quantity >= 1),
  CONSTRAINT plg_flash_sale_purchase_paid_amount CHECK (paid_amount >= 0),
  CONSTRAINT plg_flash_sale_released_with_reason CHECK (released_at IS NULL OR release_reason IS NOT NULL)
) STRICT;
CREATE INDEX plg_flash_sale_purchases_member ON plg_flash_sale_purchases (member_id, entry_id);
CREATE INDEX plg_flash_sale_purchases_entry ON plg_flash_sale_purchases (entry_id);

CREATE TABLE plg_flash_sale_refunds (
  refund_id TEXT NOT NULL,
  order_line_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  refunded_at INTEGER NOT NULL,
  PRIMARY KEY (refund_id, order_line_id),
  CONSTRAINT plg_flash_sale_refund_amount CHECK (amount >= 0)
) STRICT;
CREATE INDEX plg_flash_sale_refunds_order ON plg_flash_sale_refunds (order_id, order_line_id);

CREATE TRIGGER plg_flash_sale_entry_overlap_insert BEFORE INSERT ON plg_flash_sale_entries
WHEN EXISTS (
  SELECT 1 FROM plg_flash_sale_activities a
  JOIN plg_flash_sale_activities other ON other.id <> a.id AND other.status = 'active'
    AND other.starts_at < a.ends_at AND other.ends_at > a.starts_at
  JOIN plg_flash_sale_entries e ON e.activity_id = other.id AND e.sku_id = NEW.sku_id
  WHERE a.id = NEW.activity_id AND a.status = 'active')
BEGIN
  SELECT RAISE(ABORT, 'plg_flash_sale_sku_overlap');
END;

CREATE TRIGGER plg_flash_sale_entry_overlap_update BEFORE UPDATE OF sku_id, activity_id ON plg_flash_sale_entries
WHEN EXISTS (
  SELECT 1 FROM plg_flash_sale_activities a
  JOIN plg_flash_sale_activities other ON other.id <> a.id AND other.status = 'active'
    AND other.starts_at < a.ends_at AND other.ends_at > a.starts_at
  JOIN plg_flash_sale_entries e ON e.activity_id = other.id AND e.sku_id = NEW.sku_id
  WHERE a.id = NEW.activity_id AND a.status = 'active')
BEGIN
  SELECT RAISE(ABORT, 'plg_flash_sale_sku_overlap');
END;

CREATE TRIGGER plg_flash_sale_activity_overlap BEFORE UPDATE OF status, starts_at, ends_at ON plg_flash_sale_activities
WHEN NEW.status = 'active' AND EXISTS (
  SELECT 1 FROM plg_flash_sale_entries mine
  JOIN plg_flash_sale_entries e ON e.sku_id = mine.sku_id AND e.activity_id <> NEW.id
  JOIN plg_flash_sale_activities other ON other.id = e.activity_id AND other.status = 'active'
    AND other.starts_at < NEW.ends_at AND other.ends_at > NEW.starts_at
  WHERE mine.activity_id = NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'plg_flash_sale_sku_overlap');
END;

CREATE TRIGGER plg_flash_sale_entry_keep_sales BEFORE DELETE ON plg_flash_sale_entries
WHEN OLD.sold > 0 OR EXISTS (SELECT 1 FROM plg_flash_sale_purchases p WHERE p.entry_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'plg_flash_sale_entry_has_sales');
END;
`;

/** In order; each entry is one step the platform applies once (never edit a shipped step). */
export const flashSaleMigrations: readonly string[] = [v1];

/** The plugin's tables, for tests and exports. */
export const flashSaleTables = [
  'plg_flash_sale_activities',
  'plg_flash_sale_entries',
  'plg_flash_sale_member_counts',
  'plg_flash_sale_purchases',
  'plg_flash_sale_refunds',
] as const;
