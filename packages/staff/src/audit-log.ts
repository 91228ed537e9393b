import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { newId } from '@tuike/core';
import { auditLog } from '@tuike/db-tenant';
import type { ShopOrm } from './shop-orm';

export interface AuditActor {
  staffId: string | null;
  staffName: string;
  ip: string | null;
}

export interface AuditEntry {
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

/** The audit row as a query, to go into the same batch as the change it records. */
export function auditInsert(orm: ShopOrm, actor: AuditActor, entry: AuditEntry, now: number, id: string = newId()) {
  return orm.insert(auditLog).values({
    id,
    staffId: actor.staffId,
    staffName: actor.staffName,
    entity: entry.entity,
    entityId: entry.entityId,
    action: entry.action,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ip: actor.ip,
    createdAt: now,
  });
}

export interface AuditFilter {
  entity?: string;
  action?: string;
  staffId?: string;
  from?: number;
  to?: number;
  /** The id of the last row of the previous page (UUIDv7 ids sort by time). */
  cursor?: string;
  limit: number;
}

export async function listAudit(orm: ShopOrm, f: AuditFilter) {
  const conditions: SQL[] = [];
  if (f.entity) conditions.push(eq(auditLog.entity, f.entity));
  if (f.action) conditions.push(eq(auditLog.action, f.action));
  if (f.staffId) conditions.push(eq(auditLog.staffId, f.staffId));
  if (f.from !== undefined) conditions.push(gte(auditLog.createdAt, f.from));
  if (f.to !== undefined) conditions.push(lt(auditLog.createdAt, f.to));
  if (f.cursor) conditions.push(lt(auditLog.id, f.cursor));
  const rows = await orm.select().from(auditLog).where(and(...conditions)).orderBy(desc(auditLog.id)).limit(f.limit + 1);
  const items = rows.slice(0, f.limit);
  return { items, nextCursor: rows.length > f.limit ? items.at(-1)?.id ?? null : null };
}
