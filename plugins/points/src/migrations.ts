/**
 * The plugin's tables, all `plg_points_`. What must never break is a constraint, named with the
 * prefix so a refused write says whose rule it broke:
 * - a balance never goes below zero (`plg_points_accounts_balance`): every deduction is a write
 *   the CHECK can refuse, so two orders or redemptions racing for the same points cannot both win.
 * - the ledger posts each fact once: `UNIQUE (kind, ref)` — an order's spend and earn are keyed
 *   by the order id, refund postings by the order and the cumulative amount they bring it to,
 *   redemptions by their id, adjustments by the staff request id. A replayed event cannot post twice.
 * - an order gives back at most what it spent and takes back at most what it earned (CHECKs on
 *   `plg_points_orders`).
 * - goods stock never goes below zero and a member never redeems one item past its limit (a
 *   counter per member and item with a CHECK against the limit).
 *
 * The ledger is append-only; the account row caches what the ledger adds up to (`balance` = Σ
 * delta, `debt` = Σ debt_delta), so a check can recompute it. `pending` is points promised by paid
 * orders that have not completed yet (shop setting `earnOn = completed`); it is not spendable.
 * `debt` is points taken back by refunds after they were spent: future earnings pay it first.
 *
 * `plg_points_orders` holds what the order events (and the order's own reservation) said about
 * each order, so the handlers reach the same state whatever order the at-least-once events arrive
 * in; `plg_points_order_due` derives from those facts what the order should have given back and
 * taken back by now.
 */
const v1 = `
CREATE TABLE plg_points_accounts (
  member_id TEXT PRIMARY KEY NOT NULL,
  balance INTEGER NOT NULL DEFAULT 0,
  pending INTEGER NOT NULL DEFAULT 0,
  debt INTEGER NOT NULL DEFAULT 0,
  lifetime_earned INTEGER NOT NULL DEFAULT 0,
  lifetime_spent INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  CONSTRAINT plg_points_accounts_balance CHECK (balance >= 0),
  CONSTRAINT plg_points_accounts_pending CHECK (pending >= 0),
  CONSTRAINT plg_points_accounts_debt CHECK (debt >= 0),
  CONSTRAINT plg_points_accounts_lifetime CHECK (lifetime_earned >= 0 AND lifetime_spent >= 0)
) STRICT;

CREATE TABLE plg_points_ledger (
  id INTEGER PRIMARY KEY,
  member_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('earn', 'spend', 'refund_earn', 'refund_spend', 'redeem_goods', 'adjust')),
  delta INTEGER NOT NULL,
  debt_delta INTEGER NOT NULL DEFAULT 0,
  ref TEXT NOT NULL CHECK (length(ref) BETWEEN 1 AND 200),
  order_id TEXT,
  event_id TEXT,
  staff_id TEXT,
  note TEXT CHECK (note IS NULL OR length(note) <= 200),
  created_at INTEGER NOT NULL,
  CONSTRAINT plg_points_ledger_once UNIQUE (kind, ref),
  CONSTRAINT plg_points_ledger_signs CHECK (CASE kind
    WHEN 'earn' THEN delta >= 0 AND debt_delta <= 0 AND delta - debt_delta > 0
    WHEN 'spend' THEN delta <= 0 AND debt_delta >= 0 AND debt_delta - delta > 0
    WHEN 'refund_earn' THEN delta <= 0 AND debt_delta >= 0 AND debt_delta - delta > 0
    WHEN 'refund_spend' THEN delta > 0 AND debt_delta = 0
    WHEN 'redeem_goods' THEN delta < 0 AND debt_delta = 0
    ELSE delta <> 0 AND debt_delta = 0 END)
) STRICT;
CREATE INDEX plg_points_ledger_member ON plg_points_ledger (member_id, id);
CREATE INDEX plg_points_ledger_order ON plg_points_ledger (order_id) WHERE order_id IS NOT NULL;

CREATE TABLE plg_points_orders (
  order_id TEXT PRIMARY KEY NOT NULL,
  member_id TEXT NOT NULL,
  order_no TEXT,
  items_paid INTEGER CHECK (items_paid >= 0),
  pay_total INTEGER CHECK (pay_total >= 0),
  spent_points INTEGER NOT NULL DEFAULT 0 CHECK (spent_points >= 0),
  spent_amount INTEGER NOT NULL DEFAULT 0 CHECK (spent_amount >= 0),
  spend_posted INTEGER NOT NULL DEFAULT 0 CHECK (spend_posted IN (0, 1)),
  spend_returned INTEGER NOT NULL DEFAULT 0,
  earn_status TEXT NOT NULL DEFAULT 'none' CHECK (earn_status IN ('none', 'pending', 'earned')),
  earn_points INTEGER,
  earn_back INTEGER NOT NULL DEFAULT 0,
  placed_at INTEGER,
  paid_at INTEGER,
  completed_at INTEGER,
  cancelled_at INTEGER,
  earned_at INTEGER,
  CONSTRAINT plg_points_orders_spend_returned CHECK (spend_returned >= 0 AND spend_returned <= spent_points AND (spend_posted = 1 OR spend_returned = 0)),
  CONSTRAINT plg_points_orders_earn_shape CHECK ((earn_status = 'none') = (earn_points IS NULL) AND (earn_points IS NULL OR earn_points >= 0)),
  CONSTRAINT plg_points_orders_earn_back CHECK (earn_back >= 0 AND earn_back <= coalesce(earn_points, 0))
) STRICT;
CREATE INDEX plg_points_orders_member ON plg_points_orders (member_id, placed_at);

CREATE TABLE plg_points_refunds (
  refund_id TEXT PRIMARY KEY NOT NULL,
  order_id TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  items_amount INTEGER NOT NULL CHECK (items_amount >= 0),
  event_id TEXT NOT NULL,
  refunded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX plg_points_refunds_order ON plg_points_refunds (order_id);

CREATE TABLE plg_points_events (
  event_id TEXT PRIMARY KEY NOT NULL,
  type TEXT NOT NULL,
  order_id TEXT,
  received_at INTEGER NOT NULL
) STRICT;

CREATE VIEW plg_points_order_due AS
SELECT x.*,
  CASE WHEN x.earn_points IS NULL THEN 0
    WHEN x.cancelled_at IS NOT NULL THEN x.earn_points
    ELSE min(x.earn_points, max(
      coalesce(x.earn_points * x.refunded_items / nullif(x.items_paid, 0), 0),
      coalesce(x.earn_points * x.refunded_amount / nullif(x.pay_total, 0), 0),
      CASE WHEN x.refunds > 0 AND coalesce(x.items_paid, 0) = 0 AND coalesce(x.pay_total, 0) = 0 THEN x.earn_points ELSE 0 END)) END AS back_target,
  CASE WHEN x.spend_posted = 0 THEN 0
    WHEN x.cancelled_at IS NOT NULL THEN x.spent_points
    ELSE min(x.spent_points, max(
      coalesce(x.spent_points * x.refunded_items / nullif(x.items_paid, 0), 0),
      coalesce(x.spent_points * x.refunded_amount / nullif(x.pay_total, 0), 0),
      CASE WHEN x.refunds > 0 AND coalesce(x.items_paid, 0) = 0 AND coalesce(x.pay_total, 0) = 0 THEN x.spent_points ELSE 0 END)) END AS return_target
FROM (
  SELECT o.*,
    (SELECT coalesce(sum(r.items_amount), 0) FROM plg_points_refunds r WHERE r.order_id = o.order_id) AS refunded_items,
    (SELECT coalesce(sum(r.amount), 0) FROM plg_points_refunds r WHERE r.order_id = o.order_id) AS refunded_amount,
    (SELECT count(*) FROM plg_points_refunds r WHERE r.order_id = o.order_id) AS refunds
  FROM plg_points_orders o
) x;

CREATE TABLE plg_points_goods (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  image_url TEXT CHECK (image_url IS NULL OR length(image_url) <= 500),
  points_price INTEGER NOT NULL,
  stock INTEGER NOT NULL,
  redeemed INTEGER NOT NULL DEFAULT 0,
  per_member_limit INTEGER,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  sort INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CONSTRAINT plg_points_goods_price CHECK (points_price >= 1),
  CONSTRAINT plg_points_goods_stock CHECK (stock >= 0),
  CONSTRAINT plg_points_goods_redeemed CHECK (redeemed >= 0),
  CONSTRAINT plg_points_goods_limit CHECK (per_member_limit IS NULL OR per_member_limit >= 1)
) STRICT;
CREATE INDEX plg_points_goods_listing ON plg_points_goods (status, sort, created_at);

CREATE TABLE plg_points_member_goods (
  goods_id TEXT NOT NULL REFERENCES plg_points_goods (id),
  member_id TEXT NOT NULL,
  redeemed INTEGER NOT NULL,
  member_limit INTEGER,
  PRIMARY KEY (goods_id, member_id),
  CONSTRAINT plg_points_member_goods_limit CHECK (redeemed >= 0 AND (member_limit IS NULL OR redeemed <= member_limit))
) STRICT;

CREATE TABLE plg_points_redemptions (
  id TEXT PRIMARY KEY NOT NULL,
  goods_id TEXT NOT NULL REFERENCES plg_points_goods (id),
  member_id TEXT NOT NULL,
  goods_name TEXT NOT NULL,
  points INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending_fulfilment' CHECK (status IN ('pending_fulfilment', 'fulfilled', 'cancelled')),
  note TEXT CHECK (note IS NULL OR length(note) <= 200),
  created_at INTEGER NOT NULL,
  fulfilled_at INTEGER,
  cancelled_at INTEGER,
  CONSTRAINT plg_points_redemptions_points CHECK (points >= 1),
  CONSTRAINT plg_points_redemptions_settled CHECK ((status = 'fulfilled') = (fulfilled_at IS NOT NULL) AND (status = 'cancelled') = (cancelled_at IS NOT NULL))
) STRICT;
CREATE INDEX plg_points_redemptions_member ON plg_points_redemptions (member_id, created_at);
CREATE INDEX plg_points_redemptions_status ON plg_points_redemptions (status, created_at);
`;

/**
 * Settlement moves into the database: each new event row settles its order, in the same batch as
 * the facts its handler recorded. The trigger runs the statements the handlers used to send one
 * by one (a round trip and an access check each), in the same order, with the same guards; the
 * row carries the settings they read (`rate`, `mode`), so the ledger also records which rules an
 * event was settled under. A replayed event inserts no row and settles nothing (its first
 * delivery did, atomically). The handlers insert the row with a `NOT EXISTS` guard, never
 * `INSERT OR IGNORE`, whose policy SQLite would hand to the trigger's statements: they keep
 * ABORT, so a CHECK they break fails the batch rather than being skipped.
 */
/**
 * Whether anything can be given or taken back: a cancelled order or one with a refund. Without
 * either, both targets of `plg_points_order_due` are 0, so the statements that need the view —
 * and its three refund sums — are skipped outright (a condition on NEW alone is checked once,
 * before any row is looked at).
 */
const backDue = `EXISTS (SELECT 1 FROM plg_points_orders g WHERE g.order_id = NEW.order_id
      AND (g.cancelled_at IS NOT NULL OR EXISTS (SELECT 1 FROM plg_points_refunds r WHERE r.order_id = NEW.order_id)))`;

const v2 = `
ALTER TABLE plg_points_events ADD COLUMN rate INTEGER CHECK (rate IS NULL OR rate >= 0);
ALTER TABLE plg_points_events ADD COLUMN mode TEXT CHECK (mode IS NULL OR mode IN ('paid', 'completed'));

CREATE TRIGGER plg_points_events_settle AFTER INSERT ON plg_points_events WHEN NEW.rate IS NOT NULL AND NEW.order_id IS NOT NULL
BEGIN
  INSERT INTO plg_points_accounts (member_id, updated_at)
    SELECT o.member_id, NEW.received_at FROM plg_points_orders o WHERE o.order_id = NEW.order_id
    ON CONFLICT (member_id) DO NOTHING;

  -- A spend the reservation missed: take what the balance has, the rest becomes debt.
  INSERT INTO plg_points_ledger (member_id, kind, delta, debt_delta, ref, order_id, event_id, note, created_at)
    SELECT o.member_id, 'spend', -min(o.spent_points, a.balance), o.spent_points - min(o.spent_points, a.balance), o.order_id, o.order_id, NEW.event_id, o.order_no, NEW.received_at
    FROM plg_points_orders o JOIN plg_points_accounts a ON a.member_id = o.member_id
    WHERE o.order_id = NEW.order_id AND o.spent_points > 0 AND o.spend_posted = 0 AND o.cancelled_at IS NULL;
  UPDATE plg_points_accounts
    SET debt = debt + (SELECT o.spent_points FROM plg_points_orders o WHERE o.order_id = NEW.order_id) - min(balance, (SELECT o.spent_points FROM plg_points_orders o WHERE o.order_id = NEW.order_id)),
      balance = balance - min(balance, (SELECT o.spent_points FROM plg_points_orders o WHERE o.order_id = NEW.order_id)),
      lifetime_spent = lifetime_spent + (SELECT o.spent_points FROM plg_points_orders o WHERE o.order_id = NEW.order_id), updated_at = NEW.received_at
    WHERE member_id = (SELECT o.member_id FROM plg_points_orders o WHERE o.order_id = NEW.order_id AND o.spent_points > 0 AND o.spend_posted = 0 AND o.cancelled_at IS NULL);
  UPDATE plg_points_orders SET spend_posted = 1
    WHERE order_id = NEW.order_id AND spent_points > 0 AND spend_posted = 0 AND cancelled_at IS NULL;

  -- Paid, in "completed" mode: promised as pending.
  UPDATE plg_points_accounts
    SET pending = pending + (SELECT (o.items_paid * NEW.rate / 100) FROM plg_points_orders o WHERE o.order_id = NEW.order_id), updated_at = NEW.received_at
    WHERE member_id = (SELECT o.member_id FROM plg_points_orders o WHERE o.order_id = NEW.order_id AND o.earn_status = 'none' AND o.items_paid IS NOT NULL
      AND o.paid_at IS NOT NULL AND o.completed_at IS NULL AND o.cancelled_at IS NULL AND NEW.mode = 'completed');
  UPDATE plg_points_orders SET earn_status = 'pending', earn_points = (items_paid * NEW.rate / 100)
    WHERE order_id = NEW.order_id AND earn_status = 'none' AND items_paid IS NOT NULL AND paid_at IS NOT NULL
      AND completed_at IS NULL AND cancelled_at IS NULL AND NEW.mode = 'completed';

  -- Earned: spendable now, paying any debt first.
  INSERT INTO plg_points_ledger (member_id, kind, delta, debt_delta, ref, order_id, event_id, note, created_at)
    SELECT o.member_id, 'earn',
      (coalesce(o.earn_points, (o.items_paid * NEW.rate / 100)) - o.earn_back) - min((coalesce(o.earn_points, (o.items_paid * NEW.rate / 100)) - o.earn_back), a.debt),
      -min((coalesce(o.earn_points, (o.items_paid * NEW.rate / 100)) - o.earn_back), a.debt), o.order_id, o.order_id, NEW.event_id, o.order_no, NEW.received_at
    FROM plg_points_orders o JOIN plg_points_accounts a ON a.member_id = o.member_id
    WHERE o.order_id = NEW.order_id AND o.earn_status IN ('none', 'pending') AND o.items_paid IS NOT NULL AND o.cancelled_at IS NULL
      AND (o.completed_at IS NOT NULL OR (NEW.mode = 'paid' AND o.paid_at IS NOT NULL))
      AND (coalesce(o.earn_points, (o.items_paid * NEW.rate / 100)) - o.earn_back) > 0;
  UPDATE plg_points_accounts
    SET balance = balance + (SELECT (coalesce(o.earn_points, (o.items_paid * NEW.rate / 100)) - o.earn_back) FROM plg_points_orders o WHERE o.order_id = NEW.order_id)
        - min((SELECT (coalesce(o.earn_points, (o.items_paid * NEW.rate / 100)) - o.earn_back) FROM plg_points_orders o WHERE o.order_id = NEW.order_id), debt),
      debt = debt - min((SELECT (coalesce(o.earn_points, (o.items_paid * NEW.rate / 100)) - o.earn_back) FROM plg_points_orders o WHERE o.order_id = NEW.order_id), debt),
      pending = pending - (SELECT CASE WHEN o.earn_status = 'pending' THEN (coalesce(o.earn_points, (o.items_paid * NEW.rate / 100)) - o.earn_back) ELSE 0 END FROM plg_points_orders o WHERE o.order_id = NEW.order_id),
      lifetime_earned = lifetime_earned + (SELECT (coalesce(o.earn_points, (o.items_paid * NEW.rate / 100)) - o.earn_back) FROM plg_points_orders o WHERE o.order_id = NEW.order_id),
      updated_at = NEW.received_at
    WHERE member_id = (SELECT o.member_id FROM plg_points_orders o WHERE o.order_id = NEW.order_id AND o.earn_status IN ('none', 'pending') AND o.items_paid IS NOT NULL
      AND o.cancelled_at IS NULL AND (o.completed_at IS NOT NULL OR (NEW.mode = 'paid' AND o.paid_at IS NOT NULL)));
  UPDATE plg_points_orders SET earn_status = 'earned', earn_points = coalesce(earn_points, (items_paid * NEW.rate / 100)), earned_at = NEW.received_at
    WHERE order_id = NEW.order_id AND earn_status IN ('none', 'pending') AND items_paid IS NOT NULL AND cancelled_at IS NULL
      AND (completed_at IS NOT NULL OR (NEW.mode = 'paid' AND paid_at IS NOT NULL));

  -- Refunded (or cancelled) after the promise: pending shrinks, or earned points are taken back.
  UPDATE plg_points_accounts
    SET pending = pending - (SELECT d.back_target - d.earn_back FROM plg_points_order_due d WHERE d.order_id = NEW.order_id), updated_at = NEW.received_at
    WHERE member_id = (SELECT d.member_id FROM plg_points_order_due d WHERE d.order_id = NEW.order_id AND d.earn_status = 'pending' AND d.back_target > d.earn_back)
    AND ${backDue};
  INSERT INTO plg_points_ledger (member_id, kind, delta, debt_delta, ref, order_id, event_id, note, created_at)
    SELECT d.member_id, 'refund_earn', -min(d.back_target - d.earn_back, a.balance), (d.back_target - d.earn_back) - min(d.back_target - d.earn_back, a.balance),
      d.order_id || ':earn-back:' || d.back_target, d.order_id, NEW.event_id, d.order_no, NEW.received_at
    FROM plg_points_order_due d JOIN plg_points_accounts a ON a.member_id = d.member_id
    WHERE d.order_id = NEW.order_id AND d.earn_status = 'earned' AND d.back_target > d.earn_back
    AND ${backDue};
  UPDATE plg_points_accounts
    SET debt = debt + (SELECT d.back_target - d.earn_back FROM plg_points_order_due d WHERE d.order_id = NEW.order_id)
        - min((SELECT d.back_target - d.earn_back FROM plg_points_order_due d WHERE d.order_id = NEW.order_id), balance),
      balance = balance - min((SELECT d.back_target - d.earn_back FROM plg_points_order_due d WHERE d.order_id = NEW.order_id), balance),
      lifetime_earned = lifetime_earned - (SELECT d.back_target - d.earn_back FROM plg_points_order_due d WHERE d.order_id = NEW.order_id), updated_at = NEW.received_at
    WHERE member_id = (SELECT d.member_id FROM plg_points_order_due d WHERE d.order_id = NEW.order_id AND d.earn_status = 'earned' AND d.back_target > d.earn_back)
    AND ${backDue};
  UPDATE plg_points_orders SET earn_back = (SELECT d.back_target FROM plg_points_order_due d WHERE d.order_id = NEW.order_id)
    WHERE order_id = NEW.order_id AND earn_status IN ('pending', 'earned') AND (SELECT d.back_target FROM plg_points_order_due d WHERE d.order_id = NEW.order_id) > earn_back
    AND ${backDue};

  -- Cancelled or refunded: spent points come back, never more than were spent.
  INSERT INTO plg_points_ledger (member_id, kind, delta, debt_delta, ref, order_id, event_id, note, created_at)
    SELECT d.member_id, 'refund_spend', d.return_target - d.spend_returned, 0, d.order_id || ':returned:' || d.return_target, d.order_id, NEW.event_id, d.order_no, NEW.received_at
    FROM plg_points_order_due d WHERE d.order_id = NEW.order_id AND d.return_target > d.spend_returned
    AND ${backDue};
  UPDATE plg_points_accounts
    SET balance = balance + (SELECT d.return_target - d.spend_returned FROM plg_points_order_due d WHERE d.order_id = NEW.order_id),
      lifetime_spent = lifetime_spent - (SELECT d.return_target - d.spend_returned FROM plg_points_order_due d WHERE d.order_id = NEW.order_id), updated_at = NEW.received_at
    WHERE member_id = (SELECT d.member_id FROM plg_points_order_due d WHERE d.order_id = NEW.order_id AND d.return_target > d.spend_returned)
    AND ${backDue};
  UPDATE plg_points_orders SET spend_returned = (SELECT d.return_target FROM plg_points_order_due d WHERE d.order_id = NEW.order_id)
    WHERE order_id = NEW.order_id AND (SELECT d.return_target FROM plg_points_order_due d WHERE d.order_id = NEW.order_id) > spend_returned
    AND ${backDue};
END;
`;

/** In order; each entry is one step the platform applies once (never edit a shipped step). */
export const pointsMigrations: readonly string[] = [v1, v2];
