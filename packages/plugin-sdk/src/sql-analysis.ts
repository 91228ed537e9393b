import { isKeyword, splitStatements, tokenize, type Token } from './sql-tokens';

/**
 * What one SQL statement touches, found from its tokens. It errs on the side of naming too much:
 * anything in a table position counts, a CTE name hides a table only where SQLite's scoping
 * surely makes it a CTE, and a table-valued function or a schema other than `main` is reported
 * so the caller can refuse it.
 */
export interface StatementAccess {
  text: string;
  verb: 'select' | 'insert' | 'update' | 'delete' | 'create' | 'alter' | 'drop' | 'other';
  /** First keyword, upper case (`PRAGMA`, `ATTACH`, `SELECT` …). */
  keyword: string;
  /** The object a CREATE, ALTER or DROP is about. */
  object: { kind: 'table' | 'index' | 'view' | 'trigger'; name: string; temp: boolean; virtual: boolean } | null;
  /** ALTER TABLE … RENAME TO this. */
  renamedTo: string | null;
  /** Tables read: FROM, JOIN, `IN table` (CTE names left out). */
  reads: string[];
  /** INSERT/REPLACE INTO, UPDATE, DELETE FROM targets. */
  writes: string[];
  /** Tables tied to by the schema: REFERENCES, CREATE INDEX … ON, CREATE TRIGGER … ON. */
  references: string[];
  /** Functions called in a table position (`FROM json_each(…)`, `pragma_table_info(…)`). */
  tableFunctions: string[];
  /** Every name followed by `(`: all function calls (and, harmlessly, a table before its column list). */
  calls: string[];
  /** Schema qualifiers other than `main` (`temp.x`, an attached database). */
  foreignSchemas: string[];
}

const nameKinds = new Set(['word', 'quoted', 'string']);
const isName = (t: Token | undefined) => t !== undefined && nameKinds.has(t.kind);
const isPunct = (t: Token | undefined, p: string) => t !== undefined && t.kind === 'punct' && t.value === p;

/** Keywords that end a FROM clause at its own depth. */
const fromEnds = new Set(['WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'RETURNING', 'SET', 'DO', 'VALUES', 'SELECT']);
const subqueryStarts = new Set(['SELECT', 'WITH', 'VALUES']);
/** Keywords a `(` may follow without a call: `IN (`, `VALUES (`, `PRIMARY KEY (` … */
const notCalls = new Set(['AS', 'IN', 'VALUES', 'EXISTS', 'ON', 'USING', 'OVER', 'FILTER', 'AND', 'OR', 'NOT', 'WHERE', 'SELECT', 'THEN', 'ELSE', 'WHEN', 'CASE', 'IS', 'BETWEEN', 'LIKE', 'GLOB', 'MATCH', 'REGEXP', 'CHECK', 'KEY', 'UNIQUE', 'DEFAULT', 'TABLE', 'INTO', 'JOIN', 'FROM', 'BY', 'LIMIT', 'OFFSET', 'RETURNING', 'SET', 'DO', 'CONFLICT', 'WITH', 'MATERIALIZED', 'RECURSIVE', 'REFERENCES', 'INDEX', 'OF', 'HAVING', 'RAISE', 'CAST', 'GENERATED', 'ALWAYS', 'COLLATE', 'DISTINCT', 'ALL', 'UNION', 'EXCEPT', 'INTERSECT', 'PARTITION', 'ESCAPE']);

interface Cte {
  name: string;
  from: number;
  to: number;
}

interface QualifiedName {
  schema: string | null;
  name: string;
  next: number;
}

function readName(tokens: readonly Token[], i: number): QualifiedName | null {
  const first = tokens[i];
  if (!isName(first)) return null;
  if (isPunct(tokens[i + 1], '.') && isName(tokens[i + 2])) return { schema: first!.value.toLowerCase(), name: tokens[i + 2]!.value.toLowerCase(), next: i + 3 };
  return { schema: null, name: first!.value.toLowerCase(), next: i + 1 };
}

/** Index of the `)` closing the `(` at `open`. */
function closing(tokens: readonly Token[], open: number): number {
  const depth = tokens[open]!.depth;
  for (let i = open + 1; i < tokens.length; i++) if (isPunct(tokens[i], ')') && tokens[i]!.depth === depth) return i;
  return tokens.length - 1;
}

/**
 * Where each CTE name can be seen: from its own name (so a recursive CTE sees itself) to the end
 * of the group its WITH sits in — cut short at an upsert or RETURNING clause of that group, which
 * SQLite may resolve outside the WITH. Narrower than SQLite (a CTE can also see its later
 * siblings), so a name is taken for a CTE only when it surely is one.
 */
function findCtes(tokens: readonly Token[]): Cte[] {
  const out: Cte[] = [];
  tokens.forEach((t, w) => {
    if (!isKeyword(t, 'WITH')) return;
    const depth = t.depth;
    let end = tokens.length;
    for (let j = w + 1; j < tokens.length; j++) {
      const u = tokens[j]!;
      if (u.depth < depth) { end = j; break; }
      if (u.depth === depth && (isKeyword(u, 'RETURNING') || (isKeyword(u, 'ON') && isKeyword(tokens[j + 1], 'CONFLICT')))) { end = j; break; }
    }
    let i = w + 1;
    if (isKeyword(tokens[i], 'RECURSIVE')) i++;
    for (;;) {
      const nameAt = i;
      if (!isName(tokens[i])) return;
      i++;
      if (isPunct(tokens[i], '(')) i = closing(tokens, i) + 1;
      if (!isKeyword(tokens[i], 'AS')) return;
      i++;
      if (isKeyword(tokens[i], 'NOT')) i++;
      if (isKeyword(tokens[i], 'MATERIALIZED')) i++;
      if (!isPunct(tokens[i], '(')) return;
      out.push({ name: tokens[nameAt]!.value.toLowerCase(), from: nameAt, to: end });
      i = closing(tokens, i) + 1;
      if (!isPunct(tokens[i], ',')) return;
      i++;
    }
  });
  return out;
}

function verbOf(tokens: readonly Token[]): StatementAccess['verb'] {
  let first = tokens[0]?.keyword ?? '';
  if (first === 'WITH') first = tokens.find((t) => t.depth === 0 && isKeyword(t, 'SELECT', 'VALUES', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE'))?.keyword ?? '';
  switch (first) {
    case 'SELECT': case 'VALUES': return 'select';
    case 'INSERT': case 'REPLACE': return 'insert';
    case 'UPDATE': return 'update';
    case 'DELETE': return 'delete';
    case 'CREATE': return 'create';
    case 'ALTER': return 'alter';
    case 'DROP': return 'drop';
    default: return 'other';
  }
}

const objectKinds = { TABLE: 'table', INDEX: 'index', VIEW: 'view', TRIGGER: 'trigger' } as const;

/** CREATE/ALTER/DROP headers: the object's name, and for indexes and triggers the table they sit on. */
function ddlHeader(tokens: readonly Token[], verb: StatementAccess['verb'], acc: Access): Pick<StatementAccess, 'object' | 'renamedTo'> {
  let i = 1;
  let temp = false;
  let virtual = false;
  if (verb === 'create') {
    while (isKeyword(tokens[i], 'TEMP', 'TEMPORARY', 'UNIQUE', 'VIRTUAL')) {
      if (tokens[i]!.keyword === 'VIRTUAL') virtual = true;
      else if (tokens[i]!.keyword !== 'UNIQUE') temp = true;
      i++;
    }
  }
  const kindWord = tokens[i]?.keyword ?? '';
  if (!(kindWord in objectKinds)) return { object: null, renamedTo: null };
  const kind = objectKinds[kindWord as keyof typeof objectKinds];
  i++;
  if (isKeyword(tokens[i], 'IF')) i += isKeyword(tokens[i + 1], 'NOT') ? 3 : 2;
  const named = readName(tokens, i);
  if (!named) return { object: null, renamedTo: null };
  acc.schema(named.schema);
  if (named.schema === 'temp') temp = true;
  let renamedTo: string | null = null;
  if (verb === 'create' && (kind === 'index' || kind === 'trigger')) {
    for (let j = named.next; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (kind === 'trigger' && isKeyword(t, 'BEGIN') && t.depth === 0) break;
      if (isKeyword(t, 'ON') && t.depth === 0) {
        const on = readName(tokens, j + 1);
        if (on) { acc.schema(on.schema); acc.references.add(on.name); }
        break;
      }
    }
  }
  if (verb === 'alter' && isKeyword(tokens[named.next], 'RENAME') && isKeyword(tokens[named.next + 1], 'TO')) {
    const to = readName(tokens, named.next + 2);
    if (to) { acc.schema(to.schema); renamedTo = to.name; }
  }
  return { object: { kind, name: named.name, temp, virtual }, renamedTo };
}

class Access {
  reads = new Set<string>();
  writes = new Set<string>();
  references = new Set<string>();
  tableFunctions = new Set<string>();
  calls = new Set<string>();
  foreignSchemas = new Set<string>();
  schema(s: string | null) {
    if (s !== null && s !== 'main') this.foreignSchemas.add(s);
  }
}

/**
 * Reads a table reference at `i` (a name, `schema.name`, or a table-valued function call) and
 * records it. Returns the index after the name.
 */
function tableRef(tokens: readonly Token[], i: number, ctes: readonly Cte[], acc: Access, as: 'read' | 'write' | 'reference'): number {
  const ref = readName(tokens, i);
  if (!ref) return i;
  acc.schema(ref.schema);
  if (as === 'read' && isPunct(tokens[ref.next], '(')) {
    acc.tableFunctions.add(ref.name);
    return ref.next;
  }
  const isCte = as === 'read' && ref.schema === null && ctes.some((c) => c.name === ref.name && i >= c.from && i < c.to);
  if (!isCte) (as === 'read' ? acc.reads : as === 'write' ? acc.writes : acc.references).add(ref.name);
  return ref.next;
}

function scan(tokens: readonly Token[], acc: Access) {
  const ctes = findCtes(tokens);
  /** Depths at which a FROM clause is open; a `,` or JOIN there starts another table reference. */
  const fromOpen = new Set<number>();
  let expectRef = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (expectRef) {
      expectRef = false;
      if (isPunct(t, '(')) {
        // `FROM (a, b)` and `FROM (a JOIN b)` are table lists; `FROM (SELECT …)` a subquery.
        if (!isKeyword(tokens[i + 1], ...subqueryStarts)) { fromOpen.add(t.depth + 1); expectRef = true; }
        continue;
      }
      if (isName(t)) { i = tableRef(tokens, i, ctes, acc, 'read') - 1; continue; }
    }
    if (t.kind === 'punct') {
      if (t.value === ')') fromOpen.delete(t.depth + 1);
      else if (t.value === ',' && fromOpen.has(t.depth)) expectRef = true;
      else if (t.value === ';') { fromOpen.clear(); expectRef = false; } // between statements of a trigger body
      else if (t.value === '(' && ((prev?.kind === 'word' && !notCalls.has(prev.keyword)) || prev?.kind === 'quoted')) acc.calls.add(prev.value.toLowerCase());
      continue;
    }
    if (t.kind !== 'word') continue;
    switch (t.keyword) {
      case 'FROM':
        if (isKeyword(prev, 'DISTINCT')) break; // IS [NOT] DISTINCT FROM
        if (isKeyword(prev, 'DELETE')) { i = tableRef(tokens, i + 1, ctes, acc, 'write') - 1; break; }
        fromOpen.add(t.depth);
        expectRef = true;
        break;
      case 'JOIN':
        expectRef = true;
        break;
      case 'IN':
        // `x IN table` reads the table; `x IN (…)` is a list or a subquery.
        if (isName(tokens[i + 1])) expectRef = true;
        break;
      case 'INTO':
        i = tableRef(tokens, i + 1, ctes, acc, 'write') - 1;
        break;
      case 'UPDATE': {
        // Not a target: `ON UPDATE CASCADE`, `AFTER UPDATE OF c ON t`, `DO UPDATE SET`.
        if (isKeyword(prev, 'ON', 'DO')) break;
        let j = i + 1;
        if (isKeyword(tokens[j], 'OR')) j += 2;
        if (isKeyword(tokens[j], 'OF', 'ON', 'SET')) break;
        i = tableRef(tokens, j, ctes, acc, 'write') - 1;
        break;
      }
      case 'REFERENCES':
        i = tableRef(tokens, i + 1, ctes, acc, 'reference') - 1;
        break;
      default:
        if (fromEnds.has(t.keyword)) fromOpen.delete(t.depth);
    }
  }
}

function analyzeTokens(sql: string, tokens: readonly Token[]): StatementAccess {
  const acc = new Access();
  const verb = verbOf(tokens);
  const header = verb === 'create' || verb === 'alter' || verb === 'drop' ? ddlHeader(tokens, verb, acc) : { object: null, renamedTo: null };
  scan(tokens, acc);
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    text: sql.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end),
    verb,
    keyword: tokens[0]!.keyword || tokens[0]!.value,
    ...header,
    reads: sorted(acc.reads),
    writes: sorted(acc.writes),
    references: sorted(acc.references),
    tableFunctions: sorted(acc.tableFunctions),
    calls: sorted(acc.calls),
    foreignSchemas: sorted(acc.foreignSchemas),
  };
}

/** Every statement in `sql` and what it touches. Throws SqlSyntaxError on text SQLite would not tokenize. */
export function analyzeSql(sql: string): StatementAccess[] {
  return splitStatements(tokenize(sql)).map((tokens) => analyzeTokens(sql, tokens));
}
