import type { Client } from '@libsql/client';
import { AppError, hitRateLimit, type RateLimitRule } from '@tuike/core';

/** Counts one attempt under each key; refuses when any of them is over its limit. */
export async function throttle(db: Client, keys: string[], rule: RateLimitRule, now: number): Promise<void> {
  const results = await Promise.all(keys.map((k) => hitRateLimit(db, k, rule, now)));
  if (results.some((ok) => !ok)) throw new AppError('RATE_LIMITED');
}
