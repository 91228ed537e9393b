import type { PluginStatement, SqlValue } from '@tuike/plugin-sdk';

/**
 * Binds to a statement exactly the named parameters it uses. libSQL over HTTP (sqld, Turso)
 * refuses arguments a statement does not name, and the settling statements share one set of
 * values, so each gets its own slice. String literals are skipped when looking for `:names`.
 */
const namesBySql = new Map<string, ReadonlySet<string>>();

export function bind(sql: string, values: Readonly<Record<string, SqlValue>>): PluginStatement {
  let names = namesBySql.get(sql);
  if (!names) {
    names = new Set([...sql.replace(/'(?:[^']|'')*'/g, "''").matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
    if (namesBySql.size >= 500) namesBySql.clear();
    namesBySql.set(sql, names);
  }
  const args: Record<string, SqlValue> = {};
  for (const name of names) {
    const value = values[name];
    if (value === undefined) throw new Error(`statement needs :${name}, which was not given`);
    args[name] = value;
  }
  return { sql, args };
}
