import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from '@libsql/client';
import { hitRateLimit } from './rate-limit';

let dir: string;
let db: Client;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tuike-rl-'));
  db = createClient({ url: `file:${join(dir, 'rl.db')}` });
  await db.execute('CREATE TABLE rate_limits (key TEXT PRIMARY KEY, window_start INTEGER NOT NULL, count INTEGER NOT NULL)');
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const rule = { max: 3, windowMs: 60_000 };
const T0 = Date.UTC(2026, 10, 1);

describe('hitRateLimit', () => {
  it('allows max attempts per window and refuses the next', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await hitRateLimit(db, 'k1', rule, T0 + i));
    expect(results).toEqual([true, true, true, false, false]);
  });

  it('starts counting again in the next window', async () => {
    for (let i = 0; i < 4; i++) await hitRateLimit(db, 'k2', rule, T0);
    expect(await hitRateLimit(db, 'k2', rule, T0 + 59_999)).toBe(false);
    expect(await hitRateLimit(db, 'k2', rule, T0 + 60_000)).toBe(true);
  });

  it('counts keys separately', async () => {
    for (let i = 0; i < 4; i++) await hitRateLimit(db, 'k3', rule, T0);
    expect(await hitRateLimit(db, 'k4', rule, T0)).toBe(true);
  });

  it('counts exactly under concurrency: of 20 simultaneous attempts exactly max pass', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(db, 'k5', rule, T0)));
    expect(results.filter(Boolean)).toHaveLength(3);
  });

  it('does not reset the window for an attempt with an older clock reading', async () => {
    for (let i = 0; i < 4; i++) await hitRateLimit(db, 'k6', rule, T0 + 60_000);
    expect(await hitRateLimit(db, 'k6', rule, T0)).toBe(false);
  });
});
