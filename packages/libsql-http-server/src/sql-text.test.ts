import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { isReadonlyBegin, parameterNames, statementKind, tokenize } from './sql-text';

const names = (sql: string) => parameterNames(tokenize(sql));
const kind = (sql: string) => statementKind(tokenize(sql));

describe('parameterNames', () => {
  it('numbers parameters the way SQLite does', () => {
    expect(names('SELECT ?, ?, :a, :a, ?5, ?')).toEqual([null, null, ':a', null, '?5', null]);
    expect(names('SELECT ?2, ?1')).toEqual(['?1', '?2']);
    expect(names('SELECT @x, $y, :z, $y')).toEqual(['@x', '$y', ':z']);
    expect(names('SELECT $a::b, $c(d e)')).toEqual(['$a::b', '$c(d e)']);
  });

  it('ignores look-alikes in literals, identifiers and comments', () => {
    const sql = `SELECT '?', "?col", [?x], \`:y\`, x'3f', a$b -- ? :c
      /* ?, @d */ FROM t WHERE v = ? AND 'it''s ?' <> :e`;
    expect(names(sql)).toEqual([null, ':e']);
  });

  it('agrees with SQLite about which parameter gets which index', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (a, b, c)');
    const statements = [
      'SELECT ?, :a, ?, @b, :a, ?7, $c',
      "INSERT INTO t VALUES (?3, 'x?', :name)",
      'UPDATE t SET a = @v WHERE b = ?1 OR c = ?',
      'SELECT * FROM t WHERE a IN (?, ?, ?) LIMIT :limit',
    ];
    for (const sql of statements) {
      // EXPLAIN lists a Variable opcode per parameter use: P1 is its index, P4 its name.
      const fromSqlite = new Map<number, string | null>();
      for (const op of db.prepare(`EXPLAIN ${sql}`).raw(true).all([])) {
        if (Array.isArray(op) && op[1] === 'Variable') fromSqlite.set(Number(op[2]), typeof op[5] === 'string' ? op[5] : null);
      }
      const expected = Array.from({ length: Math.max(...fromSqlite.keys()) }, (_, i) => fromSqlite.get(i + 1) ?? null);
      expect(names(sql), sql).toEqual(expected);
    }
  });
});

describe('statementKind', () => {
  it('finds the verb, also behind a WITH clause', () => {
    expect(kind('select 1')).toBe('select');
    expect(kind('  VALUES (1)')).toBe('select');
    expect(kind('INSERT OR REPLACE INTO t VALUES (1)')).toBe('insert');
    expect(kind('REPLACE INTO t VALUES (1)')).toBe('insert');
    expect(kind('-- note\nUPDATE t SET a = 1')).toBe('update');
    expect(kind('WITH x(n) AS (SELECT 1 UNION SELECT 2) DELETE FROM t WHERE a IN x')).toBe('delete');
    expect(kind('WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) INSERT INTO t SELECT n, n, n FROM c')).toBe('insert');
    expect(kind('EXPLAIN QUERY PLAN SELECT 1')).toBe('explain');
    expect(kind('CREATE TABLE t (a)')).toBe('other');
    expect(kind('PRAGMA user_version')).toBe('other');
  });

  it('recognizes the read-only BEGIN of @libsql/client', () => {
    expect(isReadonlyBegin(tokenize('BEGIN TRANSACTION READONLY'))).toBe(true);
    expect(isReadonlyBegin(tokenize('begin deferred transaction readonly;'))).toBe(true);
    expect(isReadonlyBegin(tokenize('BEGIN IMMEDIATE'))).toBe(false);
    expect(isReadonlyBegin(tokenize('SELECT readonly'))).toBe(false);
  });
});
