// Seeds a shop with a large distribution tree for benchmarks: `npm run seed:tree -- <shop-db-file> <members>`.
// Member i (i ≥ 1) is recruited by a member with a smaller number, chosen with a skew towards the
// early ones (as real programmes grow: a few recruit thousands, most recruit nobody). Ancestors,
// team counters, wallets and leaderboard buckets are written as the product would have them.
import type { Client, InValue } from '@libsql/client';

export interface SeededTree {
  ids: string[];
  /** A member three levels deep or more, whose sales pay three ancestors. */
  deep: string;
  /** The member with the most level-1 recruits. */
  biggest: string;
}

/** Deterministic pseudo-random in [0, 1) from an integer. */
const unit = (i: number, salt: number) => {
  let x = (i ^ (salt * 0x9e3779b9)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
};

async function insertRows(db: Client, table: string, columns: string[], rows: InValue[][]) {
  const perStatement = Math.floor(30_000 / columns.length);
  const statements = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    statements.push({ sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`, args: chunk.flat() });
    if (statements.length === 20) await db.batch(statements.splice(0), 'write');
  }
  if (statements.length) await db.batch(statements, 'write');
}

export async function seedDistributionTree(db: Client, n: number, at: { now: number; week: string; month: string }): Promise<SeededTree> {
  const ids = Array.from({ length: n }, (_, i) => `tm${String(i).padStart(8, '0')}`);
  const parent = new Int32Array(n).fill(-1);
  for (let i = 1; i < n; i++) parent[i] = Math.floor(i * unit(i, 1) ** 3);
  const up = (i: number) => (i < 0 ? -1 : parent[i]!);
  const direct = new Int32Array(n);
  const l2 = new Int32Array(n);
  const l3 = new Int32Array(n);
  for (let i = 1; i < n; i++) {
    const p = up(i);
    const g = up(p);
    const gg = up(g);
    direct[p]!++;
    if (g >= 0) l2[g]!++;
    if (gg >= 0) l3[gg]!++;
  }
  const id = (i: number) => (i < 0 ? null : ids[i]!);
  const sales = (i: number) => Math.floor(unit(i, 2) * 1_000_000);
  const CHUNK = 50_000;
  for (let start = 0; start < n; start += CHUNK) {
    const range = Array.from({ length: Math.min(CHUNK, n - start) }, (_, k) => start + k);
    await insertRows(db, 'members', ['id', 'username', 'nickname', 'channel', 'created_at', 'updated_at'],
      range.map((i) => [ids[i]!, ids[i]!, `会员${i}`, 'h5', at.now - (n - i) * 1000, at.now]));
    await insertRows(db, 'distributors', ['member_id', 'status', 'parent_id', 'grandparent_id', 'great_grandparent_id', 'invite_code', 'shop_name', 'direct_count', 'team_l2_count', 'team_l3_count', 'own_sales', 'applied_at', 'approved_at', 'updated_at'],
      range.map((i) => [ids[i]!, 'active', id(up(i)), id(up(up(i))), id(up(up(up(i)))), `T${i.toString(36).toUpperCase().padStart(7, '0')}`, `小店${i}`, direct[i]!, l2[i]!, l3[i]!, sales(i), at.now - (n - i) * 1000, at.now - (n - i) * 1000, at.now]));
    await insertRows(db, 'wallets', ['distributor_id', 'updated_at'], range.map((i) => [ids[i]!, at.now]));
    await insertRows(db, 'sales_board', ['period', 'distributor_id', 'amount'], range.flatMap((i) => {
      const rows: InValue[][] = [['all', ids[i]!, sales(i)]];
      if (unit(i, 3) < 0.2) rows.push([at.week, ids[i]!, Math.floor(sales(i) / 10)], [at.month, ids[i]!, Math.floor(sales(i) / 4)]);
      return rows;
    }));
  }
  let deep = n - 1;
  while (deep > 0 && up(up(up(deep))) < 0) deep--;
  let biggest = 0;
  for (let i = 0; i < n; i++) if (direct[i]! > direct[biggest]!) biggest = i;
  return { ids, deep: ids[deep]!, biggest: ids[biggest]! };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, count] = process.argv.slice(2);
  if (!file || !count) {
    console.error('usage: npm run seed:tree -- <shop-db-file> <members>');
    process.exit(2);
  }
  const { createClient } = await import('@libsql/client');
  const { weekKey, monthKey } = await import('@tuike/distribution');
  const db = createClient({ url: `file:${file}` });
  const now = Date.now();
  const t0 = performance.now();
  const tree = await seedDistributionTree(db, Number(count), { now, week: weekKey(now, 'Asia/Shanghai'), month: monthKey(now, 'Asia/Shanghai') });
  console.log(`seeded ${count} members in ${((performance.now() - t0) / 1000).toFixed(1)} s; deepest seller ${tree.deep}, biggest recruiter ${tree.biggest}`);
  db.close();
}
