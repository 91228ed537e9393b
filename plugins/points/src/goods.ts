import type { JsonValue, PluginContext, PluginDb, PluginStatement } from '@tuike/plugin-sdk';
import * as v from 'valibot';
import { constraintFailed, errorText, type Outcome, type PointsErrorCode } from './errors';
import { newId } from './ids';
import { int, intOrNull, oneOf, text, textOrNull, type Row } from './rows';
import type { PointsSettings } from './settings';
import { bind } from './statements';

/**
 * The points mall (积分商城): goods the merchant offers for points, and the members' redemptions.
 * A redemption is one batch — stock, the member's count of this item, the balance, the
 * redemption and its ledger entry — and each limit is a constraint, so under any concurrency no
 * item is oversold, no member passes the limit and no balance goes below zero; a refused
 * redemption leaves nothing behind. Goods are delivered by the merchant: a redemption waits as
 * `pending_fulfilment` until staff mark it fulfilled, or cancel it (points, stock and the
 * member's count come back).
 */

const goodsStatuses = ['active', 'disabled'] as const;
export const redemptionStatuses = ['pending_fulfilment', 'fulfilled', 'cancelled'] as const;

export const goodsInput = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(60)),
  description: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500)), ''),
  imageUrl: v.optional(v.nullable(v.pipe(v.string(), v.url(), v.maxLength(500))), null),
  pointsPrice: v.pipe(v.number(), v.safeInteger('must be whole points'), v.minValue(1), v.maxValue(1_000_000_000)),
  stock: v.pipe(v.number(), v.safeInteger('must be a whole number'), v.minValue(0), v.maxValue(100_000_000)),
  /** null: no limit per member. */
  perMemberLimit: v.optional(v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1_000_000))), null),
  status: v.optional(v.picklist(goodsStatuses), 'active'),
  sort: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(-1_000_000), v.maxValue(1_000_000)), 0),
});
export type GoodsInput = v.InferOutput<typeof goodsInput>;

/** An edit: every field again, and optionally the stock the merchant was shown when they began. */
export const goodsUpdate = v.strictObject({
  ...goodsInput.entries,
  stockShown: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(100_000_000))),
});
export type GoodsUpdate = v.InferOutput<typeof goodsUpdate>;

export interface Goods extends GoodsInput {
  id: string;
  redeemed: number;
  createdAt: number;
  updatedAt: number;
}

const goodsColumns = 'id, name, description, image_url, points_price, stock, redeemed, per_member_limit, status, sort, created_at, updated_at';

function goodsOf(row: Row): Goods {
  return {
    id: text(row, 'id'),
    name: text(row, 'name'),
    description: text(row, 'description'),
    imageUrl: textOrNull(row, 'image_url'),
    pointsPrice: int(row, 'points_price'),
    stock: int(row, 'stock'),
    redeemed: int(row, 'redeemed'),
    perMemberLimit: intOrNull(row, 'per_member_limit'),
    status: oneOf(row, 'status', goodsStatuses),
    sort: int(row, 'sort'),
    createdAt: int(row, 'created_at'),
    updatedAt: int(row, 'updated_at'),
  };
}

export function goodsView(g: Goods): JsonValue {
  return { ...g };
}

/** What a buyer sees: no bookkeeping, and with a signed-in member how many they have redeemed. */
function publicGoodsView(g: Goods, redeemedByMe: number | null): JsonValue {
  return {
    id: g.id, name: g.name, description: g.description, imageUrl: g.imageUrl, pointsPrice: g.pointsPrice,
    stock: g.stock, perMemberLimit: g.perMemberLimit, redeemedByMe,
    canRedeem: g.stock > 0 && (g.perMemberLimit === null || redeemedByMe === null || redeemedByMe < g.perMemberLimit),
  };
}

export async function readGoods(db: PluginDb, id: string): Promise<Goods | null> {
  const r = await db.execute(`SELECT ${goodsColumns} FROM plg_points_goods WHERE id = ?`, [id]);
  return r.rows[0] ? goodsOf(r.rows[0]) : null;
}

export async function listGoods(db: PluginDb): Promise<Goods[]> {
  const r = await db.execute(`SELECT ${goodsColumns} FROM plg_points_goods ORDER BY sort DESC, created_at DESC, id LIMIT 500`);
  return r.rows.map(goodsOf);
}

/** Active goods, in the merchant's order; sold-out ones stay listed (shown as such). */
export async function goodsCatalogue(db: PluginDb, memberId: string | null): Promise<JsonValue[]> {
  const r = await db.execute(
    `SELECT ${goodsColumns.split(', ').map((c) => `g.${c}`).join(', ')}, mg.redeemed AS mine
     FROM plg_points_goods g LEFT JOIN plg_points_member_goods mg ON mg.goods_id = g.id AND mg.member_id = :m
     WHERE g.status = 'active' ORDER BY g.sort DESC, g.created_at DESC, g.id LIMIT 200`,
    { m: memberId ?? '' },
  );
  return r.rows.map((row) => publicGoodsView(goodsOf(row), memberId === null ? null : (intOrNull(row, 'mine') ?? 0)));
}

export async function createGoods(ctx: PluginContext<PointsSettings>, input: GoodsInput): Promise<Goods> {
  const now = ctx.now();
  const id = newId(now);
  await ctx.db.execute(
    `INSERT INTO plg_points_goods (id, name, description, image_url, points_price, stock, per_member_limit, status, sort, created_at, updated_at)
     VALUES (:id, :name, :description, :image, :price, :stock, :limit, :status, :sort, :now, :now)`,
    { id, name: input.name, description: input.description, image: input.imageUrl, price: input.pointsPrice, stock: input.stock, limit: input.perMemberLimit, status: input.status, sort: input.sort, now },
  );
  const saved = await readGoods(ctx.db, id);
  if (!saved) throw new Error('goods just created cannot be read back');
  return saved;
}

/**
 * Replaces an item's fields. `stock` is applied as a change from `stockShown` (what the merchant's
 * form showed; without it, the stock now): units redeemed while they edited stay counted — they
 * set 100 over a shown 40 while 2 were redeemed, and 98 remain. Taking it below zero is refused
 * by the stock CHECK, whatever was redeemed meanwhile.
 */
export async function updateGoods(ctx: PluginContext<PointsSettings>, id: string, input: GoodsUpdate): Promise<Outcome<Goods>> {
  const current = await readGoods(ctx.db, id);
  if (!current) return { ok: false, code: 'POINTS_GOODS_NOT_FOUND' };
  const change = input.stock - (input.stockShown ?? current.stock);
  try {
    await ctx.db.execute(
      `UPDATE plg_points_goods SET name = :name, description = :description, image_url = :image, points_price = :price,
         stock = stock + :change, per_member_limit = :limit, status = :status, sort = :sort, updated_at = :now
       WHERE id = :id`,
      { id, name: input.name, description: input.description, image: input.imageUrl, price: input.pointsPrice, change, limit: input.perMemberLimit, status: input.status, sort: input.sort, now: ctx.now() },
    );
  } catch (e) {
    if (constraintFailed(e) && errorText(e).includes('plg_points_goods_stock')) return { ok: false, code: 'POINTS_STOCK_BELOW_ZERO' };
    throw e;
  }
  const saved = await readGoods(ctx.db, id);
  if (!saved) return { ok: false, code: 'POINTS_GOODS_NOT_FOUND' };
  return { ok: true, value: saved };
}

const redemptionColumns = 'id, goods_id, member_id, goods_name, points, status, note, created_at, fulfilled_at, cancelled_at';

function redemptionView(row: Row): JsonValue {
  return {
    id: text(row, 'id'),
    goodsId: text(row, 'goods_id'),
    memberId: text(row, 'member_id'),
    goodsName: text(row, 'goods_name'),
    points: int(row, 'points'),
    status: oneOf(row, 'status', redemptionStatuses),
    note: textOrNull(row, 'note'),
    createdAt: int(row, 'created_at'),
    fulfilledAt: intOrNull(row, 'fulfilled_at'),
    cancelledAt: intOrNull(row, 'cancelled_at'),
  };
}

async function readRedemption(db: PluginDb, id: string): Promise<Row | null> {
  const r = await db.execute(`SELECT ${redemptionColumns} FROM plg_points_redemptions WHERE id = ?`, [id]);
  return r.rows[0] ?? null;
}

export async function memberRedemptions(db: PluginDb, memberId: string): Promise<JsonValue[]> {
  const r = await db.execute(`SELECT ${redemptionColumns} FROM plg_points_redemptions WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT 50`, [memberId]);
  return r.rows.map(redemptionView);
}

export async function redemptionsByStatus(db: PluginDb, status: (typeof redemptionStatuses)[number]): Promise<JsonValue[]> {
  const r = await db.execute(`SELECT ${redemptionColumns} FROM plg_points_redemptions WHERE status = ? ORDER BY created_at, id LIMIT 200`, [status]);
  return r.rows.map(redemptionView);
}

async function redeemedBy(db: PluginDb, goodsId: string, memberId: string): Promise<number> {
  const r = await db.execute('SELECT redeemed FROM plg_points_member_goods WHERE goods_id = ? AND member_id = ?', [goodsId, memberId]);
  return r.rows[0] ? int(r.rows[0], 'redeemed') : 0;
}

async function balanceOf(db: PluginDb, memberId: string): Promise<number> {
  const r = await db.execute('SELECT balance FROM plg_points_accounts WHERE member_id = ?', [memberId]);
  return r.rows[0] ? int(r.rows[0], 'balance') : 0;
}

/** Why this member cannot redeem `g` now, or null — the same order of reasons the constraints have. */
async function redeemRefusal(db: PluginDb, g: Goods, memberId: string): Promise<PointsErrorCode | null> {
  if (g.status !== 'active') return 'POINTS_GOODS_UNAVAILABLE';
  if (g.stock < 1) return 'POINTS_GOODS_SOLD_OUT';
  if (g.perMemberLimit !== null && (await redeemedBy(db, g.id, memberId)) >= g.perMemberLimit) return 'POINTS_GOODS_LIMIT_REACHED';
  if ((await balanceOf(db, memberId)) < g.pointsPrice) return 'POINTS_INSUFFICIENT';
  return null;
}

/** The named constraint a refused redemption broke, as the reason the buyer reads. */
const refusedBy: readonly [string, PointsErrorCode][] = [
  ['plg_points_goods_stock', 'POINTS_GOODS_SOLD_OUT'],
  ['plg_points_member_goods_limit', 'POINTS_GOODS_LIMIT_REACHED'],
  ['plg_points_accounts_balance', 'POINTS_INSUFFICIENT'],
];

/**
 * Redeems one unit of goods for points. Read first to refuse early with the reason; then one batch
 * whose every step a constraint can refuse: the stock CHECK, the member's count against the limit,
 * the balance CHECK, and the redemption's goods id (NOT NULL), taken from the item only while it
 * is still active at the price the member saw.
 */
export async function redeemGoods(ctx: PluginContext<PointsSettings>, goodsId: string, memberId: string): Promise<Outcome<JsonValue>> {
  const now = ctx.now();
  const g = await readGoods(ctx.db, goodsId);
  if (!g) return { ok: false, code: 'POINTS_GOODS_NOT_FOUND' };
  const early = await redeemRefusal(ctx.db, g, memberId);
  if (early) return { ok: false, code: early, ...(early === 'POINTS_INSUFFICIENT' ? { details: { pointsPrice: g.pointsPrice } } : {}) };

  const id = newId(now);
  const values = { id, g: g.id, m: memberId, price: g.pointsPrice, d: -g.pointsPrice, name: g.name, now };
  const statements: PluginStatement[] = [
    'INSERT INTO plg_points_accounts (member_id, updated_at) VALUES (:m, :now) ON CONFLICT (member_id) DO NOTHING',
    'UPDATE plg_points_goods SET stock = stock - 1, redeemed = redeemed + 1, updated_at = :now WHERE id = :g',
    `INSERT INTO plg_points_member_goods (goods_id, member_id, redeemed, member_limit)
      VALUES (:g, :m, 1, (SELECT per_member_limit FROM plg_points_goods WHERE id = :g))
      ON CONFLICT (goods_id, member_id) DO UPDATE SET redeemed = plg_points_member_goods.redeemed + 1, member_limit = excluded.member_limit`,
    'UPDATE plg_points_accounts SET balance = balance - :price, lifetime_spent = lifetime_spent + :price, updated_at = :now WHERE member_id = :m',
    `INSERT INTO plg_points_redemptions (id, goods_id, member_id, goods_name, points, status, created_at)
      VALUES (:id, (SELECT id FROM plg_points_goods WHERE id = :g AND status = 'active' AND points_price = :price), :m, :name, :price, 'pending_fulfilment', :now)`,
    `INSERT INTO plg_points_ledger (member_id, kind, delta, debt_delta, ref, note, created_at) VALUES (:m, 'redeem_goods', :d, 0, :id, :name, :now)`,
  ].map((sql) => bind(sql, values));
  try {
    await ctx.db.batch(statements);
  } catch (e) {
    if (!constraintFailed(e)) throw e;
    const why = errorText(e);
    const named = refusedBy.find(([constraint]) => why.includes(constraint));
    if (named) return { ok: false, code: named[1] };
    // The item changed between the read and the write (disabled, repriced, removed): say which.
    const again = await readGoods(ctx.db, goodsId);
    if (!again) return { ok: false, code: 'POINTS_GOODS_NOT_FOUND' };
    return { ok: false, code: (await redeemRefusal(ctx.db, again, memberId)) ?? 'POINTS_GOODS_CHANGED' };
  }
  const saved = await readRedemption(ctx.db, id);
  if (!saved) throw new Error('a redemption just made cannot be read back');
  return { ok: true, value: redemptionView(saved) };
}

/** Staff mark a pending redemption delivered (a tracking number or pickup note may ride along). */
export async function fulfilRedemption(ctx: PluginContext<PointsSettings>, id: string, note: string | null): Promise<Outcome<JsonValue>> {
  const r = await ctx.db.execute(
    `UPDATE plg_points_redemptions SET status = 'fulfilled', fulfilled_at = :now, note = coalesce(:note, note) WHERE id = :id AND status = 'pending_fulfilment'`,
    { id, note, now: ctx.now() },
  );
  return settledOutcome(ctx.db, id, r.rowsAffected);
}

/**
 * Staff cancel a pending redemption (the goods cannot be delivered): points, the unit of stock and
 * the member's count come back. Every statement is guarded on the redemption still pending and the
 * last one closes it, so the same cancel twice gives back once.
 */
export async function cancelRedemption(ctx: PluginContext<PointsSettings>, id: string, note: string | null): Promise<Outcome<JsonValue>> {
  const now = ctx.now();
  const of = (column: string) => `(SELECT r.${column} FROM plg_points_redemptions r WHERE r.id = :id AND r.status = 'pending_fulfilment')`;
  const results = await ctx.db.batch([
    {
      sql: `INSERT INTO plg_points_ledger (member_id, kind, delta, debt_delta, ref, note, created_at)
        SELECT r.member_id, 'refund_spend', r.points, 0, r.id, r.goods_name, :now FROM plg_points_redemptions r WHERE r.id = :id AND r.status = 'pending_fulfilment'`,
      args: { id, now },
    },
    { sql: `UPDATE plg_points_accounts SET balance = balance + ${of('points')}, lifetime_spent = lifetime_spent - ${of('points')}, updated_at = :now WHERE member_id = ${of('member_id')}`, args: { id, now } },
    { sql: `UPDATE plg_points_goods SET stock = stock + 1, redeemed = redeemed - 1, updated_at = :now WHERE id = ${of('goods_id')}`, args: { id, now } },
    { sql: `UPDATE plg_points_member_goods SET redeemed = redeemed - 1 WHERE goods_id = ${of('goods_id')} AND member_id = ${of('member_id')}`, args: { id } },
    { sql: `UPDATE plg_points_redemptions SET status = 'cancelled', cancelled_at = :now, note = coalesce(:note, note) WHERE id = :id AND status = 'pending_fulfilment'`, args: { id, note, now } },
  ]);
  return settledOutcome(ctx.db, id, results[results.length - 1]!.rowsAffected);
}

async function settledOutcome(db: PluginDb, id: string, changed: number): Promise<Outcome<JsonValue>> {
  const row = await readRedemption(db, id);
  if (!row) return { ok: false, code: 'POINTS_REDEMPTION_NOT_FOUND' };
  return changed === 1 ? { ok: true, value: redemptionView(row) } : { ok: false, code: 'POINTS_REDEMPTION_CLOSED' };
}
