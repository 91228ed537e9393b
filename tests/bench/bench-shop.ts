import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { generateSessionToken, hashToken, newId } from '@tuike/core';
import { startServer } from '../e2e/harness';

/** Shared by the HTTP benchmarks: a shop on the real built server, its buyers, place + pay. */
export const json = (base: string, cookie: string) => ({ 'content-type': 'application/json', origin: base, cookie });

/** A shop on the real built server, with `members` buyers (sessions minted directly) and one SKU. */
export async function shopWithBuyers(members: number, stock: number) {
  const server = await startServer({ asDeployed: true });
  const base = server.base;
  const signup = await fetch(`${base}/api/platform/signup`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench-pass-1', shopName: 'Bench', slug: 'bench' }),
  });
  const { adminPathUrl } = await signup.json() as { adminPathUrl: string };
  const shopBase = `${base}/s/bench`;
  const ticket = await fetch(`${shopBase}/api/admin/auth/ticket`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ ticket: new URL(adminPathUrl).searchParams.get('ticket') }),
  });
  const staff = ticket.headers.getSetCookie()[0]!.split(';')[0]!;
  const category = await (await fetch(`${shopBase}/api/admin/categories`, { method: 'POST', headers: json(base, staff), body: JSON.stringify({ name: 'Bench' }) })).json() as { category: { id: string } };
  const product = await (await fetch(`${shopBase}/api/admin/products`, {
    method: 'POST', headers: json(base, staff),
    body: JSON.stringify({ title: 'Bench tea', categoryId: category.category.id, status: 'on', skus: [{ price: 10000, stock }] }),
  })).json() as { product: { id: string }; skus: { id: string }[] };

  const file = readdirSync(join(server.dataDir, 'shops')).find((f) => f.endsWith('.db'))!;
  const db = createClient({ url: `file:${join(server.dataDir, 'shops', file)}`, timeout: 10_000 });
  const buyers: { cookie: string; addressId: string }[] = [];
  const now = Date.now();
  const statements = [];
  for (let i = 0; i < members; i++) {
    const memberId = newId();
    const token = generateSessionToken();
    const addressId = newId();
    statements.push(
      { sql: `INSERT INTO members (id, username, nickname, channel, created_at, updated_at) VALUES (?, ?, ?, 'h5', ?, ?)`, args: [memberId, `m${i}`, `m${i}`, now, now] },
      { sql: `INSERT INTO sessions (id, kind, subject_id, expires_at, created_at) VALUES (?, 'member', ?, ?, ?)`, args: [hashToken(token), memberId, now + 86_400_000, now] },
      { sql: `INSERT INTO addresses (id, member_id, name, phone, province, city, district, detail, is_default, created_at, updated_at) VALUES (?, ?, 'B', '13800000000', 'ZJ', 'HZ', '', '1', 1, ?, ?)`, args: [addressId, memberId, now, now] },
    );
    buyers.push({ cookie: `tk_member=${token}`, addressId });
  }
  for (let i = 0; i < statements.length; i += 3000) await db.batch(statements.slice(i, i + 3000), 'write');
  return { server, shopBase, base, skuId: product.skus[0]!.id, productId: product.product.id, categoryId: category.category.id, staff, buyers, db };
}

export async function placeAndPay(ctx: Awaited<ReturnType<typeof shopWithBuyers>>, buyer: { cookie: string; addressId: string }, key: string, expectedPayTotal = 10000) {
  const placed = await fetch(`${ctx.shopBase}/api/checkout/submit`, {
    method: 'POST', headers: json(ctx.base, buyer.cookie),
    body: JSON.stringify({ items: [{ skuId: ctx.skuId, quantity: 1 }], addressId: buyer.addressId, clientKey: key, expectedPayTotal }),
  });
  const body = await placed.json() as { payment?: { intentId: string } };
  if (placed.status !== 201 || !body.payment) return placed.status;
  const paid = await fetch(`${ctx.shopBase}/api/payments/sandbox/${body.payment.intentId}/complete`, { method: 'POST', headers: json(ctx.base, buyer.cookie), body: JSON.stringify({ outcome: 'paid' }) });
  await paid.arrayBuffer();
  return paid.status === 200 ? 201 : paid.status;
}

