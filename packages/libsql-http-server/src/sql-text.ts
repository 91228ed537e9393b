/**
 * Just enough SQL lexing to answer what the `libsql` binding does not expose: the parameters of a
 * statement (sqlite3_bind_parameter_count/_name), where a statement ends, and what kind of
 * statement it is. It follows SQLite's tokenizer for the parts that matter here: comments, string
 * literals and quoted identifiers (so `?` or `;` inside them are ignored) and parameter tokens.
 */

export type TokenKind = 'word' | 'quoted' | 'param' | 'semicolon' | 'open' | 'close' | 'other';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const isIdChar = (ch: string): boolean => /[A-Za-z0-9_$]/.test(ch) || ch.charCodeAt(0) > 0x7f;

/** Tokens of `sql`, without whitespace and comments. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number) => tokens.push({ kind, text: sql.slice(start, end), start, end });
  while (i < sql.length) {
    const ch = sql.charAt(i);
    const next = sql.charAt(i + 1);
    const start = i;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? sql.length : eol + 1;
    } else if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      // A doubled quote character escapes itself; an unterminated literal runs to the end.
      i++;
      while (i < sql.length) {
        if (sql.charAt(i) === ch) {
          if (sql.charAt(i + 1) === ch) i += 2;
          else { i++; break; }
        } else i++;
      }
      push('quoted', start, i);
    } else if (ch === '[') {
      const close = sql.indexOf(']', i);
      i = close < 0 ? sql.length : close + 1;
      push('quoted', start, i);
    } else if (ch === '?') {
      i++;
      while (/[0-9]/.test(sql.charAt(i))) i++;
      push('param', start, i);
    } else if ((ch === ':' || ch === '@' || ch === '$' || ch === '#') && next !== '' && isIdChar(next)) {
      i++;
      for (;;) {
        const c = sql.charAt(i);
        if (c !== '' && isIdChar(c)) i++;
        // `$name::suffix` and TCL-style `$name(...)` belong to the parameter name in SQLite.
        else if (c === ':' && sql.charAt(i + 1) === ':') i += 2;
        else if (c === '(' && ch === '$') {
          const close = sql.indexOf(')', i);
          i = close < 0 ? sql.length : close + 1;
          break;
        } else break;
      }
      push('param', start, i);
    } else if (isIdChar(ch)) {
      while (i < sql.length && isIdChar(sql.charAt(i))) i++;
      push('word', start, i);
    } else {
      i++;
      push(ch === ';' ? 'semicolon' : ch === '(' ? 'open' : ch === ')' ? 'close' : 'other', start, i);
    }
  }
  return tokens;
}

const MAX_PARAMETER_INDEX = 32766;

/**
 * Parameter names by index (entry 0 is parameter 1), numbered the way SQLite numbers them: `?`
 * takes the next index, `?NNN` takes NNN, a repeated name reuses its index. Nameless slots are null.
 */
export function parameterNames(tokens: readonly Token[]): (string | null)[] {
  const names: (string | null)[] = [];
  const indexOfName = new Map<string, number>();
  for (const token of tokens) {
    if (token.kind !== 'param') continue;
    if (token.text === '?') {
      names.push(null);
    } else if (token.text.startsWith('?')) {
      const index = Number(token.text.slice(1));
      // SQLite rejects indexes outside 1..32766 when preparing; never size an array by them.
      if (!(index >= 1 && index <= MAX_PARAMETER_INDEX)) continue;
      while (names.length < index) names.push(null);
      if (names[index - 1] === null) names[index - 1] = token.text;
    } else if (!indexOfName.has(token.text)) {
      names.push(token.text);
      indexOfName.set(token.text, names.length);
    }
  }
  return names;
}

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'explain' | 'begin' | 'other';

/** The statement's verb; a leading WITH clause is skipped to find the statement it prefixes. */
export function statementKind(tokens: readonly Token[]): StatementKind {
  const first = tokens[0];
  if (first?.kind !== 'word') return 'other';
  const verb = first.text.toUpperCase();
  if (verb === 'EXPLAIN') return 'explain';
  if (verb === 'BEGIN') return 'begin';
  if (verb !== 'WITH') return kindOfVerb(verb);
  let depth = 0;
  for (const token of tokens.slice(1)) {
    if (token.kind === 'open') depth++;
    else if (token.kind === 'close') depth--;
    else if (depth === 0 && token.kind === 'word') {
      const kind = kindOfVerb(token.text.toUpperCase());
      if (kind !== 'other') return kind;
    }
  }
  return 'other';
}

function kindOfVerb(verb: string): StatementKind {
  switch (verb) {
    case 'SELECT': case 'VALUES': return 'select';
    case 'INSERT': case 'REPLACE': return 'insert';
    case 'UPDATE': return 'update';
    case 'DELETE': return 'delete';
    default: return 'other';
  }
}

/**
 * `BEGIN TRANSACTION READONLY` is what @libsql/client sends for `transaction('read')`. sqld gives
 * it read-only semantics; plain SQLite parses READONLY as a transaction name and ignores it.
 */
export function isReadonlyBegin(tokens: readonly Token[]): boolean {
  const last = tokens.filter((t) => t.kind !== 'semicolon').at(-1);
  return statementKind(tokens) === 'begin' && last?.kind === 'word' && last.text.toUpperCase() === 'READONLY';
}

/** True when the tokens hold nothing but semicolons: an empty statement. */
export const isEmptyStatement = (tokens: readonly Token[]): boolean => tokens.every((t) => t.kind === 'semicolon');
