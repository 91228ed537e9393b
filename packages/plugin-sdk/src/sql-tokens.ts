/**
 * A tokenizer for SQLite's SQL, enough to find every table a statement names: it knows comments,
 * string literals ('' escapes), the three identifier quotings ("", ``, []), blobs, numbers and
 * parameters, so a table-like word inside a string or a comment is never taken for a table.
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'blob' | 'param' | 'punct';

export interface Token {
  kind: TokenKind;
  /** Identifier (unquoted, unescaped) or keyword as written; punctuation itself. */
  value: string;
  /** Upper-case value of a bare word, for keyword tests; '' for anything else. */
  keyword: string;
  start: number;
  end: number;
  /** Parenthesis depth; a `(` and its `)` carry the depth outside them. */
  depth: number;
}

export class SqlSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at ${position}`);
    this.name = 'SqlSyntaxError';
  }
}

// SQLite treats every byte >= 0x80 as part of an identifier.
const wordStart = /[A-Za-z_\u0080-\uffff]/;
const wordPart = /[A-Za-z0-9_$\u0080-\uffff]/;
const numberPattern = /(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/y;
const twoCharOps = new Set(['||', '<=', '>=', '==', '!=', '<>', '<<', '>>', '->']);

function quotedEnd(sql: string, from: number, close: string, doubled: boolean): { end: number; value: string } {
  let value = '';
  let i = from;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === close) {
      if (doubled && sql[i + 1] === close) {
        value += close;
        i += 2;
        continue;
      }
      return { end: i + 1, value };
    }
    value += ch;
    i++;
  }
  throw new SqlSyntaxError(`unterminated ${close === "'" ? 'string' : 'quoted identifier'}`, from - 1);
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const push = (kind: TokenKind, value: string, start: number, end: number, d = depth) =>
    tokens.push({ kind, value, keyword: kind === 'word' ? value.toUpperCase() : '', start, end, depth: d });
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f') { i++; continue; }
    if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      // Like SQLite: an unterminated block comment runs to the end of the input.
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
      continue;
    }
    if ((ch === 'x' || ch === 'X') && sql[i + 1] === "'") {
      const q = quotedEnd(sql, i + 2, "'", false);
      push('blob', q.value, i, q.end);
      i = q.end;
      continue;
    }
    if (ch === "'") {
      const q = quotedEnd(sql, i + 1, "'", true);
      push('string', q.value, i, q.end);
      i = q.end;
      continue;
    }
    if (ch === '"' || ch === '`') {
      const q = quotedEnd(sql, i + 1, ch, true);
      push('quoted', q.value, i, q.end);
      i = q.end;
      continue;
    }
    if (ch === '[') {
      const q = quotedEnd(sql, i + 1, ']', false);
      push('quoted', q.value, i, q.end);
      i = q.end;
      continue;
    }
    if (wordStart.test(ch)) {
      let j = i + 1;
      while (j < sql.length && wordPart.test(sql[j]!)) j++;
      push('word', sql.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      numberPattern.lastIndex = i;
      const m = numberPattern.exec(sql);
      const end = i + (m ? m[0].length : 1);
      push('number', sql.slice(i, end), i, end);
      i = end;
      continue;
    }
    if (ch === '?') {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j]!)) j++;
      push('param', sql.slice(i, j), i, j);
      i = j;
      continue;
    }
    if ((ch === ':' || ch === '@' || ch === '$') && wordPart.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && wordPart.test(sql[j]!)) j++;
      push('param', sql.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (ch === '(') {
      push('punct', ch, i, i + 1);
      depth++;
      i++;
      continue;
    }
    if (ch === ')') {
      if (depth === 0) throw new SqlSyntaxError('unbalanced )', i);
      depth--;
      push('punct', ch, i, i + 1);
      i++;
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (twoCharOps.has(two)) {
      push('punct', two, i, i + 2);
      i += 2;
      continue;
    }
    if ('.,;=<>+-*/%&|~!'.includes(ch)) {
      push('punct', ch, i, i + 1);
      i++;
      continue;
    }
    throw new SqlSyntaxError(`unexpected character ${JSON.stringify(ch)}`, i);
  }
  if (depth !== 0) throw new SqlSyntaxError('unbalanced (', sql.length);
  return tokens;
}

const isKeyword = (t: Token | undefined, ...words: string[]) => t !== undefined && t.kind === 'word' && words.includes(t.keyword);
export { isKeyword };

/**
 * Splits at top-level `;`, keeping a CREATE TRIGGER's `BEGIN … END` body (with its own `;`s, and
 * CASE … END expressions inside) in one statement.
 */
export function splitStatements(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  let trigger = false;
  let inBody = false;
  let bodyDone = false;
  let cases = 0;
  const finish = () => {
    if (current.length) out.push(current);
    current = [];
    trigger = inBody = bodyDone = false;
    cases = 0;
  };
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === ';' && t.depth === 0 && !(trigger && inBody && !bodyDone)) {
      finish();
      continue;
    }
    current.push(t);
    if (current.length <= 3 && isKeyword(t, 'TRIGGER') && isKeyword(current[0], 'CREATE')) trigger = true;
    if (!trigger || t.kind !== 'word') continue;
    if (t.keyword === 'CASE') cases++;
    else if (t.keyword === 'BEGIN' && t.depth === 0 && !inBody) inBody = true;
    else if (t.keyword === 'END') {
      if (cases > 0) cases--;
      else if (inBody) bodyDone = true;
    }
  }
  finish();
  return out;
}
