import type { Client } from '@libsql/client';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

const LEDGER = `CREATE TABLE IF NOT EXISTS __migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`;

export const latestVersion = (migrations: readonly Migration[]): number => migrations.at(-1)?.version ?? 0;

export async function currentVersion(client: Client): Promise<number> {
  const rs = await client.execute(`SELECT name FROM sqlite_master WHERE type='table' AND name='__migrations'`);
  if (rs.rows.length === 0) return 0;
  const v = await client.execute('SELECT coalesce(max(version), 0) AS v FROM __migrations');
  return Number(v.rows[0]?.v ?? 0);
}

/**
 * Applies pending migrations, each as one batch together with its ledger row, so a migration is
 * either wholly applied and recorded or not at all. If another process applies the same version
 * concurrently, our batch fails on the ledger's primary key (or the DDL) and rolls back; we then
 * re-read the version and go on from there.
 */
export async function migrate(client: Client, migrations: readonly Migration[], now: () => number = Date.now): Promise<{ from: number; to: number }> {
  const from = await currentVersion(client);
  let version = from;
  for (const m of migrations) {
    if (m.version <= version) continue;
    try {
      await client.batch([
        LEDGER,
        ...m.statements,
        { sql: 'INSERT INTO __migrations (version, name, applied_at) VALUES (?, ?, ?)', args: [m.version, m.name, now()] },
      ], 'write');
      version = m.version;
    } catch (error) {
      const after = await currentVersion(client);
      if (after < m.version) throw error;
      version = after;
    }
  }
  return { from, to: version };
}

/** Runs one migration per key at a time in this process; concurrent callers share the promise. */
export function createMigrationGate() {
  const inFlight = new Map<string, Promise<number>>();
  return function once(key: string, run: () => Promise<number>): Promise<number> {
    const existing = inFlight.get(key);
    if (existing) return existing;
    const started = run().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
