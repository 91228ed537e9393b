import type { Client, InStatement } from '@libsql/client';
import { AppError, isCheckViolation, isUniqueViolation, newId } from '@tuike/core';
import { shopEvent } from '@tuike/db-tenant';
import { applyEntries } from './ledger';
import { clearGuards, guard, movedOne } from './guards';
import type { DistributionSettings } from './settings';

export type PayoutMethod = 'wechat' | 'alipay' | 'bank' | 'offline';

export interface WithdrawalInput {
  amount: number;
  method: PayoutMethod;
  account: Record<string, string>;
}

/** The merchant keeps the fee: floor(amount × feeBps), so the distributor never pays a fen too much. */
export const withdrawalFee = (amount: number, feeBps: number) => Math.floor((amount * feeBps) / 10_000);

/** One movement of a withdrawal's money between wallet buckets, as a ledger entry and its application. */
function moveMoney(distributorId: string, withdrawalId: string, kind: string, amount: number, buckets: Partial<Record<'available' | 'reserved' | 'withdrawn', number>>, now: number): InStatement[] {
  const batchId = newId();
  return [
    { sql: `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, available, reserved, withdrawn, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [`${batchId}:${distributorId}`, batchId, distributorId, kind, withdrawalId, (buckets.available ?? 0) * amount, (buckets.reserved ?? 0) * amount, (buckets.withdrawn ?? 0) * amount, now] },
    applyEntries(batchId, now),
  ];
}

/**
 * Money coming back from a withdrawal that did not go out (rejected, payout failed): reserved →
 * available, but a debt the wallet took on meanwhile (a refund reversed settled commission while
 * the money was reserved) is paid off first, as with any money entering the wallet (D7).
 */
function returnMoney(distributorId: string, withdrawalId: string, kind: string, amount: number, now: number): InStatement[] {
  const batchId = newId();
  return [
    { sql: `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, reserved, available, debt, created_at)
            SELECT ?1, ?2, ?3, ?4, ?5, -?6, ?6 - min(w.debt, ?6), -min(w.debt, ?6), ?7 FROM wallets w WHERE w.distributor_id = ?3`,
      args: [`${batchId}:${distributorId}`, batchId, distributorId, kind, withdrawalId, amount, now] },
    applyEntries(batchId, now),
  ];
}

/**
 * A withdrawal request (D9): one batch creates it and reserves the amount (available → reserved).
 * `CHECK (available >= 0)` on the wallet refuses an overdraft whatever the concurrency; a guard
 * over the day's requests (the new one included) enforces the daily maximum in the same batch.
 */
export async function requestWithdrawal(db: Client, distributorId: string, input: WithdrawalInput, settings: DistributionSettings, day: string, now: number) {
  const rules = settings.withdrawal;
  if (!rules.methods.includes(input.method)) throw new AppError('WITHDRAWAL_METHOD_DISABLED');
  if (input.amount < Math.max(rules.minimum, 1)) throw new AppError('WITHDRAWAL_BELOW_MINIMUM', { minimum: rules.minimum });
  const fee = withdrawalFee(input.amount, rules.feeBps);
  if (input.amount - fee <= 0) throw new AppError('WITHDRAWAL_BELOW_MINIMUM', { minimum: rules.minimum });
  const id = newId();
  const statements: InStatement[] = [
    guard('is_distributor', `EXISTS (SELECT 1 FROM distributors WHERE member_id = ? AND status IN ('active', 'disabled'))`, [distributorId]),
    { sql: `INSERT INTO withdrawals (id, distributor_id, amount, fee, net, method, account, status, day, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      args: [id, distributorId, input.amount, fee, input.amount - fee, input.method, JSON.stringify(input.account), day, now, now] },
    guard('daily_max', `(SELECT sum(amount) FROM withdrawals WHERE distributor_id = ? AND day = ? AND status NOT IN ('rejected', 'failed')) <= ?`, [distributorId, day, rules.dailyMax]),
    ...moveMoney(distributorId, id, 'withdrawal.requested', input.amount, { available: -1, reserved: 1 }, now),
    { sql: `UPDATE distributors SET payout_account = json_set(?, '$.method', ?) WHERE member_id = ?`, args: [JSON.stringify(input.account), input.method, distributorId] },
    clearGuards,
  ];
  try {
    await db.batch(statements, 'write');
  } catch (e) {
    if (isCheckViolation(e, 'wallets_available')) throw new AppError('INSUFFICIENT_BALANCE');
    if (isCheckViolation(e, 'invariant_guards')) {
      // The first guard fails for anyone who is not (or not yet, or no longer) a distributor — an
      // applicant or a rejected one has a row too; for a distributor only the daily maximum can.
      const rs = await db.execute({ sql: `SELECT status FROM distributors WHERE member_id = ?`, args: [distributorId] });
      const status = rs.rows[0]?.status;
      throw new AppError(status === 'active' || status === 'disabled' ? 'WITHDRAWAL_DAILY_LIMIT' : 'NOT_DISTRIBUTOR');
    }
    throw e;
  }
  return { id, fee, net: input.amount - fee };
}

export interface WithdrawalRow { id: string; distributorId: string; amount: number; net: number; method: PayoutMethod; account: Record<string, string>; status: string }

export async function loadWithdrawal(db: Client, id: string): Promise<WithdrawalRow> {
  const rs = await db.execute({ sql: `SELECT id, distributor_id, amount, net, method, account, status FROM withdrawals WHERE id = ?`, args: [id] });
  const r = rs.rows[0];
  if (!r) throw new AppError('WITHDRAWAL_NOT_FOUND');
  return { id: String(r.id), distributorId: String(r.distributor_id), amount: Number(r.amount), net: Number(r.net), method: String(r.method) as PayoutMethod, account: JSON.parse(String(r.account)) as Record<string, string>, status: String(r.status) };
}

async function transition(db: Client, w: WithdrawalRow, from: string[], to: string, now: number, money: InStatement[], fields: { reason?: string | null; externalId?: string | null; reviewedBy?: string | null } = {}) {
  try {
    await db.batch([
      { sql: `UPDATE withdrawals SET status = ?, reason = coalesce(?, reason), external_id = coalesce(?, external_id), reviewed_by = coalesce(?, reviewed_by), updated_at = ?
              WHERE id = ? AND status IN (${from.map(() => '?').join(', ')})`,
        args: [to, fields.reason ?? null, fields.externalId ?? null, fields.reviewedBy ?? null, now, w.id, ...from] },
      movedOne(`withdrawal_${from.join('_')}`),
      ...money,
      ...(to === 'paid' || to === 'failed' || to === 'rejected' ? [notice(w, to, fields.reason ?? null, now)] : []),
      clearGuards,
    ], 'write');
  } catch (e) {
    if (isCheckViolation(e, 'invariant_guards')) throw new AppError('WITHDRAWAL_STATE');
    throw e;
  }
}

function notice(w: WithdrawalRow, outcome: string, reason: string | null, now: number): InStatement {
  const yuan = (w.net / 100).toFixed(2);
  const [title, body] = outcome === 'paid' ? ['提现已到账', `提现 ¥${yuan} 已打款`]
    : outcome === 'rejected' ? ['提现未通过', `提现申请未通过${reason ? `：${reason}` : ''}，金额已退回可提现余额`]
    : ['提现打款失败', `打款失败${reason ? `：${reason}` : ''}，金额已退回可提现余额`];
  return { sql: `INSERT INTO notifications (id, recipient_kind, recipient_id, type, title, body, ref, created_at) VALUES (?, 'member', ?, ?, ?, ?, ?, ?)`, args: [newId(), w.distributorId, `withdrawal.${outcome}`, title, body, w.id, now] };
}

/** Staff approve: the payout can go out. */
export async function approveWithdrawal(db: Client, id: string, staffId: string, now: number) {
  const w = await loadWithdrawal(db, id);
  await transition(db, w, ['pending'], 'approved', now, [], { reviewedBy: staffId });
}

/** Staff reject: the reserved amount goes back to the available balance (after any debt). */
export async function rejectWithdrawal(db: Client, id: string, staffId: string, reason: string, now: number) {
  const w = await loadWithdrawal(db, id);
  await transition(db, w, ['pending'], 'rejected', now, returnMoney(w.distributorId, w.id, 'withdrawal.rejected', w.amount, now), { reason, reviewedBy: staffId });
}

/**
 * A payout result, idempotent: a result already recorded is a duplicate — also when the same
 * callback arrives twice at once and the other delivery wins the race between our read and write.
 */
async function payoutResult<T extends 'paid' | 'failed'>(db: Client, w: WithdrawalRow, outcome: T, apply: () => Promise<void>): Promise<T | 'duplicate'> {
  if (w.status === outcome) return 'duplicate';
  try {
    await apply();
  } catch (e) {
    if (e instanceof AppError && e.code === 'WITHDRAWAL_STATE' && (await loadWithdrawal(db, w.id)).status === outcome) return 'duplicate';
    throw e;
  }
  return outcome;
}

/** The payout succeeded: reserved → withdrawn. Idempotent: a second success changes nothing. */
export async function markWithdrawalPaid(db: Client, id: string, externalId: string, now: number) {
  const w = await loadWithdrawal(db, id);
  return payoutResult(db, w, 'paid', () =>
    transition(db, w, ['approved', 'paying'], 'paid', now, [
      ...moveMoney(w.distributorId, w.id, 'withdrawal.paid', w.amount, { reserved: -1, withdrawn: 1 }, now),
      // What reached the distributor: the amount less the fee.
      shopEvent('withdrawal.paid', { withdrawalId: w.id, distributorId: w.distributorId, amount: w.net }, now),
    ], { externalId }));
}

/** The payout failed: the money returns to the available balance (after any debt). Idempotent likewise. */
export async function markWithdrawalFailed(db: Client, id: string, reason: string, now: number) {
  const w = await loadWithdrawal(db, id);
  return payoutResult(db, w, 'failed', () =>
    transition(db, w, ['approved', 'paying'], 'failed', now, returnMoney(w.distributorId, w.id, 'withdrawal.failed', w.amount, now), { reason }));
}

/** approved → paying, before the transfer is asked for: a crash after this is found by reconciliation. */
export async function startPayout(db: Client, id: string, now: number) {
  const w = await loadWithdrawal(db, id);
  await transition(db, w, ['approved'], 'paying', now, []);
  return w;
}

/**
 * A staff-made payout batch (D8): for each chosen distributor, the whole available balance (or,
 * for a period, at most what that period settled) becomes an approved withdrawal in one batch.
 * Amounts are taken from the wallets inside the batch, so no read can go stale.
 */
export async function createPayoutBatch(db: Client, input: { title: string; method: PayoutMethod; distributorIds?: string[]; period?: string; staffId: string }, now: number) {
  const batchId = newId();
  const entryBatch = newId();
  // Who may be in the batch is read first (each gets a UUID withdrawal id, the providers'
  // idempotency key); how much each gets is read inside the batch, so it cannot go stale.
  const candidates = input.period
    ? (await db.execute({ sql: `SELECT distributor_id FROM settlement_statements WHERE period = ?`, args: [input.period] })).rows.map((r) => String(r.distributor_id))
    : [...new Set(input.distributorIds ?? [])];
  const amountOf = input.period
    ? `SELECT s.distributor_id, min(w.available, s.amount - s.debt_paid) AS amount FROM settlement_statements s JOIN wallets w ON w.distributor_id = s.distributor_id WHERE s.period = ? AND s.distributor_id = ?`
    : `SELECT w.distributor_id, w.available AS amount FROM wallets w WHERE ? IS NULL AND w.distributor_id = ?`;
  const statements: InStatement[] = [
    { sql: `INSERT INTO payout_batches (id, title, method, period, items, amount, created_by, created_at) VALUES (?, ?, ?, ?, 0, 0, ?, ?)`, args: [batchId, input.title, input.method, input.period ?? null, input.staffId, now] },
    ...candidates.map((distributorId): InStatement => ({
      sql: `INSERT INTO withdrawals (id, distributor_id, amount, fee, net, method, account, status, day, batch_id, reviewed_by, created_at, updated_at)
            SELECT ?, x.distributor_id, x.amount, 0, x.amount, ?, coalesce(d.payout_account, '{}'), 'approved', '', ?, ?, ?, ?
            FROM (${amountOf}) x JOIN distributors d ON d.member_id = x.distributor_id WHERE x.amount > 0`,
      args: [newId(), input.method, batchId, input.staffId, now, now, input.period ?? null, distributorId],
    })),
    guard('payout_items', `EXISTS (SELECT 1 FROM withdrawals WHERE batch_id = ?)`, [batchId]),
    { sql: `INSERT INTO wallet_entries (id, batch_id, distributor_id, kind, ref, available, reserved, created_at)
            SELECT ? || ':' || distributor_id, ?, distributor_id, 'payout.batched', id, -amount, amount, ? FROM withdrawals WHERE batch_id = ?`,
      args: [entryBatch, entryBatch, now, batchId] },
    applyEntries(entryBatch, now),
    { sql: `UPDATE payout_batches SET items = (SELECT count(*) FROM withdrawals WHERE batch_id = ?1), amount = (SELECT sum(amount) FROM withdrawals WHERE batch_id = ?1) WHERE id = ?1`, args: [batchId] },
    clearGuards,
  ];
  try {
    await db.batch(statements, 'write');
  } catch (e) {
    if (isCheckViolation(e, 'wallets_available') || isCheckViolation(e, 'invariant_guards')) throw new AppError('INSUFFICIENT_BALANCE');
    if (isUniqueViolation(e, 'payout_batches.period')) throw new AppError('PAYOUT_PERIOD_PAID', { period: input.period });
    throw e;
  }
  const rs = await db.execute({ sql: `SELECT items, amount FROM payout_batches WHERE id = ?`, args: [batchId] });
  return { id: batchId, items: Number(rs.rows[0]!.items), amount: Number(rs.rows[0]!.amount) };
}
