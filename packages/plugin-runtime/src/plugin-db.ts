import { tablePrefix, type Capability, type PluginDb, type PluginResult, type PluginStatement, type SqlArgs, type SqlRowValue } from '@tuike/plugin-sdk';
import { analyzeSql, readableCoreTables, SqlSyntaxError, statementProblems, type SqlAccessPolicy, type SqlAccessProblem, type StatementAccess } from '@tuike/plugin-sdk/engine';
import { PluginError } from './errors';

/** What createPluginDb needs of a database client; a @libsql/client Client fits. */
export type SqlInValue = null | string | number | bigint | boolean | Uint8Array | ArrayBuffer | Date;
export interface SqlInStatement {
  sql: string;
  args: SqlInValue[] | Record<string, SqlInValue>;
}
export interface SqlResultLike {
  columns: string[];
  rows: Readonly<Record<string, unknown>>[];
  rowsAffected: number;
}
export interface SqlExecutor {
  execute(statement: SqlInStatement): Promise<SqlResultLike>;
  batch(statements: SqlInStatement[], mode?: 'write' | 'read' | 'deferred'): Promise<SqlResultLike[]>;
}

export interface PluginDbOptions {
  /** `read` for `loadState` (SELECT only), `write` for routes and events. */
  access?: 'read' | 'write';
  /** The shop's other installed plugins, so a longer id nested in this one's prefix stays theirs. */
  installedPluginIds?: readonly string[];
}

function denied(pluginId: string, problems: readonly Pick<SqlAccessProblem, 'message' | 'statement'>[]): PluginError {
  return new PluginError('PLUGIN_DB_DENIED', { pluginId, problems: problems.map((p) => ({ statement: p.statement, message: p.message })) });
}

/** Plugins run the same statements over and over; their analysis (pure) is kept, boundedly. */
const analyses = new Map<string, readonly StatementAccess[]>();
function analyzed(sql: string): readonly StatementAccess[] {
  let found = analyses.get(sql);
  if (!found) {
    found = analyzeSql(sql);
    if (analyses.size >= 2000) analyses.clear();
    analyses.set(sql, found);
  }
  return found;
}

/**
 * Policies are kept by the definition's capabilities (the same array on every call), then plugin,
 * mode and installed ids: every checkout makes a plugin database per plugin, and the verdicts
 * below are kept per policy object.
 */
const policies = new WeakMap<readonly Capability[], Map<string, SqlAccessPolicy>>();
function policyOf(pluginId: string, capabilities: readonly Capability[], installedPluginIds: readonly string[], mode: 'read' | 'write'): SqlAccessPolicy {
  let byRest = policies.get(capabilities);
  if (!byRest) policies.set(capabilities, (byRest = new Map()));
  const key = `${mode}\u0000${pluginId}\u0000${installedPluginIds.join(',')}`;
  let policy = byRest.get(key);
  if (!policy) {
    const prefix = tablePrefix(pluginId);
    policy = { prefix, readable: readableCoreTables(capabilities), mode, foreignPrefixes: installedPluginIds.map(tablePrefix).filter((p) => p !== prefix && p.startsWith(prefix)) };
    if (byRest.size >= 200) byRest.clear();
    byRest.set(key, policy);
  }
  return policy;
}

/** Why the plugin may not run `sql` (exactly one statement, inside its policy); empty when it may. */
export function pluginStatementProblems(sql: string, pluginId: string, capabilities: readonly Capability[], installedPluginIds: readonly string[], mode: 'read' | 'write'): { message: string; statement: string }[] {
  try {
    checkOne(sql, policyOf(pluginId, capabilities, installedPluginIds, mode), pluginId);
    return [];
  } catch (e) {
    if (e instanceof PluginError) return ((e.details as { problems?: { message: string; statement: string }[] } | undefined)?.problems ?? [{ message: e.message, statement: sql.slice(0, 200) }]);
    throw e;
  }
}

/** Refuses anything but exactly one statement the policy allows. */
function checkOne(sql: string, policy: SqlAccessPolicy, pluginId: string): void {
  let statements;
  try {
    statements = analyzed(sql);
  } catch (e) {
    if (e instanceof SqlSyntaxError) throw denied(pluginId, [{ statement: sql.slice(0, 200), message: `not understood: ${e.message}` }]);
    throw e;
  }
  if (statements.length !== 1) throw denied(pluginId, [{ statement: sql.slice(0, 200), message: statements.length ? 'one statement per call; use batch for several' : 'no statement' }]);
  const problems = verdict(statements[0]!, sql, policy);
  if (problems.length) throw denied(pluginId, problems);
}

/** The policy's verdict on a statement, kept by policy (see policyOf), then SQL text (both pure inputs). */
const verdicts = new WeakMap<SqlAccessPolicy, Map<string, readonly SqlAccessProblem[]>>();
function verdict(statement: StatementAccess, sql: string, policy: SqlAccessPolicy): readonly SqlAccessProblem[] {
  let bySql = verdicts.get(policy);
  if (!bySql) verdicts.set(policy, (bySql = new Map()));
  let found = bySql.get(sql);
  if (!found) {
    found = statementProblems(statement, policy);
    if (bySql.size >= 2000) bySql.clear();
    bySql.set(sql, found);
  }
  return found;
}

const toArgs = (args: SqlArgs | undefined): SqlInValue[] | Record<string, SqlInValue> => (args === undefined ? [] : Array.isArray(args) ? [...args] : { ...(args as Record<string, SqlInValue>) });

/** Rows as plain objects by column name: a plugin gets values, not the driver's row objects. */
function toResult(r: SqlResultLike): PluginResult {
  return {
    columns: [...r.columns],
    rows: r.rows.map((row) => Object.fromEntries(r.columns.map((c) => [c, row[c] as SqlRowValue]))),
    rowsAffected: r.rowsAffected,
  };
}

/**
 * The database a plugin gets: every statement is parsed and refused (PLUGIN_DB_DENIED, before it
 * reaches the database) unless it touches only the plugin's own `plg_{id}_` tables, plus SELECT
 * on core tables its read capabilities grant. No DDL at run time — that is what migrations are for.
 */
export function createPluginDb(inner: SqlExecutor, pluginId: string, capabilities: readonly Capability[], options: PluginDbOptions = {}): PluginDb {
  const policy = policyOf(pluginId, capabilities, options.installedPluginIds ?? [], options.access ?? 'write');
  return {
    async execute(sql: string, args?: SqlArgs): Promise<PluginResult> {
      checkOne(sql, policy, pluginId);
      return toResult(await inner.execute({ sql, args: toArgs(args) }));
    },
    async batch(statements: readonly PluginStatement[]): Promise<PluginResult[]> {
      for (const s of statements) checkOne(s.sql, policy, pluginId);
      if (statements.length === 0) return [];
      const results = await inner.batch(statements.map((s) => ({ sql: s.sql, args: toArgs(s.args) })), policy.mode === 'read' ? 'read' : 'write');
      return results.map(toResult);
    },
  };
}
