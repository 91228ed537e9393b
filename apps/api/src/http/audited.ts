import type { Context } from 'hono';
import type { InArgs, InStatement } from '@libsql/client';
import type { BatchItem } from 'drizzle-orm/batch';
import { AppError, isCheckViolation, isUniqueViolation, type ErrorCode } from '@tuike/core';
import { auditInsert, type AuditEntry } from '@tuike/staff';
import type { AppEnv } from '../context';
import { actorOf } from './staff-auth';

export type Batchable = BatchItem<'sqlite'>;

/** Which constraint failures of a batch mean which client error (a lost race, not a bug). */
export type ConstraintErrors = { unique?: Record<string, ErrorCode>; guard?: ErrorCode };

/** Applies an admin change and its audit row in one batch: the change is never unaudited. */
export async function commitAudited(c: Context<AppEnv>, changes: Batchable[], entry: AuditEntry, errors: ConstraintErrors = {}) {
  const { orm } = c.get('shop');
  const now = c.get('services').platform.clock.now();
  try {
    await orm.batch([auditInsert(orm, actorOf(c), entry, now), ...changes]);
  } catch (e) {
    for (const [column, code] of Object.entries(errors.unique ?? {})) if (isUniqueViolation(e, column)) throw new AppError(code);
    if (errors.guard && isCheckViolation(e, 'invariant_guards')) throw new AppError(errors.guard);
    throw e;
  }
}

/** The audit row as a raw statement, for batches built outside drizzle (orders, payments). */
export function auditStatement(c: Context<AppEnv>, entry: AuditEntry): InStatement {
  const { orm } = c.get('shop');
  const { sql, params } = auditInsert(orm, actorOf(c), entry, c.get('services').platform.clock.now()).toSQL();
  return { sql, args: params as InArgs };
}
