import { createClient } from '@libsql/client';
import { sqlAccessProblems } from '@tuike/plugin-sdk/engine';
import { describe, expect, it } from 'vitest';

/**
 * SQLite as the oracle for the table extractor: in a database holding only the plugin's own
 * table, a statement that reaches any other table fails with "no such table". So every statement
 * the access rules allow must run here without that error — a missed table reference shows up
 * as a failure instead of as a leak.
 */
const templates = [
  'SELECT * FROM {T}',
  'SELECT * FROM plg_coupons_codes, {T}',
  'SELECT * FROM plg_coupons_codes a JOIN plg_coupons_codes b ON a.id = b.id, {T}',
  'SELECT * FROM plg_coupons_codes a JOIN plg_coupons_codes b ON CASE WHEN a.id > 0 THEN 1 END, {T}',
  'SELECT * FROM plg_coupons_codes a LEFT JOIN plg_coupons_codes b USING (id), {T}',
  'SELECT * FROM plg_coupons_codes INDEXED BY plg_coupons_codes_member, {T}',
  'SELECT * FROM plg_coupons_codes NATURAL JOIN {T}',
  'SELECT * FROM plg_coupons_codes CROSS JOIN {T} AS m',
  'SELECT * FROM plg_coupons_codes WHERE id IN {T}',
  'SELECT * FROM plg_coupons_codes WHERE id NOT IN {T}',
  'SELECT (SELECT 1 FROM {T})',
  'SELECT * FROM ({T})',
  'SELECT * FROM ((plg_coupons_codes), {T})',
  'SELECT * FROM (SELECT 1) AS t, {T}',
  'WITH x AS (SELECT 1) SELECT * FROM x, {T}',
  'WITH x AS (SELECT * FROM {T}) SELECT * FROM x',
  'WITH a AS (SELECT * FROM {T}), members AS (SELECT 1) SELECT * FROM a',
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r, {T} LIMIT 2) SELECT * FROM r',
  'SELECT (WITH members AS (SELECT 1) SELECT 1 FROM members), (SELECT 1 FROM {T})',
  'INSERT INTO plg_coupons_codes SELECT * FROM {T}',
  "INSERT INTO plg_coupons_codes (id, member_id, amount) VALUES ('a', (SELECT 1 FROM {T}), 1) ON CONFLICT DO NOTHING",
  "INSERT INTO plg_coupons_codes (id, member_id, amount) VALUES ('a', 'm', 1) ON CONFLICT (id) DO UPDATE SET amount = (SELECT 1 FROM {T})",
  'UPDATE plg_coupons_codes SET amount = (SELECT 1 FROM {T})',
  'UPDATE plg_coupons_codes SET amount = 1 FROM {T}',
  'UPDATE plg_coupons_codes SET amount = 1, member_id = 2 FROM plg_coupons_codes AS x, {T}',
  'DELETE FROM plg_coupons_codes WHERE EXISTS (SELECT 1 FROM {T})',
  'DELETE FROM plg_coupons_codes WHERE id IN {T} RETURNING *',
  'SELECT * FROM plg_coupons_codes WHERE 1 IS NOT DISTINCT FROM (SELECT 1 FROM {T})',
  'SELECT id FROM plg_coupons_codes UNION SELECT 1 FROM {T}',
  "SELECT id FROM plg_coupons_codes WHERE id = 'x' UNION ALL VALUES ((SELECT 1 FROM {T}))",
  'SELECT * FROM json_each((SELECT 1 FROM {T}))',
  'SELECT * FROM plg_coupons_codes ORDER BY (SELECT 1 FROM {T})',
  'SELECT * FROM plg_coupons_codes LIMIT (SELECT 1 FROM {T})',
  'SELECT id FROM plg_coupons_codes GROUP BY id HAVING (SELECT 1 FROM {T})',
  'SELECT sum(amount) OVER (ORDER BY (SELECT 1 FROM {T})) FROM plg_coupons_codes',
  'SELECT sum(amount) FILTER (WHERE id IN (SELECT 1 FROM {T})) FROM plg_coupons_codes',
  'SELECT * FROM plg_coupons_codes WHERE (id, amount) IN (SELECT 1, 2 FROM {T})',
  'SELECT CAST((SELECT 1 FROM {T}) AS TEXT)',
  'SELECT * FROM plg_coupons_codes WHERE amount BETWEEN 1 AND (SELECT 1 FROM {T})',
  "SELECT * FROM plg_coupons_codes WHERE id LIKE (SELECT 1 FROM {T}) ESCAPE '!'",
  'SELECT * FROM plg_coupons_codes a JOIN plg_coupons_codes b ON a.id = b.id JOIN {T}',
  'SELECT * FROM plg_coupons_codes WHERE amount = (SELECT max(x) FROM (SELECT 1 AS x FROM {T}))',
  'INSERT INTO {T} VALUES (1)',
  'REPLACE INTO {T} VALUES (1)',
  'UPDATE {T} SET a = 1',
  'UPDATE OR IGNORE {T} SET a = 1',
  'DELETE FROM {T}',
];
const names = ['members', '"members"', '[members]', '`members`', "'members'", 'main.members', 'MEMBERS', 'main."members"', '/* x */ members', 'members -- x\n'];

describe('the SQL access rules against SQLite itself', () => {
  it('never allow a statement that reaches a table other than the plugin\'s', async () => {
    const client = createClient({ url: ':memory:' });
    await client.executeMultiple(`CREATE TABLE plg_coupons_codes (id TEXT PRIMARY KEY, member_id TEXT, amount INTEGER);
      CREATE INDEX plg_coupons_codes_member ON plg_coupons_codes (member_id); INSERT INTO plg_coupons_codes VALUES ('c1', 'm1', 1);`);
    const policy = { prefix: 'plg_coupons_', readable: new Set<string>(), mode: 'write' as const };
    let refused = 0;
    const leaks: string[] = [];
    for (const template of templates) {
      for (const name of names) {
        const sql = template.replaceAll('{T}', name);
        if (sqlAccessProblems(sql, policy).length) { refused++; continue; }
        const error = await client.execute(sql).then(() => null, (e: unknown) => String(e));
        if (error?.includes('no such table')) leaks.push(`${sql} → ${error}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(refused).toBe(templates.length * names.length);

    // The same shapes on the plugin's own table are all allowed, and SQLite finds every table.
    const own = ['plg_coupons_codes', '"PLG_COUPONS_CODES"', 'main.[plg_coupons_codes]'];
    const wronglyRefused: string[] = [];
    for (const template of templates) {
      for (const name of own) {
        const sql = template.replaceAll('{T}', name);
        if (sqlAccessProblems(sql, policy).length) { wronglyRefused.push(sql); continue; }
        const error = await client.execute(sql).then(() => null, (e: unknown) => String(e));
        if (error?.includes('no such table')) leaks.push(`${sql} → ${error}`);
      }
    }
    client.close();
    expect(wronglyRefused).toEqual([]);
    expect(leaks).toEqual([]);
  });
});
