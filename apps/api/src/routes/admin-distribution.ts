import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import * as v from 'valibot';
import { and, asc, count, desc, eq, gt, inArray, isNull, lt, or, sql, sum, type SQL } from 'drizzle-orm';
import type { Client, InArgs, InStatement, TransactionMode } from '@libsql/client';
import { AppError, isCheckViolation, isUniqueViolation, newId } from '@tuike/core';
import {
  categories, commissionOverrides, commissions, commissionStatuses, distributorGrades, distributors, distributorStatuses, memberBindings,
  members, orders, payoutBatches, payoutMethods, products, settings, settlementRuns, settlementStatements, shareMaterials, staff, wallets,
  withdrawals, withdrawalStatuses,
} from '@tuike/db-tenant';
import {
  approveDistributor, approveWithdrawal, assertCompliant, createPayoutBatch, disableDistributor, enableDistributor, lastClosedPeriod,
  loadDistributionContext, loadWithdrawal, markWithdrawalFailed, markWithdrawalPaid, MAX_LEVELS, parseRule, payoutMethodList,
  rejectDistributor, rejectWithdrawal, settleClosedPeriod, upgradeGrades,
} from '@tuike/distribution';
import { csvCell } from '@tuike/orders';
import type { AuditEntry } from '@tuike/staff';
import type { AppEnv } from '../context';
import { auditStatement, commitAudited, type ConstraintErrors } from '../http/audited';
import { imagePrefixOf } from '../http/files';
import { json, query } from '../http/json-body';
import { actorOf, permit } from '../http/staff-auth';
import { Id } from './admin-fields';
import { Label, StatusList } from './catalog-fields';

type C = Context<AppEnv>;
const now = (c: C) => c.get('services').platform.clock.now();

// ─── Inputs ─────────────────────────────────────────────────────────────────────────────────

/** Ids in filters: our UUIDv7s, and payout-batch withdrawals' `batch:distributor` pairs. */
const Ref = v.pipe(v.string(), v.regex(/^[0-9A-Za-z:_-]{1,100}$/));
/** Keyset cursors: the sort value and the id of the last row, joined by '~'. */
const Cursor = v.pipe(v.string(), v.regex(/^[0-9A-Za-z:_~-]{1,140}$/));
const Reason = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200));
const Title = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(60));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000));
const BigFen = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000_000_00));
/** Settlement period keys as the package makes them: 'sw2026-46' (ISO week) or 'sm2026-11'. */
const PERIOD = /^s[wm]\d{4}-\d{2}$/;

/** Actions that take no input still refuse a body that carries some. */
const noInput = json(v.strictObject({}));

const DistributorFilter = v.object({
  status: v.optional(StatusList(distributorStatuses)),
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(50))),
  gradeId: v.optional(Id),
  cursor: v.optional(Cursor),
});
const TeamFilter = v.object({
  level: v.optional(v.picklist(['1', '2', '3']), '1'),
  cursor: v.optional(Cursor),
});
const CommissionFilter = v.object({
  status: v.optional(StatusList(commissionStatuses)),
  distributorId: v.optional(Ref),
  orderId: v.optional(Ref),
  cursor: v.optional(Ref),
});
const WithdrawalFilter = v.object({
  status: v.optional(StatusList(withdrawalStatuses)),
  method: v.optional(v.picklist(payoutMethods)),
  distributorId: v.optional(Ref),
  batchId: v.optional(Ref),
  cursor: v.optional(Ref),
});
const CursorOnly = v.object({ cursor: v.optional(Cursor) });
const RuleFilter = v.object({ scope: v.optional(v.picklist(['product', 'category'])), cursor: v.optional(v.pipe(v.string(), v.regex(/^(product|category)~[0-9A-Za-z-]{1,64}$/))) });

const GradeFields = {
  name: Label,
  rank: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
  /** Checked against the shop's cap by parseRule (D5, D12). */
  rates: v.nullable(v.unknown()),
  /** Cumulative own + team sales (fen), team size over three levels, direct recruits. */
  minSales: v.nullable(BigFen),
  minTeam: v.nullable(Count),
  minDirect: v.nullable(Count),
  match: v.picklist(['all', 'any']),
};
// No other field is accepted: a grade adds commission on sales and never pays for a recruit.
const GradeInput = v.strictObject({
  name: GradeFields.name,
  rank: GradeFields.rank,
  rates: v.optional(GradeFields.rates, null),
  minSales: v.optional(GradeFields.minSales, null),
  minTeam: v.optional(GradeFields.minTeam, null),
  minDirect: v.optional(GradeFields.minDirect, null),
  match: v.optional(GradeFields.match, 'all'),
});
const GradePatch = v.strictObject({
  name: v.optional(GradeFields.name),
  rank: v.optional(GradeFields.rank),
  rates: v.optional(GradeFields.rates),
  minSales: v.optional(GradeFields.minSales),
  minTeam: v.optional(GradeFields.minTeam),
  minDirect: v.optional(GradeFields.minDirect),
  match: v.optional(GradeFields.match),
});

const PayoutBatchInput = v.pipe(
  v.strictObject({
    title: Title,
    method: v.picklist(payoutMethods),
    period: v.optional(v.pipe(v.string(), v.regex(PERIOD))),
    distributorIds: v.optional(v.pipe(v.array(Id), v.minLength(1), v.maxLength(500), v.check((ids) => new Set(ids).size === ids.length, 'each distributor once'))),
  }),
  v.check((i) => (i.period === undefined) !== (i.distributorIds === undefined), 'either a settlement period or distributorIds'),
);

const materialKinds = ['single', 'multi', 'nine'] as const;
const MaterialFields = {
  kind: v.picklist(materialKinds),
  title: Title,
  text: v.pipe(v.string(), v.trim(), v.maxLength(2000)),
  images: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(200))), v.maxLength(9)),
  productId: v.nullable(Id),
};
const MaterialInput = v.strictObject({ ...MaterialFields, text: v.optional(MaterialFields.text, ''), productId: v.optional(MaterialFields.productId, null) });
const MaterialPatch = v.partial(v.strictObject(MaterialFields));

// ─── Writing with an audit row ──────────────────────────────────────────────────────────────

const toStatement = (q: { toSQL(): { sql: string; params: unknown[] } }): InStatement => {
  const { sql: text, params } = q.toSQL();
  return { sql: text, args: params as InArgs };
};

function constraintError(e: unknown, errors: ConstraintErrors): unknown {
  for (const [column, code] of Object.entries(errors.unique ?? {})) if (isUniqueViolation(e, column)) return new AppError(code);
  if (errors.guard && isCheckViolation(e, 'invariant_guards')) return new AppError(errors.guard);
  return e;
}

/** Raw statements and their audit row in one batch (commitAudited is the drizzle twin). */
async function commitStatements(c: C, statements: InStatement[], entry: AuditEntry, errors: ConstraintErrors = {}) {
  try {
    await c.get('shop').db.batch([...statements, auditStatement(c, entry)], 'write');
  } catch (e) {
    throw constraintError(e, errors);
  }
}

/**
 * The shop client for one call of a distribution package function: its write batch carries the
 * audit row too, so the staff change and its record commit or fail together. The package's
 * transitions write one batch each; a retried batch (a lost invite-code race) rolled back whole.
 */
function withAuditRow(c: C, row: InStatement): Client {
  const db = c.get('shop').db;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'batch') return (statements: InStatement[], mode?: TransactionMode) => target.batch([...statements, row], mode);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const auditedDb = (c: C, entry: AuditEntry) => withAuditRow(c, auditStatement(c, entry));

const upsertSetting = (c: C, key: string, value: unknown) => {
  const { orm } = c.get('shop');
  return orm.insert(settings).values({ key, value, updatedAt: now(c) }).onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now(c) } });
};

/** `appliedAt~memberId` → its two parts (the cursor schema already bounds the text). */
function splitCursor(cursor: string): [number, string] {
  const at = cursor.indexOf('~');
  const n = Number(cursor.slice(0, at));
  if (at < 1 || !Number.isSafeInteger(n)) throw new AppError('VALIDATION_FAILED', [{ path: 'cursor', message: 'not a cursor of this list' }]);
  return [n, cursor.slice(at + 1)];
}

const likeAny = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** A page of `size` from a query that fetched `size + 1`, and the cursor of its last row. */
function page<T>(rows: T[], size: number, cursorOf: (row: T) => string) {
  const items = rows.slice(0, size);
  return { items, nextCursor: rows.length > size ? cursorOf(items.at(-1)!) : null };
}

// ─── Settings (D1, D3–D5, D8, D9, D12) ──────────────────────────────────────────────────────

/** What the platform never lets a shop change: shown beside the settings so the form can say why. */
const PLATFORM_LIMITS = { maxLevels: MAX_LEVELS, maxCapBps: 10_000, payoutMethods: payoutMethodList, entryFee: false, recruitReward: false } as const;

/** A percentage rule whose levels add up to more than the cap, in SQL over a JSON column. */
const overCap = (column: string) => `json_extract(${column}, '$.mode') = 'bps' AND (SELECT sum(value) FROM json_each(${column}, '$.levels')) > ?`;

/** A lower cap must not leave product, category or grade rates above it (they would be cut at every sale). */
async function assertRulesFit(db: Client, capBps: number) {
  const [rules, grades] = await Promise.all([
    db.execute({ sql: `SELECT scope, target_id FROM commission_overrides WHERE ${overCap('rule')} LIMIT 20`, args: [capBps] }),
    db.execute({ sql: `SELECT id, name FROM distributor_grades WHERE rates IS NOT NULL AND ${overCap('rates')} LIMIT 20`, args: [capBps] }),
  ]);
  if (rules.rows.length || grades.rows.length) {
    throw new AppError('COMMISSION_CAP_EXCEEDED', {
      capBps,
      rules: rules.rows.map((r) => ({ scope: String(r.scope), targetId: String(r.target_id) })),
      grades: grades.rows.map((r) => ({ id: String(r.id), name: String(r.name) })),
    });
  }
}

const currentSettings = async (c: C) => (await loadDistributionContext(c.get('shop').db)).settings;

// ─── Distributors (D1, D4, D6) ──────────────────────────────────────────────────────────────

const distributorColumns = {
  memberId: distributors.memberId,
  nickname: members.nickname,
  username: members.username,
  avatarUrl: members.avatarUrl,
  status: distributors.status,
  shopName: distributors.shopName,
  inviteCode: distributors.inviteCode,
  applyNote: distributors.applyNote,
  rejectReason: distributors.rejectReason,
  appliedAt: distributors.appliedAt,
  approvedAt: distributors.approvedAt,
  parentId: distributors.parentId,
  grade: { id: distributorGrades.id, name: distributorGrades.name, rank: distributorGrades.rank },
  directCount: distributors.directCount,
  teamL2Count: distributors.teamL2Count,
  teamL3Count: distributors.teamL3Count,
  ownSales: distributors.ownSales,
  teamSales: distributors.teamSales,
  ownOrders: distributors.ownOrders,
  wallet: {
    pending: wallets.pending, frozen: wallets.frozen, available: wallets.available,
    reserved: wallets.reserved, withdrawn: wallets.withdrawn, debt: wallets.debt,
  },
};

const selectDistributors = (c: C) => c.get('shop').orm.select(distributorColumns).from(distributors)
  .innerJoin(members, eq(members.id, distributors.memberId))
  .leftJoin(distributorGrades, eq(distributorGrades.id, distributors.gradeId))
  .leftJoin(wallets, eq(wallets.distributorId, distributors.memberId));

async function findDistributor(c: C, id: string) {
  const [row] = await selectDistributors(c).where(eq(distributors.memberId, id));
  if (!row) throw new AppError('DISTRIBUTOR_NOT_FOUND');
  return row;
}

/** Account numbers shown to whoever may view distributors: the kind and the last four characters. */
function maskAccount(account: Record<string, string> | null) {
  if (!account) return null;
  return Object.fromEntries(Object.entries(account).map(([k, value]) =>
    [k, k === 'method' || k === 'bankName' || k === 'identityType' ? value : value.length <= 4 ? '****' : `****${value.slice(-4)}`]));
}

const teamColumns = { 1: distributors.parentId, 2: distributors.grandparentId, 3: distributors.greatGrandparentId } as const;

/** One level of a distributor's team, newest first, from the denormalized ancestor columns. */
async function teamPage(c: C, id: string, level: 1 | 2 | 3, cursor?: string) {
  const where: (SQL | undefined)[] = [eq(teamColumns[level], id)];
  if (cursor) {
    const [at, memberId] = splitCursor(cursor);
    where.push(or(lt(distributors.approvedAt, at), and(eq(distributors.approvedAt, at), lt(distributors.memberId, memberId))));
  }
  const rows = await c.get('shop').orm.select({
    memberId: distributors.memberId, nickname: members.nickname, shopName: distributors.shopName, status: distributors.status,
    approvedAt: distributors.approvedAt, directCount: distributors.directCount, ownSales: distributors.ownSales, teamSales: distributors.teamSales,
  }).from(distributors).innerJoin(members, eq(members.id, distributors.memberId))
    .where(and(...where)).orderBy(desc(distributors.approvedAt), desc(distributors.memberId)).limit(21);
  return page(rows, 20, (r) => `${r.approvedAt ?? 0}~${r.memberId}`);
}

async function distributorDetail(c: C, id: string) {
  const distributor = await findDistributor(c, id);
  const { orm } = c.get('shop');
  const [[chain], team, recent, [bound]] = await Promise.all([
    orm.select({ parentId: distributors.parentId, grandparentId: distributors.grandparentId, greatGrandparentId: distributors.greatGrandparentId, payoutAccount: distributors.payoutAccount })
      .from(distributors).where(eq(distributors.memberId, id)),
    teamPage(c, id, 1),
    orm.select({ id: commissions.id, orderId: commissions.orderId, orderNo: orders.orderNo, level: commissions.level, base: commissions.base, rateMode: commissions.rateMode,
      rate: commissions.rate, amount: commissions.amount, reversed: commissions.reversed, status: commissions.status, createdAt: commissions.createdAt })
      .from(commissions).innerJoin(orders, eq(orders.id, commissions.orderId)).where(eq(commissions.distributorId, id))
      .orderBy(desc(commissions.createdAt), desc(commissions.id)).limit(20), // on commissions_distributor
    // Customers: members bound now who are not distributors themselves (those are the team).
    orm.select({ n: count() }).from(memberBindings)
      .where(and(eq(memberBindings.distributorId, id), or(isNull(memberBindings.expiresAt), gt(memberBindings.expiresAt, now(c))),
        sql`NOT EXISTS (SELECT 1 FROM ${distributors} WHERE ${distributors.memberId} = ${memberBindings.memberId} AND ${distributors.status} IN ('active', 'disabled'))`)),
  ]);
  const ancestorIds = [chain!.parentId, chain!.grandparentId, chain!.greatGrandparentId];
  const known = ancestorIds.filter((a): a is string => a !== null);
  const ancestors = known.length ? await orm.select({ memberId: distributors.memberId, nickname: members.nickname, shopName: distributors.shopName, status: distributors.status })
    .from(distributors).innerJoin(members, eq(members.id, distributors.memberId)).where(inArray(distributors.memberId, known)) : [];
  return {
    distributor: { ...distributor, payoutAccount: maskAccount(chain!.payoutAccount) },
    upline: ancestorIds.flatMap((a, i) => {
      const found = a ? ancestors.find((x) => x.memberId === a) : undefined;
      return found ? [{ level: i + 1, ...found }] : [];
    }),
    team: { counts: { level1: distributor.directCount, level2: distributor.teamL2Count, level3: distributor.teamL3Count }, level1: team },
    wallet: distributor.wallet,
    recentCommissions: recent,
    boundCustomers: bound?.n ?? 0,
  };
}

/** A distributor status change through the package, audited in its batch. */
async function moveDistributor(c: C, action: string, to: string, change: (db: Client, id: string) => Promise<unknown>) {
  const before = await findDistributor(c, c.req.param('id')!);
  await change(auditedDb(c, { entity: 'distributor', entityId: before.memberId, action, before: { status: before.status }, after: { status: to } }), before.memberId);
  return c.json({ distributor: await findDistributor(c, before.memberId) });
}

// ─── Commission rules (D5) ──────────────────────────────────────────────────────────────────

type Scope = 'product' | 'category';

async function ruleTarget(c: C, scope: Scope, id: string) {
  const { orm } = c.get('shop');
  if (scope === 'product') {
    const [p] = await orm.select({ name: products.title }).from(products).where(and(eq(products.id, id), isNull(products.deletedAt)));
    if (!p) throw new AppError('PRODUCT_NOT_FOUND');
    return p.name;
  }
  const [cat] = await orm.select({ name: categories.name }).from(categories).where(eq(categories.id, id));
  if (!cat) throw new AppError('NOT_FOUND');
  return cat.name;
}

const overrideOf = (c: C, scope: Scope, id: string) =>
  c.get('shop').orm.select().from(commissionOverrides).where(and(eq(commissionOverrides.scope, scope), eq(commissionOverrides.targetId, id)));

async function putRule(c: C, scope: Scope, body: unknown) {
  const targetId = c.req.param('id')!;
  const rule = parseRule(body, (await currentSettings(c)).capBps);
  const name = await ruleTarget(c, scope, targetId);
  const [before] = await overrideOf(c, scope, targetId);
  const { orm } = c.get('shop');
  await commitAudited(c, [orm.insert(commissionOverrides).values({ scope, targetId, rule, updatedAt: now(c) })
    .onConflictDoUpdate({ target: [commissionOverrides.scope, commissionOverrides.targetId], set: { rule, updatedAt: now(c) } })],
  { entity: 'commission_rule', entityId: `${scope}:${targetId}`, action: before ? 'update' : 'create', before: before?.rule ?? null, after: rule });
  return c.json({ rule: { scope, targetId, name, rule, updatedAt: now(c) } });
}

async function deleteRule(c: C, scope: Scope) {
  const targetId = c.req.param('id')!;
  const [before] = await overrideOf(c, scope, targetId);
  if (!before) throw new AppError('NOT_FOUND');
  const { orm } = c.get('shop');
  await commitAudited(c, [orm.delete(commissionOverrides).where(and(eq(commissionOverrides.scope, scope), eq(commissionOverrides.targetId, targetId)))],
    { entity: 'commission_rule', entityId: `${scope}:${targetId}`, action: 'delete', before: before.rule, after: null });
  return c.json({ ok: true });
}

// ─── Grades (D6) ────────────────────────────────────────────────────────────────────────────

const GRADE_UNIQUE: ConstraintErrors = { unique: { 'distributor_grades.name': 'GRADE_NAME_TAKEN', 'distributor_grades.rank': 'GRADE_NAME_TAKEN' } };

/** A new or changed grade applies at once to whoever already meets it (never a downgrade). */
const upgradeEveryone = () => upgradeGrades(`SELECT member_id FROM distributors WHERE status = 'active'`, []);

async function findGrade(c: C, id: string) {
  const [grade] = await c.get('shop').orm.select().from(distributorGrades).where(eq(distributorGrades.id, id));
  if (!grade) throw new AppError('NOT_FOUND');
  return grade;
}

const ratesWithinCap = async (c: C, rates: unknown) => (rates === null || rates === undefined ? null : parseRule(rates, (await currentSettings(c)).capBps));

// ─── Withdrawals and payouts (D8, D9) ───────────────────────────────────────────────────────

/**
 * Methods paid by a person, not by a provider's transfer API: only these may be marked paid or
 * failed by hand. A WeChat or Alipay payout may be in flight at the provider, and calling it
 * failed by hand while it later succeeds would pay the distributor twice.
 */
const MANUAL_METHODS: readonly string[] = ['offline', 'bank'];

function assertManual(method: string) {
  if (!MANUAL_METHODS.includes(method)) throw new AppError('WITHDRAWAL_STATE', { method, manualMethods: MANUAL_METHODS });
}

const withdrawalColumns = {
  id: withdrawals.id, distributorId: withdrawals.distributorId, distributorName: members.nickname, shopName: distributors.shopName,
  amount: withdrawals.amount, fee: withdrawals.fee, net: withdrawals.net, method: withdrawals.method, account: withdrawals.account,
  status: withdrawals.status, batchId: withdrawals.batchId, reason: withdrawals.reason, externalId: withdrawals.externalId,
  reviewedBy: withdrawals.reviewedBy, createdAt: withdrawals.createdAt, updatedAt: withdrawals.updatedAt,
};

const selectWithdrawals = (c: C) => c.get('shop').orm.select(withdrawalColumns).from(withdrawals)
  .innerJoin(members, eq(members.id, withdrawals.distributorId))
  .leftJoin(distributors, eq(distributors.memberId, withdrawals.distributorId));

async function withdrawalView(c: C, id: string) {
  const [row] = await selectWithdrawals(c).where(eq(withdrawals.id, id));
  return row!;
}

/** Loads the withdrawal, runs one package transition audited in its batch, answers the new row. */
async function reviewWithdrawal(c: C, action: string, to: string, run: (db: Client, id: string) => Promise<unknown>, extra: { manualOnly?: boolean; after?: Record<string, unknown> } = {}) {
  const w = await loadWithdrawal(c.get('shop').db, c.req.param('id')!);
  if (extra.manualOnly) assertManual(w.method);
  const outcome = await run(auditedDb(c, { entity: 'withdrawal', entityId: w.id, action, before: { status: w.status }, after: { status: to, ...extra.after } }), w.id);
  return c.json({ withdrawal: await withdrawalView(c, w.id), ...(typeof outcome === 'string' ? { outcome } : {}) });
}

async function findBatch(c: C, id: string) {
  const [batch] = await c.get('shop').orm.select({
    id: payoutBatches.id, title: payoutBatches.title, method: payoutBatches.method, items: payoutBatches.items, amount: payoutBatches.amount,
    createdBy: payoutBatches.createdBy, createdByName: staff.name, createdAt: payoutBatches.createdAt,
  }).from(payoutBatches).leftJoin(staff, eq(staff.id, payoutBatches.createdBy)).where(eq(payoutBatches.id, id));
  if (!batch) throw new AppError('NOT_FOUND');
  return batch;
}

/**
 * The audit row of a new payout batch. The package mints the batch id inside its batch, so this
 * row, riding last in that batch, reads the batch it records back from the table.
 */
function payoutBatchAudit(c: C, input: { period?: string; distributorIds?: string[] }): InStatement {
  const actor = actorOf(c);
  return {
    sql: `INSERT INTO audit_log (id, staff_id, staff_name, entity, entity_id, action, before, after, ip, created_at)
          SELECT ?, ?, ?, 'payout_batch', id, 'create', NULL,
                 json_object('title', title, 'method', method, 'items', items, 'amount', amount, 'period', ?, 'distributorIds', json(?)), ?, ?
          FROM payout_batches WHERE rowid = (SELECT max(rowid) FROM payout_batches)`,
    args: [newId(), actor.staffId, actor.staffName, input.period ?? null, JSON.stringify(input.distributorIds ?? null), actor.ip, now(c)],
  };
}

/** How many distributors a batch would pay: nothing to pay is refused before a batch is made. */
async function payableCount(db: Client, input: { period?: string; distributorIds?: string[] }) {
  const rs = input.period
    ? await db.execute({ sql: `SELECT count(*) AS n FROM settlement_statements s JOIN wallets w ON w.distributor_id = s.distributor_id WHERE s.period = ? AND min(w.available, s.amount - s.debt_paid) > 0`, args: [input.period] })
    : await db.execute({ sql: `SELECT count(*) AS n FROM wallets WHERE available > 0 AND distributor_id IN (${input.distributorIds!.map(() => '?').join(', ')})`, args: input.distributorIds! });
  return Number(rs.rows[0]!.n);
}

const PAYOUT_COLUMNS = ['付款单号', '分销商', '店铺', '收款方式', '开户行/账号类型', '收款账号', '收款人', '金额(元)', '状态', '打款凭证/原因'];
const METHOD_LABELS: Record<string, string> = { wechat: '微信零钱', alipay: '支付宝', bank: '银行卡', offline: '线下' };
const WITHDRAWAL_LABELS: Record<string, string> = { pending: '待审核', approved: '待打款', paying: '打款中', paid: '已打款', rejected: '已驳回', failed: '打款失败' };

/** Fen as yuan with two decimals, in integers only: 123456 → "1234.56". */
const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

/** Long digit strings (bank cards, 2088… Alipay ids) grouped by four, or a spreadsheet rounds them to 15 digits. */
const accountNumber = (no: string) => (/^\d{12,}$/.test(no.replace(/\s+/g, '')) ? no.replace(/\s+/g, '').replace(/(\d{4})(?=\d)/g, '$1 ') : no);

function accountCells(account: Record<string, string>): [kind: string, number: string, holder: string] {
  const field = (k: string) => (typeof account[k] === 'string' ? account[k] : '');
  return [field('bankName') || field('note'), accountNumber(field('accountNo') || field('identity') || field('openid')), field('realName')];
}

// ─── Materials (D11) ────────────────────────────────────────────────────────────────────────

const IMAGE_COUNTS: Record<(typeof materialKinds)[number], [min: number, max: number]> = { single: [1, 1], multi: [2, 9], nine: [9, 9] };

async function assertMaterial(c: C, m: { kind: (typeof materialKinds)[number]; images: string[]; productId: string | null }) {
  const [min, max] = IMAGE_COUNTS[m.kind];
  if (m.images.length < min || m.images.length > max) {
    throw new AppError('VALIDATION_FAILED', [{ path: 'images', message: min === max ? `${m.kind}: exactly ${min} image(s)` : `${m.kind}: ${min}–${max} images` }]);
  }
  // Like product images: only this shop's uploaded keys (the upload route is the only way in).
  const prefix = imagePrefixOf(c.get('shop').tenant);
  if (m.images.some((key) => !key.startsWith(prefix) || key.includes('..'))) throw new AppError('IMAGE_NOT_FOUND');
  if (m.productId) {
    const [p] = await c.get('shop').orm.select({ id: products.id }).from(products).where(and(eq(products.id, m.productId), isNull(products.deletedAt)));
    if (!p) throw new AppError('PRODUCT_NOT_FOUND');
  }
}

async function findMaterial(c: C, id: string) {
  const [m] = await c.get('shop').orm.select().from(shareMaterials).where(eq(shareMaterials.id, id));
  if (!m) throw new AppError('NOT_FOUND');
  return m;
}

// ─── Routes ─────────────────────────────────────────────────────────────────────────────────

/** Distribution in the shop admin (D1–D12). */
export const adminDistributionRoutes = new Hono<AppEnv>()
  // Settings
  .get('/distribution/settings', permit('distributors.view'), async (c) => {
    const { settings: current, timeZone } = await loadDistributionContext(c.get('shop').db);
    return c.json({ settings: current, timeZone, limits: PLATFORM_LIMITS });
  })
  .put('/distribution/settings', permit('distributors.manage'), json(v.unknown()), async (c) => {
    // The whole body goes to assertCompliant: an entry fee or a per-recruit reward is refused by
    // its own code before the schema would call it merely an unknown field.
    const next = assertCompliant(c.req.valid('json'));
    await assertRulesFit(c.get('shop').db, next.capBps);
    const before = await currentSettings(c);
    await commitAudited(c, [upsertSetting(c, 'distribution', next)], { entity: 'settings', entityId: 'distribution', action: 'update', before, after: next });
    return c.json({ settings: next, limits: PLATFORM_LIMITS });
  })

  // Applications and distributors
  .get('/distributors', permit('distributors.view'), query(DistributorFilter), async (c) => {
    const f = c.req.valid('query');
    const where: (SQL | undefined)[] = [];
    if (f.status) where.push(inArray(distributors.status, f.status));
    if (f.gradeId) where.push(eq(distributors.gradeId, f.gradeId));
    if (f.q) {
      const pattern = likeAny(f.q);
      where.push(or(sql`${members.nickname} LIKE ${pattern} ESCAPE '\\'`, sql`${members.username} LIKE ${pattern} ESCAPE '\\'`,
        sql`${distributors.shopName} LIKE ${pattern} ESCAPE '\\'`, eq(distributors.inviteCode, f.q.toUpperCase())));
    }
    if (f.cursor) {
      const [at, id] = splitCursor(f.cursor);
      where.push(or(lt(distributors.appliedAt, at), and(eq(distributors.appliedAt, at), lt(distributors.memberId, id))));
    }
    const rows = await selectDistributors(c).where(and(...where)).orderBy(desc(distributors.appliedAt), desc(distributors.memberId)).limit(31);
    return c.json(page(rows, 30, (r) => `${r.appliedAt}~${r.memberId}`));
  })
  .get('/distributors/:id', permit('distributors.view'), async (c) => c.json(await distributorDetail(c, c.req.param('id'))))
  .get('/distributors/:id/team', permit('distributors.view'), query(TeamFilter), async (c) => {
    const { level, cursor } = c.req.valid('query');
    const d = await findDistributor(c, c.req.param('id'));
    return c.json(await teamPage(c, d.memberId, Number(level) as 1 | 2 | 3, cursor));
  })
  .post('/distributors/:id/approve', permit('distributors.manage'), noInput, async (c) =>
    moveDistributor(c, 'approve', 'active', async (db, id) => {
      await approveDistributor(db, id, now(c));
      c.set('eventsWritten', true);
    }))
  .post('/distributors/:id/reject', permit('distributors.manage'), json(v.strictObject({ reason: Reason })), async (c) => {
    const { reason } = c.req.valid('json');
    return moveDistributor(c, 'reject', 'rejected', (db, id) => rejectDistributor(db, id, reason, now(c)));
  })
  .post('/distributors/:id/disable', permit('distributors.manage'), noInput, async (c) =>
    moveDistributor(c, 'disable', 'disabled', (db, id) => disableDistributor(db, id, now(c))))
  .post('/distributors/:id/enable', permit('distributors.manage'), noInput, async (c) =>
    moveDistributor(c, 'enable', 'active', (db, id) => enableDistributor(db, id, now(c))))

  // Commission rules
  .get('/distribution/rules', permit('distributors.view'), query(RuleFilter), async (c) => {
    const f = c.req.valid('query');
    const where: (SQL | undefined)[] = [];
    if (f.scope) where.push(eq(commissionOverrides.scope, f.scope));
    if (f.cursor) {
      const [scope, id] = f.cursor.split('~') as [Scope, string];
      where.push(or(gt(commissionOverrides.scope, scope), and(eq(commissionOverrides.scope, scope), gt(commissionOverrides.targetId, id))));
    }
    const rows = await c.get('shop').orm.select({
      scope: commissionOverrides.scope, targetId: commissionOverrides.targetId, rule: commissionOverrides.rule, updatedAt: commissionOverrides.updatedAt,
      productTitle: products.title, productDeletedAt: products.deletedAt, categoryName: categories.name,
    }).from(commissionOverrides)
      .leftJoin(products, and(eq(commissionOverrides.scope, 'product'), eq(products.id, commissionOverrides.targetId)))
      .leftJoin(categories, and(eq(commissionOverrides.scope, 'category'), eq(categories.id, commissionOverrides.targetId)))
      .where(and(...where)).orderBy(asc(commissionOverrides.scope), asc(commissionOverrides.targetId)).limit(101);
    const items = rows.map(({ productTitle, productDeletedAt, categoryName, ...r }) => ({
      ...r, name: r.scope === 'product' ? productTitle : categoryName, targetMissing: r.scope === 'product' ? productTitle === null || productDeletedAt !== null : categoryName === null,
    }));
    return c.json(page(items, 100, (r) => `${r.scope}~${r.targetId}`));
  })
  .put('/distribution/rules/product/:id', permit('distributors.manage'), json(v.unknown()), async (c) => putRule(c, 'product', c.req.valid('json')))
  .put('/distribution/rules/category/:id', permit('distributors.manage'), json(v.unknown()), async (c) => putRule(c, 'category', c.req.valid('json')))
  .delete('/distribution/rules/product/:id', permit('distributors.manage'), async (c) => deleteRule(c, 'product'))
  .delete('/distribution/rules/category/:id', permit('distributors.manage'), async (c) => deleteRule(c, 'category'))

  // Grades
  .get('/distribution/grades', permit('distributors.view'), async (c) => {
    const { orm } = c.get('shop');
    // Holders are counted by a scan of distributors (grade_id has no index): fine for an admin page.
    const [grades, holders] = await Promise.all([
      orm.select().from(distributorGrades).orderBy(asc(distributorGrades.rank)),
      orm.select({ gradeId: distributors.gradeId, n: count() }).from(distributors).where(sql`${distributors.gradeId} IS NOT NULL`).groupBy(distributors.gradeId),
    ]);
    return c.json({ grades: grades.map((g) => ({ ...g, holders: holders.find((h) => h.gradeId === g.id)?.n ?? 0 })) });
  })
  .post('/distribution/grades', permit('distributors.manage'), json(GradeInput), async (c) => {
    const input = c.req.valid('json');
    const grade = { id: newId(), ...input, rates: await ratesWithinCap(c, input.rates), createdAt: now(c), updatedAt: now(c) };
    const { orm } = c.get('shop');
    await commitStatements(c, [toStatement(orm.insert(distributorGrades).values(grade)), upgradeEveryone()],
      { entity: 'distributor_grade', entityId: grade.id, action: 'create', before: null, after: grade }, GRADE_UNIQUE);
    return c.json({ grade: await findGrade(c, grade.id) }, 201);
  })
  .patch('/distribution/grades/:id', permit('distributors.manage'), json(GradePatch), async (c) => {
    const before = await findGrade(c, c.req.param('id'));
    const patch = c.req.valid('json');
    const after = {
      ...before,
      ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)),
      ...(patch.rates !== undefined ? { rates: await ratesWithinCap(c, patch.rates) } : {}),
      updatedAt: now(c),
    };
    const { orm } = c.get('shop');
    const statements = [toStatement(orm.update(distributorGrades).set(after).where(eq(distributorGrades.id, before.id)))];
    // Holders keep their grade under its new rank (grade_rank is what upgrades compare).
    if (after.rank !== before.rank) statements.push(toStatement(orm.update(distributors).set({ gradeRank: after.rank }).where(eq(distributors.gradeId, before.id))));
    await commitStatements(c, [...statements, upgradeEveryone()], { entity: 'distributor_grade', entityId: before.id, action: 'update', before, after }, GRADE_UNIQUE);
    return c.json({ grade: await findGrade(c, before.id) });
  })
  .delete('/distribution/grades/:id', permit('distributors.manage'), async (c) => {
    const before = await findGrade(c, c.req.param('id'));
    const [held] = await c.get('shop').orm.select({ n: count() }).from(distributors).where(eq(distributors.gradeId, before.id));
    if (held && held.n > 0) throw new AppError('GRADE_IN_USE', { holders: held.n });
    // The check above answers the common case; the guard keeps a grade given meanwhile.
    await commitStatements(c, [
      { sql: `DELETE FROM distributor_grades WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM distributors WHERE grade_id = ?1)`, args: [before.id] },
      { sql: `INSERT INTO invariant_guards (name, holds) SELECT 'grade_unused', changes() = 1`, args: [] },
      'DELETE FROM invariant_guards',
    ], { entity: 'distributor_grade', entityId: before.id, action: 'delete', before, after: null }, { guard: 'GRADE_IN_USE' });
    return c.json({ ok: true });
  })

  // Commission records
  .get('/commissions', permit('commissions.view'), query(CommissionFilter), async (c) => {
    const f = c.req.valid('query');
    const where: SQL[] = [];
    if (f.status) where.push(inArray(commissions.status, f.status));
    if (f.distributorId) where.push(eq(commissions.distributorId, f.distributorId));
    if (f.orderId) where.push(eq(commissions.orderId, f.orderId));
    if (f.cursor) where.push(lt(commissions.id, f.cursor));
    const rows = await c.get('shop').orm.select({
      id: commissions.id, orderId: commissions.orderId, orderNo: orders.orderNo, orderLineId: commissions.orderLineId,
      distributorId: commissions.distributorId, distributorName: members.nickname, shopName: distributors.shopName,
      level: commissions.level, base: commissions.base, rateMode: commissions.rateMode, rate: commissions.rate, amount: commissions.amount,
      reversed: commissions.reversed, status: commissions.status, settleAfter: commissions.settleAfter, settledAt: commissions.settledAt,
      settlementPeriod: commissions.settlementPeriod, createdAt: commissions.createdAt,
    }).from(commissions)
      .innerJoin(orders, eq(orders.id, commissions.orderId))
      .innerJoin(members, eq(members.id, commissions.distributorId))
      .leftJoin(distributors, eq(distributors.memberId, commissions.distributorId))
      .where(and(...where)).orderBy(desc(commissions.id)).limit(51);
    return c.json(page(rows, 50, (r) => r.id));
  })

  // Settlements
  .get('/settlements', permit('commissions.view'), query(CursorOnly), async (c) => {
    const { cursor } = c.req.valid('query');
    const where: (SQL | undefined)[] = [];
    if (cursor) {
      const [end, period] = splitCursor(cursor);
      where.push(or(lt(settlementRuns.periodEnd, end), and(eq(settlementRuns.periodEnd, end), lt(settlementRuns.period, period))));
    }
    const rows = await c.get('shop').orm.select().from(settlementRuns).where(and(...where))
      .orderBy(desc(settlementRuns.periodEnd), desc(settlementRuns.period)).limit(51);
    return c.json(page(rows, 50, (r) => `${r.periodEnd}~${r.period}`));
  })
  .get('/settlements/:period', permit('commissions.view'), query(v.object({ cursor: v.optional(Id) })), async (c) => {
    const period = c.req.param('period');
    const { orm } = c.get('shop');
    const [run] = PERIOD.test(period) ? await orm.select().from(settlementRuns).where(eq(settlementRuns.period, period)) : [];
    if (!run) throw new AppError('NOT_FOUND');
    const { cursor } = c.req.valid('query');
    const rows = await orm.select({
      distributorId: settlementStatements.distributorId, distributorName: members.nickname, shopName: distributors.shopName,
      commissions: settlementStatements.commissions, amount: settlementStatements.amount, debtPaid: settlementStatements.debtPaid, createdAt: settlementStatements.createdAt,
    }).from(settlementStatements)
      .innerJoin(members, eq(members.id, settlementStatements.distributorId))
      .leftJoin(distributors, eq(distributors.memberId, settlementStatements.distributorId))
      .where(and(eq(settlementStatements.period, period), cursor ? gt(settlementStatements.distributorId, cursor) : undefined))
      .orderBy(asc(settlementStatements.distributorId)).limit(101);
    return c.json({ run, ...page(rows, 100, (r) => r.distributorId) });
  })
  .post('/settlements/run', permit('payouts.manage'), noInput, async (c) => {
    // The scheduler runs this too; by hand it settles the latest closed period if nobody has yet.
    const db = c.get('shop').db;
    const ctx = await loadDistributionContext(db);
    const period = lastClosedPeriod(now(c), ctx.timeZone, ctx.settings.settlement.period).key;
    const result = await settleClosedPeriod(auditedDb(c, { entity: 'settlement', entityId: period, action: 'run', before: null, after: { period } }), ctx, now(c));
    const [run] = await c.get('shop').orm.select().from(settlementRuns).where(eq(settlementRuns.period, result.period));
    return c.json({ ...result, run: run ?? null });
  })

  // Withdrawals
  .get('/withdrawals', permit('withdrawals.review'), query(WithdrawalFilter), async (c) => {
    const f = c.req.valid('query');
    const where: SQL[] = [];
    if (f.status) where.push(inArray(withdrawals.status, f.status));
    if (f.method) where.push(eq(withdrawals.method, f.method));
    if (f.distributorId) where.push(eq(withdrawals.distributorId, f.distributorId));
    if (f.batchId) where.push(eq(withdrawals.batchId, f.batchId));
    if (f.cursor) where.push(lt(withdrawals.id, f.cursor));
    const rows = await selectWithdrawals(c).where(and(...where)).orderBy(desc(withdrawals.id)).limit(51);
    return c.json(page(rows, 50, (r) => r.id));
  })
  .post('/withdrawals/:id/approve', permit('withdrawals.review'), noInput, async (c) =>
    reviewWithdrawal(c, 'approve', 'approved', (db, id) => approveWithdrawal(db, id, c.get('staff').id, now(c))))
  .post('/withdrawals/:id/reject', permit('withdrawals.review'), json(v.strictObject({ reason: Reason })), async (c) => {
    const { reason } = c.req.valid('json');
    return reviewWithdrawal(c, 'reject', 'rejected', (db, id) => rejectWithdrawal(db, id, c.get('staff').id, reason, now(c)), { after: { reason } });
  })
  .post('/withdrawals/:id/mark-paid', permit('withdrawals.review'), json(v.strictObject({ reference: Reason })), async (c) => {
    const { reference } = c.req.valid('json');
    c.set('eventsWritten', true);
    return reviewWithdrawal(c, 'mark_paid', 'paid', (db, id) => markWithdrawalPaid(db, id, reference, now(c)), { manualOnly: true, after: { reference } });
  })
  .post('/withdrawals/:id/mark-failed', permit('withdrawals.review'), json(v.strictObject({ reason: Reason })), async (c) => {
    const { reason } = c.req.valid('json');
    return reviewWithdrawal(c, 'mark_failed', 'failed', (db, id) => markWithdrawalFailed(db, id, reason, now(c)), { manualOnly: true, after: { reason } });
  })

  // Payout batches
  .post('/payout-batches', permit('payouts.manage'), json(PayoutBatchInput), async (c) => {
    const input = c.req.valid('json');
    const { db, orm } = c.get('shop');
    if (input.period && !(await orm.select({ p: settlementRuns.period }).from(settlementRuns).where(eq(settlementRuns.period, input.period))).length) throw new AppError('NOT_FOUND');
    if (input.distributorIds) {
      const found = await orm.select({ id: distributors.memberId }).from(distributors).where(inArray(distributors.memberId, input.distributorIds));
      const missing = input.distributorIds.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw new AppError('DISTRIBUTOR_NOT_FOUND', { missing });
    }
    if ((await payableCount(db, input)) === 0) throw new AppError('INSUFFICIENT_BALANCE');
    const batch = await createPayoutBatch(withAuditRow(c, payoutBatchAudit(c, input)), { ...input, staffId: c.get('staff').id }, now(c));
    return c.json({ batch: await findBatch(c, batch.id) }, 201);
  })
  .get('/payout-batches', permit('payouts.manage'), query(v.object({ cursor: v.optional(Id) })), async (c) => {
    const { cursor } = c.req.valid('query');
    const rows = await c.get('shop').orm.select({
      id: payoutBatches.id, title: payoutBatches.title, method: payoutBatches.method, items: payoutBatches.items, amount: payoutBatches.amount,
      createdBy: payoutBatches.createdBy, createdByName: staff.name, createdAt: payoutBatches.createdAt,
    }).from(payoutBatches).leftJoin(staff, eq(staff.id, payoutBatches.createdBy))
      .where(cursor ? lt(payoutBatches.id, cursor) : undefined).orderBy(desc(payoutBatches.id)).limit(31);
    return c.json(page(rows, 30, (r) => r.id));
  })
  .get('/payout-batches/:id', permit('payouts.manage'), query(v.object({ cursor: v.optional(Ref) })), async (c) => {
    const batch = await findBatch(c, c.req.param('id'));
    const { cursor } = c.req.valid('query');
    const [byStatus, rows] = await Promise.all([
      c.get('shop').orm.select({ status: withdrawals.status, items: count(), amount: sum(withdrawals.net).mapWith(Number) })
        .from(withdrawals).where(eq(withdrawals.batchId, batch.id)).groupBy(withdrawals.status),
      selectWithdrawals(c).where(and(eq(withdrawals.batchId, batch.id), cursor ? gt(withdrawals.id, cursor) : undefined)).orderBy(asc(withdrawals.id)).limit(101),
    ]);
    return c.json({ batch, byStatus, ...page(rows, 100, (r) => r.id) });
  })
  .get('/payout-batches/:id/export.csv', permit('payouts.manage'), async (c) => {
    const batch = await findBatch(c, c.req.param('id'));
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="payout-${batch.id}.csv"`);
    // Streamed page by page: a batch of every distributor of a big shop never sits in memory whole.
    return stream(c, async (out) => {
      await out.write(`\uFEFF${PAYOUT_COLUMNS.map(csvCell).join(',')}\r\n`);
      let cursor = '';
      for (;;) {
        const rows = await selectWithdrawals(c).where(and(eq(withdrawals.batchId, batch.id), gt(withdrawals.id, cursor))).orderBy(asc(withdrawals.id)).limit(500);
        if (rows.length === 0) break;
        let chunk = '';
        for (const w of rows) {
          const [kind, number, holder] = accountCells(w.account);
          chunk += [w.id, w.distributorName, w.shopName ?? '', METHOD_LABELS[w.method] ?? w.method, kind, number, holder, yuan(w.net),
            WITHDRAWAL_LABELS[w.status] ?? w.status, w.externalId ?? w.reason ?? ''].map(csvCell).join(',') + '\r\n';
        }
        await out.write(chunk);
        cursor = rows.at(-1)!.id;
        if (rows.length < 500) break;
      }
    });
  })
  .post('/payout-batches/:id/mark-paid', permit('payouts.manage'), json(v.strictObject({ reference: Reason })), async (c) => {
    const batch = await findBatch(c, c.req.param('id'));
    assertManual(batch.method);
    const { reference } = c.req.valid('json');
    const { orm } = c.get('shop');
    const paid: string[] = [];
    const skipped: { id: string; code: string }[] = [];
    let cursor = '';
    for (;;) {
      const items = await orm.select({ id: withdrawals.id, status: withdrawals.status }).from(withdrawals)
        .where(and(eq(withdrawals.batchId, batch.id), eq(withdrawals.status, 'approved'), gt(withdrawals.id, cursor))).orderBy(asc(withdrawals.id)).limit(200);
      for (const item of items) {
        // Each item is its own guarded transition: one a reviewer changed meanwhile is skipped, not overwritten.
        try {
          const audited = auditedDb(c, { entity: 'withdrawal', entityId: item.id, action: 'mark_paid', before: { status: item.status }, after: { status: 'paid', reference, batchId: batch.id } });
          if ((await markWithdrawalPaid(audited, item.id, reference, now(c))) === 'paid') {
            paid.push(item.id);
            c.set('eventsWritten', true);
          }
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          skipped.push({ id: item.id, code: e.code });
        }
      }
      if (items.length < 200) break;
      cursor = items.at(-1)!.id;
    }
    return c.json({ batch, paid: paid.length, skipped });
  })

  // Share materials
  .get('/distribution/materials', permit('distributors.view'), query(v.object({ cursor: v.optional(Id) })), async (c) => {
    const { cursor } = c.req.valid('query');
    const rows = await c.get('shop').orm.select({
      id: shareMaterials.id, kind: shareMaterials.kind, title: shareMaterials.title, text: shareMaterials.text, images: shareMaterials.images,
      productId: shareMaterials.productId, productTitle: products.title, createdAt: shareMaterials.createdAt, updatedAt: shareMaterials.updatedAt,
    }).from(shareMaterials).leftJoin(products, eq(products.id, shareMaterials.productId))
      .where(cursor ? lt(shareMaterials.id, cursor) : undefined).orderBy(desc(shareMaterials.id)).limit(31);
    return c.json(page(rows, 30, (r) => r.id));
  })
  .post('/distribution/materials', permit('distributors.manage'), json(MaterialInput), async (c) => {
    const input = c.req.valid('json');
    await assertMaterial(c, input);
    const material = { id: newId(), ...input, createdAt: now(c), updatedAt: now(c) };
    await commitAudited(c, [c.get('shop').orm.insert(shareMaterials).values(material)], { entity: 'share_material', entityId: material.id, action: 'create', before: null, after: material });
    return c.json({ material }, 201);
  })
  .patch('/distribution/materials/:id', permit('distributors.manage'), json(MaterialPatch), async (c) => {
    const before = await findMaterial(c, c.req.param('id'));
    const patch = Object.fromEntries(Object.entries(c.req.valid('json')).filter(([, value]) => value !== undefined));
    const after = { ...before, ...patch, updatedAt: now(c) };
    await assertMaterial(c, after);
    await commitAudited(c, [c.get('shop').orm.update(shareMaterials).set(after).where(eq(shareMaterials.id, before.id))],
      { entity: 'share_material', entityId: before.id, action: 'update', before, after });
    return c.json({ material: after });
  })
  .delete('/distribution/materials/:id', permit('distributors.manage'), async (c) => {
    const before = await findMaterial(c, c.req.param('id'));
    await commitAudited(c, [c.get('shop').orm.delete(shareMaterials).where(eq(shareMaterials.id, before.id))],
      { entity: 'share_material', entityId: before.id, action: 'delete', before, after: null });
    return c.json({ ok: true });
  });
