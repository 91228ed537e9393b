import { analyzeSql, type StatementAccess } from './sql-analysis';
import { SqlSyntaxError } from './sql-tokens';

/**
 * The one rule for a plugin's SQL, used on its migrations when it is defined and on every
 * statement it runs: its own `plg_{id}_` objects for anything, core tables its read capabilities
 * grant for SELECT only, nothing else. A statement it cannot fully account for is refused.
 */
export interface SqlAccessPolicy {
  /** `plg_coupons_`. */
  prefix: string;
  /** Core tables the plugin may read (from its capabilities). */
  readable: ReadonlySet<string>;
  /** `read`: SELECT only; `write`: SELECT, INSERT, UPDATE, DELETE; `migration`: also CREATE, ALTER, DROP. */
  mode: 'read' | 'write' | 'migration';
  /** Longer prefixes of other plugins inside this one's (`plg_coupons_pro_` for `coupons`). */
  foreignPrefixes?: readonly string[];
}

export type SqlAccessProblemCode = 'PLUGIN_TABLE_OUTSIDE_PREFIX' | 'PLUGIN_SQL_FORBIDDEN';

export interface SqlAccessProblem {
  code: SqlAccessProblemCode;
  statement: string;
  message: string;
}

const verbsByMode: Record<SqlAccessPolicy['mode'], readonly StatementAccess['verb'][]> = {
  read: ['select'],
  write: ['select', 'insert', 'update', 'delete'],
  migration: ['select', 'insert', 'update', 'delete', 'create', 'alter', 'drop'],
};

/** Table-valued functions that read no table. */
const allowedTableFunctions = new Set(['json_each', 'json_tree']);
/** Functions that reach the file system, load code or change the engine. */
const deniedCalls = new Set(['load_extension', 'readfile', 'writefile', 'edit', 'fts3_tokenizer', 'zipfile', 'sqlar_compress', 'sqlar_uncompress', 'sqlite_dbpage', 'sqlite_dbdata', 'sqlite_dbptr']);

export function ownsName(name: string, policy: Pick<SqlAccessPolicy, 'prefix' | 'foreignPrefixes'>): boolean {
  const n = name.toLowerCase();
  return n.length > policy.prefix.length && n.startsWith(policy.prefix) && !(policy.foreignPrefixes ?? []).some((p) => n.startsWith(p));
}

export function statementProblems(s: StatementAccess, policy: SqlAccessPolicy): SqlAccessProblem[] {
  const problems: SqlAccessProblem[] = [];
  const statement = s.text.length > 200 ? `${s.text.slice(0, 200)}…` : s.text;
  const forbid = (message: string) => problems.push({ code: 'PLUGIN_SQL_FORBIDDEN', statement, message });
  const outside = (message: string) => problems.push({ code: 'PLUGIN_TABLE_OUTSIDE_PREFIX', statement, message });
  const own = (name: string) => ownsName(name, policy);

  if (!verbsByMode[policy.mode].includes(s.verb)) {
    forbid(`${s.keyword} statements are not allowed here (${policy.mode})`);
    return problems;
  }
  if (s.verb === 'create' || s.verb === 'alter' || s.verb === 'drop') {
    if (!s.object) forbid(`cannot tell what this ${s.keyword} creates or changes`);
    else {
      if (s.object.temp) forbid('temporary objects are not allowed');
      if (s.object.virtual) forbid('virtual tables are not allowed');
      if (!own(s.object.name)) outside(`${s.object.kind} "${s.object.name}" must be named ${policy.prefix}…`);
    }
    if (s.renamedTo !== null && !own(s.renamedTo)) outside(`cannot rename to "${s.renamedTo}": names start with ${policy.prefix}`);
  }
  for (const schema of s.foreignSchemas) forbid(`schema "${schema}" is not reachable`);
  for (const fn of s.tableFunctions) if (!allowedTableFunctions.has(fn)) forbid(`table function ${fn}() is not allowed`);
  for (const fn of s.calls) if (deniedCalls.has(fn)) forbid(`function ${fn}() is not allowed`);
  for (const t of s.writes) if (!own(t)) outside(`cannot write to "${t}": a plugin writes only its own ${policy.prefix}… tables`);
  for (const t of s.references) if (!own(t)) outside(`cannot tie the schema to "${t}": only ${policy.prefix}… tables`);
  // Views and triggers outlive the capabilities they were made with: they may see own tables only.
  const persistent = s.verb === 'create' && (s.object?.kind === 'view' || s.object?.kind === 'trigger');
  for (const t of s.reads) {
    if (own(t)) continue;
    if (persistent) outside(`a ${s.object!.kind} may read only ${policy.prefix}… tables, not "${t}"`);
    else if (!policy.readable.has(t)) outside(`cannot read "${t}": no capability grants it`);
  }
  return problems;
}

/** Problems of every statement in `sql`; empty means allowed. */
export function sqlAccessProblems(sql: string, policy: SqlAccessPolicy): SqlAccessProblem[] {
  let statements: StatementAccess[];
  try {
    statements = analyzeSql(sql);
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) throw e;
    return [{ code: 'PLUGIN_SQL_FORBIDDEN', statement: sql.slice(0, 200), message: `not understood: ${e.message}` }];
  }
  return statements.flatMap((s) => statementProblems(s, policy));
}
