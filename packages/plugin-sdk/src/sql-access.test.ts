import { describe, expect, it } from 'vitest';
import { ownsName, sqlAccessProblems, type SqlAccessPolicy } from './sql-access';

const policy = (mode: SqlAccessPolicy['mode'], readable: string[] = [], foreignPrefixes: string[] = []): SqlAccessPolicy => ({ prefix: 'plg_coupons_', readable: new Set(readable), mode, foreignPrefixes });
const codes = (sql: string, p: SqlAccessPolicy) => sqlAccessProblems(sql, p).map((x) => x.code);

describe('a plugin reaches its own tables', () => {
  it('may create, alter, fill and drop plg_{id}_ objects in a migration', () => {
    const sql = `CREATE TABLE plg_coupons_codes (id TEXT PRIMARY KEY, member_id TEXT NOT NULL, batch TEXT REFERENCES plg_coupons_batches(id));
      CREATE INDEX plg_coupons_codes_member ON plg_coupons_codes (member_id);
      CREATE VIEW plg_coupons_open AS SELECT * FROM plg_coupons_codes WHERE used_at IS NULL;
      CREATE TRIGGER plg_coupons_touch AFTER UPDATE ON plg_coupons_codes BEGIN UPDATE plg_coupons_codes SET n = n + 1 WHERE id = new.id; END;
      ALTER TABLE plg_coupons_codes ADD COLUMN note TEXT;
      ALTER TABLE plg_coupons_old RENAME TO plg_coupons_older;
      INSERT INTO plg_coupons_batches (id) VALUES ('default');
      DROP INDEX IF EXISTS plg_coupons_stale;`;
    expect(sqlAccessProblems(sql, policy('migration'))).toEqual([]);
  });

  it('may read and write its tables at run time with CTEs, upserts and json_each', () => {
    const sql = `WITH mine AS (SELECT id FROM plg_coupons_codes WHERE member_id = ?)
      INSERT INTO plg_coupons_uses (code_id) SELECT value FROM json_each(?) WHERE value IN (SELECT id FROM mine)
      ON CONFLICT (code_id) DO UPDATE SET n = n + 1 RETURNING *`;
    expect(sqlAccessProblems(sql, policy('write'))).toEqual([]);
  });

  it('does not own the bare prefix, nor the tables of a plugin whose id extends its own', () => {
    expect(ownsName('plg_coupons_', policy('write'))).toBe(false);
    expect(ownsName('PLG_Coupons_X', policy('write'))).toBe(true);
    expect(codes('SELECT * FROM plg_coupons_pro_codes', policy('write', [], ['plg_coupons_pro_']))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });
});

describe('a plugin never reaches what its capabilities do not grant', () => {
  it('refuses a migration table outside the prefix, a core table above all', () => {
    expect(codes('CREATE TABLE coupons (id TEXT)', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes('CREATE INDEX idx ON plg_coupons_x (a)', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });

  it('refuses CREATE TABLE "plg_coupons_x" AS SELECT * FROM members without a grant — members is never granted', () => {
    const sql = 'CREATE TABLE "plg_coupons_x" AS SELECT * FROM members';
    expect(codes(sql, policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes(sql.replace('members', 'products'), policy('migration', ['products']))).toEqual([]);
  });

  it('refuses ALTER TABLE orders, DROP TABLE skus, renaming into a core name and dropping a core index', () => {
    expect(codes('ALTER TABLE orders ADD COLUMN coupon TEXT', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes('DROP TABLE skus', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes('ALTER TABLE plg_coupons_x RENAME TO members', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes('DROP INDEX members_created', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });

  it('refuses tying its schema to core tables: foreign keys, indexes and triggers on them', () => {
    expect(codes('CREATE TABLE plg_coupons_x (m TEXT REFERENCES members(id) ON DELETE RESTRICT)', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes('CREATE INDEX plg_coupons_i ON orders (member_id)', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes('CREATE TRIGGER plg_coupons_t AFTER INSERT ON orders BEGIN SELECT 1; END', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });

  it('refuses views and triggers that read core tables even with a read grant', () => {
    expect(codes('CREATE VIEW plg_coupons_v AS SELECT * FROM products', policy('migration', ['products']))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes('CREATE TRIGGER plg_coupons_t AFTER INSERT ON plg_coupons_x BEGIN INSERT INTO plg_coupons_y SELECT price FROM skus; END', policy('migration', ['skus']))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });

  it('refuses a trigger body that writes a core table', () => {
    expect(codes('CREATE TRIGGER plg_coupons_t AFTER INSERT ON plg_coupons_x BEGIN UPDATE wallets SET available = 0; END', policy('migration'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });

  it('refuses PRAGMA, ATTACH, transactions, VACUUM, temp and virtual tables, foreign schemas', () => {
    for (const sql of ['PRAGMA foreign_keys = OFF', "ATTACH DATABASE 'other.db' AS o", 'BEGIN', 'COMMIT', 'VACUUM', 'ANALYZE', 'SAVEPOINT x',
      'CREATE TEMP TABLE plg_coupons_t (a)', 'CREATE TEMP TRIGGER plg_coupons_t AFTER INSERT ON plg_coupons_x BEGIN SELECT 1; END',
      "CREATE VIRTUAL TABLE plg_coupons_s USING fts5(t, content='members')", 'SELECT * FROM o.plg_coupons_x']) {
      expect(codes(sql, policy('migration')), sql).toContain('PLUGIN_SQL_FORBIDDEN');
    }
  });

  it('refuses schema-peeking table functions and functions that reach files or load code', () => {
    expect(codes("SELECT * FROM pragma_table_info('members')", policy('write'))).toEqual(['PLUGIN_SQL_FORBIDDEN']);
    expect(codes("SELECT load_extension('evil')", policy('write'))).toEqual(['PLUGIN_SQL_FORBIDDEN']);
    expect(codes('SELECT * FROM sqlite_master', policy('write'))).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });

  it('lets a read grant SELECT a core table but never write it', () => {
    const p = policy('write', ['products', 'skus']);
    expect(codes('SELECT s.price FROM skus s JOIN plg_coupons_x x ON x.sku_id = s.id', p)).toEqual([]);
    expect(codes('UPDATE skus SET price = 1', p)).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
    expect(codes('SELECT * FROM plg_coupons_x, orders', p)).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });

  it('finds the sneaky reads: comma after a join, IN table, quoted and schema-qualified names, parenthesised lists', () => {
    for (const sql of [
      'SELECT * FROM plg_coupons_x a JOIN plg_coupons_y b ON a.id = b.id, members',
      'SELECT * FROM plg_coupons_x WHERE id IN members',
      'SELECT * FROM "Members"',
      "SELECT * FROM 'members'",
      'SELECT * FROM main.members',
      'SELECT * FROM (plg_coupons_x, (members))',
      'SELECT (SELECT password_hash FROM members LIMIT 1)',
      'WITH a AS (SELECT * FROM members), members AS (SELECT 1) SELECT * FROM a',
    ]) expect(codes(sql, policy('write')), sql).toEqual(['PLUGIN_TABLE_OUTSIDE_PREFIX']);
  });

  it('is not fooled by table names in strings and comments', () => {
    expect(codes("SELECT 'DELETE FROM orders' AS x /* FROM members */ FROM plg_coupons_x -- JOIN skus", policy('read'))).toEqual([]);
  });

  it('keeps a read-only db to SELECT', () => {
    expect(codes('INSERT INTO plg_coupons_x VALUES (1)', policy('read'))).toEqual(['PLUGIN_SQL_FORBIDDEN']);
    expect(codes('CREATE TABLE plg_coupons_y (a)', policy('write'))).toEqual(['PLUGIN_SQL_FORBIDDEN']);
  });

  it('refuses SQL it cannot tokenize', () => {
    expect(codes("SELECT * FROM plg_coupons_x WHERE a = 'open", policy('read'))).toEqual(['PLUGIN_SQL_FORBIDDEN']);
  });
});
