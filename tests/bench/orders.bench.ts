import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { newId } from '@tuike/core';
import { json, placeAndPay, shopWithBuyers } from './bench-shop';
import { median, report } from './stats';

/** Sequential single-row write transactions on the same disk: the floor of one durable commit. */
async function rawCommitRate(seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'tuike-raw-'));
  const db: Client = createClient({ url: `file:${join(dir, 'raw.db')}` });
  await db.execute('PRAGMA journal_mode=WAL');
  await db.execute('CREATE TABLE t (id TEXT PRIMARY KEY, v INTEGER)');
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await db.batch([{ sql: 'INSERT INTO t (id, v) VALUES (?, ?)', args: [newId(), n] }], 'write');
    n++;
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return n / seconds;
}

/** C3/C4: place + pay per second over HTTP with concurrent clients, against the raw commit rate. */
export async function placeAndPayThroughput() {
  const clients = 16;
  const total = 1600;
  const ctx = await shopWithBuyers(clients, 1_000_000);
  try {
    for (let i = 0; i < 50; i++) await placeAndPay(ctx, ctx.buyers[i % clients]!, `warmup-key-${i}`);
    let next = 0;
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(ctx.buyers.map(async (buyer, c) => {
      while (next < total) {
        next++;
        const s = performance.now();
        const status = await placeAndPay(ctx, buyer, `run-key-${c}-${next}`);
        if (status !== 201) throw new Error(`place+pay failed: ${status}`);
        latencies.push(performance.now() - s);
      }
    }));
    const rate = total / ((performance.now() - t0) / 1000);
    const raw = await rawCommitRate(3);
    report('place-and-pay-per-second', rate, `orders/s (${clients} clients, HTTP, embedded)`);
    report('place-and-pay-latency-median', median(latencies), 'ms');
    report('raw-single-row-write-tx-per-second', raw, 'commits/s');
    report('place-and-pay-vs-raw-commit-ratio', rate / raw, 'x (goal >= 0.5)');
  } finally {
    ctx.db.close();
    await ctx.server.stop();
  }
}

/** C3: 1,000 buyers at once for 100 units of one SKU: exactly 100 orders, never oversold. */
export async function flashCrowd() {
  const ctx = await shopWithBuyers(1000, 100);
  try {
    const t0 = performance.now();
    const statuses = await Promise.all(ctx.buyers.map(async (buyer, i) => {
      const res = await fetch(`${ctx.shopBase}/api/checkout/submit`, {
        method: 'POST', headers: json(ctx.base, buyer.cookie),
        body: JSON.stringify({ items: [{ skuId: ctx.skuId, quantity: 1 }], addressId: buyer.addressId, clientKey: `crowd-key-${i}`, expectedPayTotal: 10000 }),
      });
      const body = await res.json() as { error?: { code: string } };
      return res.status === 201 ? 'ordered' : body.error?.code ?? String(res.status);
    }));
    const seconds = (performance.now() - t0) / 1000;
    const orders = Number((await ctx.db.execute(`SELECT count(*) AS n FROM orders`)).rows[0]!.n);
    const stock = Number((await ctx.db.execute({ sql: 'SELECT stock FROM skus WHERE id = ?', args: [ctx.skuId] })).rows[0]!.stock);
    const ordered = statuses.filter((s) => s === 'ordered').length;
    const others = [...new Set(statuses.filter((s) => s !== 'ordered'))];
    if (ordered !== 100 || orders !== 100 || stock !== 0 || others.some((s) => s !== 'OUT_OF_STOCK')) {
      throw new Error(`oversold or lost: ordered=${ordered} orders=${orders} stock=${stock} others=${others.join(',')}`);
    }
    report('flash-crowd-orders', orders, 'orders for 100 units from 1000 buyers');
    report('flash-crowd-final-stock', stock, 'units');
    report('flash-crowd-requests-per-second', 1000 / seconds, 'req/s');
  } finally {
    ctx.db.close();
    await ctx.server.stop();
  }
}
