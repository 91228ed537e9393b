import type { Client, InStatement } from '@libsql/client';
import { AppError, isCheckViolation, isUniqueViolation, newId } from '@tuike/core';
import { shopEvent } from '@tuike/db-tenant';
import { upgradeGrades } from './ledger';
import { clearGuards, guard, movedOne } from './guards';
import type { DistributionSettings } from './settings';

/** Invite codes: 6 characters without look-alikes (0/O, 1/I/L), unguessable enough to not enumerate cheaply. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newInviteCode(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

const ACTIVE_BINDING = `SELECT b.distributor_id FROM member_bindings b JOIN distributors p ON p.member_id = b.distributor_id AND +p.status = 'active'
  WHERE b.member_id = ?1 AND (b.expires_at IS NULL OR b.expires_at > ?2)`;

/**
 * pending → active (D1). The upline is fixed now, from the member's binding, and only to an
 * already active distributor: nobody can be below the new distributor yet, so the tree never
 * loops. The three ancestors' team counters grow in the same batch, grades follow, a wallet opens.
 */
export function approveStatements(memberId: string, now: number, inviteCode: string): InStatement[] {
  const parentOf = (col: string) => `(SELECT p.${col} FROM distributors p WHERE p.member_id = (${ACTIVE_BINDING}))`;
  const ancestor = (col: string) => `(SELECT ${col} FROM distributors WHERE member_id = ?1)`;
  return [
    { sql: `UPDATE distributors SET status = 'active', approved_at = ?2, invite_code = ?3, reject_reason = NULL, updated_at = ?2,
              parent_id = (${ACTIVE_BINDING}), grandparent_id = ${parentOf('parent_id')}, great_grandparent_id = ${parentOf('grandparent_id')}
            WHERE member_id = ?1 AND status = 'pending'`, args: [memberId, now, inviteCode] },
    movedOne('distributor_pending'),
    { sql: `INSERT INTO wallets (distributor_id, updated_at) VALUES (?, ?) ON CONFLICT (distributor_id) DO NOTHING`, args: [memberId, now] },
    { sql: `UPDATE distributors SET direct_count = direct_count + 1, updated_at = ?2 WHERE member_id = ${ancestor('parent_id')}`, args: [memberId, now] },
    { sql: `UPDATE distributors SET team_l2_count = team_l2_count + 1, updated_at = ?2 WHERE member_id = ${ancestor('grandparent_id')}`, args: [memberId, now] },
    { sql: `UPDATE distributors SET team_l3_count = team_l3_count + 1, updated_at = ?2 WHERE member_id = ${ancestor('great_grandparent_id')}`, args: [memberId, now] },
    upgradeGrades(`SELECT parent_id FROM distributors WHERE member_id = ?1 UNION ALL SELECT grandparent_id FROM distributors WHERE member_id = ?1 UNION ALL SELECT great_grandparent_id FROM distributors WHERE member_id = ?1`, [memberId]),
    { sql: `INSERT INTO notifications (id, recipient_kind, recipient_id, type, title, body, ref, created_at) VALUES (?, 'member', ?, 'distributor.approved', '分销商申请已通过', '恭喜你成为分销商，现在可以分享店铺赚取佣金了', ?, ?)`, args: [newId(), memberId, memberId, now] },
    shopEvent('distributor.approved', { memberId }, now),
    clearGuards,
  ];
}

async function runApproval(db: Client, memberId: string, now: number, before: InStatement[] = []) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await db.batch([...before, ...approveStatements(memberId, now, newInviteCode())], 'write');
      return;
    } catch (e) {
      if (isUniqueViolation(e, 'distributors.invite_code')) continue;
      if (isCheckViolation(e, 'invariant_guards')) throw new AppError('DISTRIBUTOR_STATE');
      throw e;
    }
  }
  throw new Error('could not find a free invite code');
}

export interface Application {
  shopName: string;
  note: string;
}

/** Whether the member meets the shop's condition to apply (D1); there is never a fee. */
async function assertEligible(db: Client, memberId: string, settings: DistributionSettings, now: number) {
  const { mode, minOrders = 0, minSpend = 0 } = settings.eligibility;
  if (mode === 'anyone') return;
  const rs = await db.execute({
    sql: `SELECT count(*) AS n, coalesce(sum(pay_total), 0) AS spent, (${ACTIVE_BINDING}) AS bound
          FROM orders WHERE member_id = ?1 AND status IN ('paid', 'shipped', 'received', 'completed')`,
    args: [memberId, now],
  });
  const row = rs.rows[0]!;
  const ok = mode === 'after_orders' ? Number(row.n) >= minOrders
    : mode === 'after_spend' ? Number(row.spent) >= minSpend
    : row.bound !== null; // invite_only: the member came through a distributor's link or code
  if (!ok) throw new AppError('DISTRIBUTOR_NOT_ELIGIBLE', { mode, minOrders, minSpend });
}

/** A member applies (or re-applies after a rejection); auto-approve makes it active at once. */
export async function applyForDistributor(db: Client, memberId: string, input: Application, settings: DistributionSettings, now: number) {
  if (!settings.enabled) throw new AppError('DISTRIBUTION_DISABLED');
  await assertEligible(db, memberId, settings, now);
  const application: InStatement[] = [
    { sql: `INSERT INTO distributors (member_id, status, shop_name, apply_note, applied_at, updated_at) VALUES (?1, 'pending', ?2, ?3, ?4, ?4)
            ON CONFLICT (member_id) DO UPDATE SET status = 'pending', shop_name = ?2, apply_note = ?3, applied_at = ?4, updated_at = ?4 WHERE distributors.status = 'rejected'`,
      args: [memberId, input.shopName, input.note, now] },
    guard('distributor_new', `changes() = 1`),
  ];
  try {
    if (settings.autoApprove) await runApproval(db, memberId, now, application);
    else await db.batch([...application, clearGuards], 'write');
  } catch (e) {
    if (e instanceof AppError && e.code === 'DISTRIBUTOR_STATE') throw new AppError('DISTRIBUTOR_EXISTS');
    if (isCheckViolation(e, 'invariant_guards')) throw new AppError('DISTRIBUTOR_EXISTS');
    throw e;
  }
  return settings.autoApprove ? 'active' : 'pending';
}

export const approveDistributor = (db: Client, memberId: string, now: number) => runApproval(db, memberId, now);

async function move(db: Client, memberId: string, from: string, to: string, now: number, extra: InStatement[] = [], reason: string | null = null) {
  try {
    await db.batch([
      { sql: `UPDATE distributors SET status = ?, reject_reason = coalesce(?, reject_reason), updated_at = ? WHERE member_id = ? AND status = ?`, args: [to, reason, now, memberId, from] },
      movedOne(`distributor_${from}`),
      ...extra,
      clearGuards,
    ], 'write');
  } catch (e) {
    if (isCheckViolation(e, 'invariant_guards')) throw new AppError('DISTRIBUTOR_STATE');
    throw e;
  }
}

export const rejectDistributor = (db: Client, memberId: string, reason: string, now: number) => move(db, memberId, 'pending', 'rejected', now, [
  { sql: `INSERT INTO notifications (id, recipient_kind, recipient_id, type, title, body, ref, created_at) VALUES (?, 'member', ?, 'distributor.rejected', '分销商申请未通过', ?, ?, ?)`, args: [newId(), memberId, `原因：${reason}`, memberId, now] },
], reason);

/** Disabled distributors keep their money and their team but earn nothing new until enabled. */
export const disableDistributor = (db: Client, memberId: string, now: number) => move(db, memberId, 'active', 'disabled', now);
export const enableDistributor = (db: Client, memberId: string, now: number) => move(db, memberId, 'disabled', 'active', now);

export type BindSource = 'link' | 'code' | 'register';
export type BindOutcome = 'bound' | 'rebound' | 'kept' | 'ignored';

/**
 * Binds a customer to a distributor by the shop's binding mode (D3). Distributors themselves are
 * never re-bound (their upline is fixed at approval), which with "only to an active distributor"
 * makes a loop impossible. Every change is kept in binding_events.
 */
export async function bindMember(db: Client, memberId: string, inviteCode: string, source: BindSource, settings: DistributionSettings, now: number): Promise<BindOutcome> {
  if (!settings.enabled) return 'ignored';
  const rs = await db.execute({
    sql: `SELECT (SELECT member_id FROM distributors WHERE invite_code = ?1 AND +status = 'active') AS target,
                 (SELECT status FROM distributors WHERE member_id = ?2) AS own_status,
                 (SELECT distributor_id FROM member_bindings WHERE member_id = ?2 AND (expires_at IS NULL OR expires_at > ?3)) AS current`,
    args: [inviteCode, memberId, now],
  });
  const row = rs.rows[0]!;
  if (row.target === null) throw new AppError('INVITE_CODE_INVALID');
  const target = String(row.target);
  if (target === memberId) throw new AppError('BINDING_SELF');
  if (row.own_status === 'active' || row.own_status === 'disabled') return 'ignored';
  const current = row.current === null ? null : String(row.current);
  if (current === target) return 'kept';
  const mode = settings.binding.mode;
  if (current && mode !== 'latest') return 'kept';
  if (mode === 'on_register' && source !== 'register') return 'ignored';
  const expiresAt = settings.binding.expiryDays ? now + settings.binding.expiryDays * 86_400_000 : null;
  // The upsert only replaces what we read (or an expired binding), so two racing visits cannot
  // both win under first-touch; the event is written only when the binding changed.
  const [upsert] = await db.batch([
    { sql: `INSERT INTO member_bindings (member_id, distributor_id, source, bound_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (member_id) DO UPDATE SET distributor_id = ?2, source = ?3, bound_at = ?4, expires_at = ?5
            WHERE member_bindings.distributor_id IS ?6 OR (member_bindings.expires_at IS NOT NULL AND member_bindings.expires_at <= ?4)`,
      args: [memberId, target, source, now, expiresAt, current] },
    { sql: `INSERT INTO binding_events (id, member_id, distributor_id, previous_distributor_id, source, created_at) SELECT ?, ?, ?, ?, ?, ? WHERE changes() = 1`,
      args: [newId(), memberId, target, current, source, now] },
  ], 'write');
  // A concurrent visit changed the binding after our read: the upsert left it alone, so did we.
  if (upsert!.rowsAffected === 0) return 'kept';
  return current ? 'rebound' : 'bound';
}
