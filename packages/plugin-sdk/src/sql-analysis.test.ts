import { describe, expect, it } from 'vitest';
import { analyzeSql } from './sql-analysis';
import { SqlSyntaxError, splitStatements, tokenize } from './sql-tokens';

const one = (sql: string) => {
  const all = analyzeSql(sql);
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe('tokenizer', () => {
  it('keeps table-like words inside strings, comments and quoted identifiers out of the keywords', () => {
    const tokens = tokenize(`SELECT 'FROM members', "from" -- FROM orders\n /* JOIN skus */ FROM plg_a_x`);
    expect(tokens.filter((t) => t.keyword === 'FROM')).toHaveLength(1);
    expect(tokens.map((t) => t.kind)).toEqual(['word', 'string', 'punct', 'quoted', 'word', 'word']);
  });

  it('unescapes doubled quotes and reads all three identifier quotings', () => {
    expect(tokenize(`'it''s' "a""b" \`c\`\`d\` [e f]`).map((t) => t.value)).toEqual(["it's", 'a"b', 'c`d', 'e f']);
  });

  it('tracks parenthesis depth, a ( and its ) carrying the outer depth', () => {
    expect(tokenize('a(b(c))').map((t) => `${t.value}${t.depth}`)).toEqual(['a0', '(0', 'b1', '(1', 'c2', ')1', ')0']);
  });

  it('reads blobs, numbers and every parameter style as values', () => {
    expect(tokenize(`x'00ff' 1.5e3 .5 0x1F ? ?2 :a @b $c`).map((t) => t.kind)).toEqual(['blob', 'number', 'number', 'number', 'param', 'param', 'param', 'param', 'param']);
  });

  it('refuses unterminated strings and unbalanced parentheses', () => {
    for (const bad of [`SELECT 'abc`, `SELECT "abc`, 'SELECT (1', 'SELECT 1)', 'SELECT [x', 'SELECT #']) expect(() => tokenize(bad), bad).toThrow(SqlSyntaxError);
  });

  it('lets an unterminated block comment run to the end, as SQLite does', () => {
    expect(tokenize('SELECT 1 /* DROP TABLE orders').map((t) => t.value)).toEqual(['SELECT', '1']);
  });

  it('splits at top-level semicolons but keeps a trigger body, CASE … END included, in one statement', () => {
    const sql = `CREATE TABLE plg_a_x (v INT); CREATE TRIGGER plg_a_t AFTER INSERT ON plg_a_x BEGIN
      UPDATE plg_a_y SET n = CASE WHEN new.v > 0 THEN 1 ELSE 0 END; INSERT INTO plg_a_z VALUES (';'); END; SELECT 1;`;
    expect(splitStatements(tokenize(sql)).map((s) => `${s[0]!.value}…${s[s.length - 1]!.value}`)).toEqual(['CREATE…)', 'CREATE…END', 'SELECT…1']);
  });
});

describe('tables a statement touches', () => {
  it('finds reads in FROM, every JOIN, comma lists after ON clauses, and parenthesised table lists', () => {
    expect(one('SELECT * FROM a JOIN b ON a.id = b.id AND a.x IN (1, 2), c LEFT OUTER JOIN d USING (id) NATURAL JOIN (e, (f))').reads).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('finds reads in subqueries anywhere: select list, WHERE, EXISTS, VALUES, CASE', () => {
    const s = one(`SELECT (SELECT x FROM a), CASE WHEN EXISTS (SELECT 1 FROM b) THEN 1 END FROM c
      WHERE id IN (SELECT id FROM d) AND v = (VALUES ((SELECT 1 FROM e)))`);
    expect(s.reads).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('reads `x IN table`, a form that needs no FROM', () => {
    expect(one('SELECT id FROM plg_a_x WHERE member_id IN members').reads).toEqual(['members', 'plg_a_x']);
    expect(one("SELECT 1 WHERE 'a' IN 'members'").reads).toEqual(['members']);
  });

  it('leaves aliases, columns, strings and IS DISTINCT FROM alone', () => {
    expect(one(`SELECT m.id AS members, 'orders' FROM plg_a_x AS m WHERE a IS NOT DISTINCT FROM skus`).reads).toEqual(['plg_a_x']);
  });

  it('normalises quoting, case and the main schema; reports any other schema', () => {
    const s = one('SELECT * FROM "MEMBERS", [main].[Orders], main . skus, `x`, \'y\', temp.z, other.w');
    expect(s.reads).toEqual(['members', 'orders', 'skus', 'w', 'x', 'y', 'z']);
    expect(s.foreignSchemas).toEqual(['other', 'temp']);
  });

  it('finds write targets of INSERT, REPLACE, UPDATE OR …, DELETE and an upsert without taking DO UPDATE for one', () => {
    expect(one('INSERT OR IGNORE INTO plg_a_x (a) SELECT a FROM skus WHERE 1 ON CONFLICT (a) DO UPDATE SET b = excluded.b, c = 1').writes).toEqual(['plg_a_x']);
    expect(one('REPLACE INTO orders VALUES (1)').writes).toEqual(['orders']);
    expect(one('UPDATE OR REPLACE main.members SET x = 1 FROM plg_a_x').writes).toEqual(['members']);
    expect(one('DELETE FROM "order_lines" WHERE 1').writes).toEqual(['order_lines']);
  });

  it('keeps CTE names out of reads but never out of writes, and takes the real tables their bodies read', () => {
    const s = one('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t LIMIT 3), u AS (SELECT * FROM skus) INSERT INTO plg_a_x SELECT * FROM t, u');
    expect(s.reads).toEqual(['skus']);
    expect(s.verb).toBe('insert');
    expect(one('WITH orders AS (SELECT 1) DELETE FROM orders').writes).toEqual(['orders']);
  });

  it('scopes a CTE to its own parentheses: the same name outside is the real table', () => {
    expect(one('SELECT (WITH members AS (SELECT 1) SELECT * FROM members), (SELECT id FROM members)').reads).toEqual(['members']);
    expect(one('SELECT * FROM (WITH m AS (SELECT 1) SELECT * FROM m), m').reads).toEqual(['m']);
  });

  it('does not let a CTE hide a table named before it or in an upsert it may not reach', () => {
    expect(one('WITH a AS (SELECT * FROM members), members AS (SELECT 1) SELECT * FROM a').reads).toEqual(['members']);
    expect(one('INSERT INTO plg_a_x WITH members AS (SELECT 1) SELECT * FROM members WHERE 1 ON CONFLICT DO UPDATE SET v = (SELECT secret FROM members)').reads).toEqual(['members']);
  });

  it('reports table-valued functions and every call, quoted names included', () => {
    const s = one(`SELECT load_extension('x'), "readfile"('/etc/passwd') FROM json_each(?) JOIN pragma_table_info('members')`);
    expect(s.tableFunctions).toEqual(['json_each', 'pragma_table_info']);
    expect(s.calls).toEqual(expect.arrayContaining(['load_extension', 'readfile', 'json_each', 'pragma_table_info']));
    expect(s.reads).toEqual([]);
  });

  it('reads CREATE TABLE … AS SELECT and finds REFERENCES in column and table constraints', () => {
    const s = one('CREATE TABLE "plg_coupons_x" (a TEXT REFERENCES members(id) ON DELETE CASCADE ON UPDATE CASCADE, FOREIGN KEY (a) REFERENCES orders (id)) ');
    expect(s.object).toEqual({ kind: 'table', name: 'plg_coupons_x', temp: false, virtual: false });
    expect(s.references).toEqual(['members', 'orders']);
    expect(s.writes).toEqual([]);
    expect(one('CREATE TABLE IF NOT EXISTS plg_coupons_x AS SELECT * FROM members').reads).toEqual(['members']);
  });

  it('reads index and trigger headers: the object, the table it sits on, and the trigger body', () => {
    const idx = one('CREATE UNIQUE INDEX IF NOT EXISTS plg_a_i ON orders (id) WHERE id > 0');
    expect(idx.object).toMatchObject({ kind: 'index', name: 'plg_a_i' });
    expect(idx.references).toEqual(['orders']);
    const trg = one(`CREATE TRIGGER plg_a_t AFTER UPDATE OF v ON plg_a_x FOR EACH ROW WHEN new.v > (SELECT 1 FROM skus) BEGIN
      UPDATE members SET x = 1; DELETE FROM plg_a_y WHERE id = old.id; INSERT INTO plg_a_z SELECT * FROM orders; END`);
    expect(trg.object).toMatchObject({ kind: 'trigger', name: 'plg_a_t' });
    expect(trg.references).toEqual(['plg_a_x']);
    expect(trg.writes).toEqual(['members', 'plg_a_y', 'plg_a_z']);
    expect(trg.reads).toEqual(['orders', 'skus']);
  });

  it('reads ALTER (with RENAME TO) and DROP targets, temp and virtual flags', () => {
    expect(one('ALTER TABLE orders ADD COLUMN x TEXT')).toMatchObject({ verb: 'alter', object: { kind: 'table', name: 'orders' } });
    expect(one('ALTER TABLE plg_a_x RENAME TO members')).toMatchObject({ renamedTo: 'members' });
    expect(one('ALTER TABLE plg_a_x RENAME COLUMN a TO members')).toMatchObject({ renamedTo: null });
    expect(one('DROP TABLE IF EXISTS skus')).toMatchObject({ verb: 'drop', object: { kind: 'table', name: 'skus' } });
    expect(one('DROP INDEX members_created').object).toMatchObject({ kind: 'index', name: 'members_created' });
    expect(one('CREATE TEMP TRIGGER plg_a_t AFTER INSERT ON main.orders BEGIN SELECT 1; END').object).toMatchObject({ temp: true });
    expect(one("CREATE VIRTUAL TABLE plg_a_s USING fts5(t, content='members')").object).toMatchObject({ virtual: true });
  });

  it('names the verb of PRAGMA, ATTACH and friends as other', () => {
    for (const sql of ['PRAGMA foreign_keys = OFF', "ATTACH 'x.db' AS x", 'VACUUM', 'BEGIN', 'ANALYZE members', 'REINDEX members']) expect(one(sql).verb, sql).toBe('other');
    expect(one('WITH x AS (SELECT 1) SELECT * FROM x').verb).toBe('select');
    expect(one('VALUES (1), (2)').verb).toBe('select');
  });
});
