import type { Client } from '@libsql/client';
import { generateSessionToken, hashToken, SESSION_RENEW_WITHIN_MS, SESSION_TTL_MS } from './session-token';

export interface SessionRecord {
  subjectId: string;
  expiresAt: number;
  /** True when this validation extended the session: the cookie must be sent again. */
  renewed: boolean;
}

/**
 * Sessions on the Lucia model, over either database: the control plane's `account_sessions` or a
 * shop's `sessions` (which also carries the kind: staff or member). A shop's sessions live in the
 * shop's own database, so a token minted by one shop is unknown to every other shop.
 */
export function createSessionStore(table: 'account_sessions' | 'sessions', kind?: 'staff' | 'member') {
  const kindFilter = kind ? ' AND kind = ?' : '';
  const kindArgs = kind ? [kind] : [];
  return {
    async create(db: Client, subjectId: string, now: number): Promise<{ token: string; expiresAt: number }> {
      const token = generateSessionToken();
      const expiresAt = now + SESSION_TTL_MS;
      await db.execute({
        sql: kind
          ? `INSERT INTO ${table} (id, kind, subject_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`
          : `INSERT INTO ${table} (id, subject_id, expires_at, created_at) VALUES (?, ?, ?, ?)`,
        args: kind ? [hashToken(token), kind, subjectId, expiresAt, now] : [hashToken(token), subjectId, expiresAt, now],
      });
      return { token, expiresAt };
    },

    async validate(db: Client, token: string, now: number): Promise<SessionRecord | null> {
      if (!/^[a-z2-7]{32}$/.test(token)) return null;
      const id = hashToken(token);
      const rs = await db.execute({ sql: `SELECT subject_id, expires_at FROM ${table} WHERE id = ?${kindFilter}`, args: [id, ...kindArgs] });
      const row = rs.rows[0];
      if (!row) return null;
      const expiresAt = Number(row.expires_at);
      if (now >= expiresAt) {
        await db.execute({ sql: `DELETE FROM ${table} WHERE id = ?`, args: [id] });
        return null;
      }
      if (now >= expiresAt - SESSION_RENEW_WITHIN_MS) {
        const renewedUntil = now + SESSION_TTL_MS;
        await db.execute({ sql: `UPDATE ${table} SET expires_at = ? WHERE id = ?`, args: [renewedUntil, id] });
        return { subjectId: String(row.subject_id), expiresAt: renewedUntil, renewed: true };
      }
      return { subjectId: String(row.subject_id), expiresAt, renewed: false };
    },

    async invalidate(db: Client, token: string): Promise<void> {
      await db.execute({ sql: `DELETE FROM ${table} WHERE id = ?`, args: [hashToken(token)] });
    },

    async invalidateAll(db: Client, subjectId: string): Promise<void> {
      await db.execute({ sql: `DELETE FROM ${table} WHERE subject_id = ?${kindFilter}`, args: [subjectId, ...kindArgs] });
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
