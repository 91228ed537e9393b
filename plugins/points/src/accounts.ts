import type { JsonValue, PluginContext, PluginDb } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import { constraintFailed, errorText, type Outcome } from './errors';
import { newId } from './ids';
import { offsetBlock } from './offset';
import { int, intOrNull, oneOf, text, textOrNull, type Row } from './rows';
import type { PointsSettings } from './settings';

/** A member's account and ledger, the staff adjustment, and what an order did with points. */

export const ledgerKinds = ['earn', 'spend', 'refund_earn', 'refund_spend', 'redeem_goods', 'adjust'] as const;

/** A type alias rather than an interface, so it fits in JSON bodies. */
export type AccountView = {
  memberId: string;
  balance: number;
  pending: number;
  debt: number;
  lifetimeEarned: number;
  lifetimeSpent: number;
};

/** A member with no account row has never had points: all zero. */
export async function readAccount(db: PluginDb, memberId: string): Promise<AccountView> {
  const r = await db.execute('SELECT balance, pending, debt, lifetime_earned, lifetime_spent FROM plg_points_accounts WHERE member_id = ?', [memberId]);
  const row = r.rows[0];
  return {
    memberId,
    balance: row ? int(row, 'balance') : 0,
    pending: row ? int(row, 'pending') : 0,
    debt: row ? int(row, 'debt') : 0,
    lifetimeEarned: row ? int(row, 'lifetime_earned') : 0,
    lifetimeSpent: row ? int(row, 'lifetime_spent') : 0,
  };
}

const ledgerSelect = 'SELECT id, kind, delta, debt_delta, order_id, note, created_at FROM plg_points_ledger';

function entryView(row: Row): JsonValue {
  return {
    id: String(int(row, 'id')),
    kind: oneOf(row, 'kind', ledgerKinds),
    delta: int(row, 'delta'),
    debtDelta: int(row, 'debt_delta'),
    orderId: textOrNull(row, 'order_id'),
    note: textOrNull(row, 'note'),
    createdAt: int(row, 'created_at'),
  };
}

/** `?cursor=<id>&limit=<n>`: the page after entry `cursor`, newest first. */
export const pageQuery = v.strictObject({
  cursor: v.optional(v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,15}$/, 'must be an entry id'), v.transform(Number))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,2}$/, 'must be 1–100'), v.transform(Number), v.maxValue(100)), '20'),
});
export type PageQuery = v.InferOutput<typeof pageQuery>;

/**
 * One page of a member's ledger, newest first. The cursor is the last entry's id: entries are
 * numbered as they are posted and never change, so a page is stable while new entries arrive.
 */
export async function ledgerPage(db: PluginDb, memberId: string, page: PageQuery): Promise<{ entries: JsonValue[]; nextCursor: string | null }> {
  const limit = page.limit;
  const r = page.cursor === undefined
    ? await db.execute(`${ledgerSelect} WHERE member_id = ? ORDER BY id DESC LIMIT ?`, [memberId, limit + 1])
    : await db.execute(`${ledgerSelect} WHERE member_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, [memberId, page.cursor, limit + 1]);
  const rows = r.rows.slice(0, limit);
  const more = r.rows.length > limit;
  return { entries: rows.map(entryView), nextCursor: more && rows.length ? String(int(rows[rows.length - 1]!, 'id')) : null };
}

/** The shop's rules as the storefront shows them (the checkout toggle, the member centre). */
export function rulesView(settings: Readonly<PointsSettings>): JsonValue {
  const block = offsetBlock(settings.pointsPerYuan);
  return {
    earnPointsPerYuan: settings.earnPointsPerYuan,
    earnOn: settings.earnOn,
    pointsPerYuan: settings.pointsPerYuan,
    maxOffsetBps: settings.maxOffsetBps,
    minPointsPerUse: settings.minPointsPerUse,
    autoUse: settings.autoUse,
    block: { points: block.points, amount: block.amount },
  };
}

export const adjustInput = v.strictObject({
  memberId: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)),
  delta: v.pipe(v.number(), v.safeInteger('must be whole points'), v.minValue(-1_000_000_000), v.maxValue(1_000_000_000), v.check((n) => n !== 0, 'must not be 0')),
  reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'say why'), v.maxLength(200)),
  /** The same request sent again (a retry) posts once: the ledger holds one adjustment per id. */
  requestId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
});
export type AdjustInput = v.InferOutput<typeof adjustInput>;

async function adjustmentByRef(db: PluginDb, ref: string): Promise<Row | null> {
  const r = await db.execute(`SELECT id, member_id, kind, delta, debt_delta, order_id, note, created_at FROM plg_points_ledger WHERE kind = 'adjust' AND ref = ?`, [ref]);
  return r.rows[0] ?? null;
}

/**
 * A staff adjustment: one ledger entry and the balance, in one batch. The balance CHECK refuses
 * one that would take it below zero, whatever else moved the balance meanwhile.
 */
export async function adjustPoints(ctx: PluginContext<PointsSettings>, staffId: string, input: AdjustInput): Promise<Outcome<{ entry: JsonValue; account: AccountView; replayed: boolean }>> {
  const now = ctx.now();
  const ref = input.requestId ?? newId(now);
  const m = input.memberId;
  try {
    await ctx.db.batch([
      { sql: 'INSERT INTO plg_points_accounts (member_id, updated_at) VALUES (?, ?) ON CONFLICT (member_id) DO NOTHING', args: [m, now] },
      {
        sql: `INSERT INTO plg_points_ledger (member_id, kind, delta, debt_delta, ref, staff_id, note, created_at) VALUES (:m, 'adjust', :d, 0, :ref, :staff, :note, :now)`,
        args: { m, d: input.delta, ref, staff: staffId, note: input.reason, now },
      },
      { sql: 'UPDATE plg_points_accounts SET balance = balance + :d, updated_at = :now WHERE member_id = :m', args: { d: input.delta, now, m } },
    ]);
  } catch (e) {
    if (!constraintFailed(e)) throw e;
    const why = errorText(e);
    if (why.includes('plg_points_accounts_balance')) return { ok: false, code: 'POINTS_ADJUST_BELOW_ZERO', details: { balance: (await readAccount(ctx.db, m)).balance } };
    const earlier = await adjustmentByRef(ctx.db, ref);
    if (!earlier) throw e;
    if (text(earlier, 'member_id') !== m || int(earlier, 'delta') !== input.delta) return { ok: false, code: 'POINTS_ADJUST_DUPLICATE' };
    return { ok: true, value: { entry: entryView(earlier), account: await readAccount(ctx.db, m), replayed: true } };
  }
  const saved = await adjustmentByRef(ctx.db, ref);
  if (!saved) throw new Error('an adjustment just posted cannot be read back');
  return { ok: true, value: { entry: entryView(saved), account: await readAccount(ctx.db, m), replayed: false } };
}

/** What an order did with points, for the admin order page. */
export async function orderPoints(db: PluginDb, orderId: string): Promise<JsonValue> {
  const r = await db.execute(
    `SELECT member_id, order_no, items_paid, spent_points, spent_amount, spend_posted, spend_returned, earn_status, earn_points, earn_back,
       back_target, return_target, paid_at, completed_at, cancelled_at, earned_at
     FROM plg_points_order_due WHERE order_id = ?`,
    [orderId],
  );
  const row = r.rows[0];
  if (!row) return { order: null, entries: [] };
  const entries = await db.execute(`${ledgerSelect} WHERE order_id = ? ORDER BY id`, [orderId]);
  return {
    order: {
      orderId,
      memberId: text(row, 'member_id'),
      orderNo: textOrNull(row, 'order_no'),
      itemsPaid: intOrNull(row, 'items_paid'),
      spentPoints: int(row, 'spent_points'),
      spentAmount: int(row, 'spent_amount'),
      spendPosted: int(row, 'spend_posted') === 1,
      spendReturned: int(row, 'spend_returned'),
      earnStatus: oneOf(row, 'earn_status', ['none', 'pending', 'earned'] as const),
      earnPoints: intOrNull(row, 'earn_points'),
      earnTakenBack: int(row, 'earn_back'),
      paidAt: intOrNull(row, 'paid_at'),
      completedAt: intOrNull(row, 'completed_at'),
      cancelledAt: intOrNull(row, 'cancelled_at'),
      earnedAt: intOrNull(row, 'earned_at'),
    },
    entries: entries.rows.map(entryView),
  };
}
