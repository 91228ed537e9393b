import type { Client } from '@libsql/client';

export interface RateLimitRule {
  max: number;
  windowMs: number;
}

/**
 * Fixed-window counter in one upsert statement, so concurrent attempts count exactly and the
 * limit holds across processes and Worker isolates (the counter lives in the database).
 * Returns true while the caller is within the limit.
 */
export async function hitRateLimit(db: Client, key: string, rule: RateLimitRule, now: number): Promise<boolean> {
  const windowStart = now - (now % rule.windowMs);
  const rs = await db.execute({
    sql: `INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)
          ON CONFLICT(key) DO UPDATE SET
            count = CASE WHEN rate_limits.window_start < excluded.window_start THEN 1 ELSE rate_limits.count + 1 END,
            window_start = max(rate_limits.window_start, excluded.window_start)
          RETURNING count`,
    args: [key, windowStart],
  });
  return Number(rs.rows[0]?.count ?? 0) <= rule.max;
}
