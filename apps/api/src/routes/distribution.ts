import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { encodeBase64 } from '@oslojs/encoding';
import { AppError } from '@tuike/core';
import {
  applyForDistributor, commissionRuleColumns, loadDistributionContext, dayKey, monthKey, proposeCommissions, readSettings,
  requestWithdrawal, resolveSaleChain, saleChainColumn, storedRule, weekKey,
} from '@tuike/distribution';
import { loadSkus } from '@tuike/orders';
import { businessCardSvg, encodePng, productPosterSvg, qrPng, qrSvg, shopQrCardSvg } from '@tuike/share-kit';
import type { AppEnv } from '../context';
import { json, query } from '../http/json-body';
import { requireMember, signedInMember } from '../http/member-auth';
import { bindByCode } from '../http/referral';
import { setSessionCookie } from '../http/session-cookie';
import { shopUrl } from '../http/shop-url';

const Code = v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z0-9]{4,12}$/));
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Cursor = v.optional(v.pipe(v.string(), v.maxLength(64)));
const Text = (min: number, max: number) => v.pipe(v.string(), v.trim(), v.minLength(min), v.maxLength(max));

const now = (c: Context<AppEnv>) => c.get('services').platform.clock.now();
const db = (c: Context<AppEnv>) => c.get('shop').db;
const rows = async (c: Context<AppEnv>, sql: string, args: (string | number | null)[] = []) => (await db(c).execute({ sql, args })).rows;


/** The signed-in member as an active (or disabled) distributor, or NOT_DISTRIBUTOR. */
async function me(c: Context<AppEnv>) {
  const [row] = await rows(c, `SELECT d.*, g.name AS grade_name, m.nickname FROM distributors d JOIN members m ON m.id = d.member_id LEFT JOIN distributor_grades g ON g.id = d.grade_id WHERE d.member_id = ?`, [c.get('member').id]);
  if (!row || (row.status !== 'active' && row.status !== 'disabled')) throw new AppError('NOT_DISTRIBUTOR');
  return row;
}

const settingsOf = async (c: Context<AppEnv>) => (await loadDistributionContext(db(c))).settings;

const fen = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000_000));
const Account = v.pipe(v.record(v.pipe(v.string(), v.regex(/^[a-zA-Z]{1,20}$/)), v.pipe(v.string(), v.trim(), v.maxLength(100))), v.check((a) => Object.keys(a).length <= 6, 'at most 6 fields'));
const LeaderboardQuery = v.object({ period: v.optional(v.picklist(['week', 'month', 'all']), 'week') });
const TeamQuery = v.object({ level: v.optional(v.picklist(['1', '2', '3']), '1'), cursor: Cursor });
const ListQuery = v.object({ cursor: Cursor, status: v.optional(v.pipe(v.string(), v.maxLength(20))) });
const QrQuery = v.object({ productId: v.optional(Id), format: v.optional(v.picklist(['svg', 'png']), 'svg') });

/** The public face of a distributor shop (D2): name, logo, banner, what it sells. */
async function publicShop(c: Context<AppEnv>, code: string) {
  const [shop] = await rows(c, `SELECT d.member_id, d.shop_name, d.shop_logo, d.shop_banner, d.shop_scope, d.invite_code, m.nickname, m.avatar_url
    FROM distributors d JOIN members m ON m.id = d.member_id WHERE d.invite_code = ? AND +d.status = 'active'`, [code]);
  if (!shop) throw new AppError('INVITE_CODE_INVALID');
  return shop;
}

/** A product image inlined as a data: URL, so a poster keeps it when the phone renders it to PNG. */
async function inlineImage(c: Context<AppEnv>, key: string | undefined) {
  const blob = key ? await c.get('services').platform.blobs.get(key) : null;
  const bytes = blob?.body ?? (await encodePng({ width: 1, height: 1, channels: 1, pixels: new Uint8Array([235]) }));
  return `data:${blob?.contentType ?? 'image/png'};base64,${encodeBase64(bytes)}`;
}

export const distributionRoutes = new Hono<AppEnv>()
  /** The programme as members see it: whether it runs, who may join, the rules (D12), and my status. */
  .get('/distribution/program', async (c) => {
    const s = await settingsOf(c);
    return c.json({
      enabled: s.enabled, eligibility: s.eligibility, levels: s.levels, rules: s.defaultRule, capBps: s.capBps,
      freezeDays: s.freezeDays, withdrawal: s.withdrawal, rulesText: s.rulesText, fee: 0,
    });
  })
  /** A visit through a share link or an invite code: binds a signed-in member, else remembers the code. */
  .post('/distribution/visit', json(v.strictObject({ code: Code, source: v.optional(v.picklist(['link', 'code']), 'link') })), async (c) => {
    const { code, source } = c.req.valid('json');
    const shop = await publicShop(c, code);
    const member = await signedInMember(c);
    if (member) {
      const outcome = String(shop.member_id) === member.id ? 'ignored' : await bindByCode(c, member.id, code, source);
      return c.json({ outcome, shop: { name: shop.shop_name } });
    }
    setSessionCookie(c, 'tk_ref', code, now(c) + 30 * 86_400_000);
    return c.json({ outcome: 'remembered', shop: { name: shop.shop_name } });
  })
  .get('/distribution/shops/:code', async (c) => {
    const code = v.safeParse(Code, c.req.param('code'));
    if (!code.success) throw new AppError('INVITE_CODE_INVALID');
    const shop = await publicShop(c, code.output);
    const scoped = shop.shop_scope === 'selected';
    const items = await rows(c, `SELECT p.id, p.title, p.images, p.price_min, p.market_price, p.sales FROM products p
      WHERE p.status = 'on' AND p.deleted_at IS NULL ${scoped ? 'AND p.id IN (SELECT product_id FROM distributor_products WHERE distributor_id = ?)' : ''}
      ORDER BY p.sales DESC, p.id LIMIT 60`, scoped ? [String(shop.member_id)] : []);
    return c.json({
      shop: { name: shop.shop_name, logo: shop.shop_logo, banner: shop.shop_banner, owner: shop.nickname, avatar: shop.avatar_url, inviteCode: shop.invite_code },
      products: items.map((p) => ({ id: p.id, title: p.title, image: (JSON.parse(String(p.images)) as string[])[0] ?? null, price: Number(p.price_min), marketPrice: p.market_price === null ? null : Number(p.market_price), sales: Number(p.sales) })),
    });
  })
  .post('/distribution/apply', requireMember, json(v.strictObject({ shopName: Text(1, 30), note: v.optional(Text(0, 200), '') })), async (c) => {
    const input = c.req.valid('json');
    const status = await applyForDistributor(db(c), c.get('member').id, input, await settingsOf(c), now(c));
    return c.json({ status }, 201);
  })
  /** My standing: not applied, pending, rejected (with why), active or disabled — with my binding. */
  .get('/distribution/status', requireMember, async (c) => {
    const [row] = await rows(c, `SELECT status, reject_reason, invite_code FROM distributors WHERE member_id = ?`, [c.get('member').id]);
    const [binding] = await rows(c, `SELECT d.shop_name FROM member_bindings b JOIN distributors d ON d.member_id = b.distributor_id WHERE b.member_id = ? AND (b.expires_at IS NULL OR b.expires_at > ?)`, [c.get('member').id, now(c)]);
    return c.json({ status: row?.status ?? 'none', rejectReason: row?.reject_reason ?? null, inviteCode: row?.invite_code ?? null, boundTo: binding?.shop_name ?? null });
  })
  /** The distributor centre's front page (D10): shop, link, grade, income by state, team and sales. */
  .get('/distribution/me', requireMember, async (c) => {
    const d = await me(c);
    const [wallet] = await rows(c, `SELECT pending, frozen, available, reserved, withdrawn, debt FROM wallets WHERE distributor_id = ?`, [String(d.member_id)]);
    const [customers] = await rows(c, `SELECT count(*) AS n FROM member_bindings WHERE distributor_id = ?`, [String(d.member_id)]);
    const chosen = d.shop_scope === 'selected' ? await rows(c, `SELECT product_id FROM distributor_products WHERE distributor_id = ? LIMIT 500`, [String(d.member_id)]) : [];
    return c.json({
      status: d.status, inviteCode: d.invite_code, link: shopUrl(c, `/d/${String(d.invite_code)}`),
      shop: { name: d.shop_name, logo: d.shop_logo, banner: d.shop_banner, scope: d.shop_scope, productIds: chosen.map((r) => String(r.product_id)) },
      grade: d.grade_name ?? null,
      wallet: Object.fromEntries(Object.entries(wallet ?? {}).map(([k, x]) => [k, Number(x)])),
      team: { level1: Number(d.direct_count), level2: Number(d.team_l2_count), level3: Number(d.team_l3_count), customers: Number(customers?.n ?? 0) },
      sales: { own: Number(d.own_sales), team: Number(d.team_sales), orders: Number(d.own_orders) },
      payoutAccount: d.payout_account ? JSON.parse(String(d.payout_account)) as unknown : null,
    });
  })
  .put('/distribution/shop', requireMember, json(v.strictObject({
    shopName: Text(1, 30), logo: v.optional(v.nullable(Text(1, 200))), banner: v.optional(v.nullable(Text(1, 200))),
    scope: v.picklist(['all', 'selected']), productIds: v.optional(v.pipe(v.array(Id), v.maxLength(500)), []),
  })), async (c) => {
    const d = await me(c);
    const input = c.req.valid('json');
    const id = String(d.member_id);
    await db(c).batch([
      { sql: `UPDATE distributors SET shop_name = ?, shop_logo = ?, shop_banner = ?, shop_scope = ?, updated_at = ? WHERE member_id = ?`, args: [input.shopName, input.logo ?? null, input.banner ?? null, input.scope, now(c), id] },
      { sql: `DELETE FROM distributor_products WHERE distributor_id = ?`, args: [id] },
      ...[...new Set(input.productIds)].map((p) => ({ sql: `INSERT INTO distributor_products (distributor_id, product_id) SELECT ?, id FROM products WHERE id = ? AND deleted_at IS NULL`, args: [id, p] })),
    ], 'write');
    return c.json({ ok: true });
  })
  .get('/distribution/commissions', requireMember, query(ListQuery), async (c) => {
    const d = await me(c);
    const { cursor, status } = c.req.valid('query');
    const items = await rows(c, `SELECT c.id, c.level, c.base, c.rate_mode, c.rate, c.amount, c.reversed, c.status, c.settle_after, c.created_at, o.order_no, l.title
      FROM commissions c JOIN orders o ON o.id = c.order_id JOIN order_lines l ON l.id = c.order_line_id
      WHERE c.distributor_id = ? AND c.status <> 'awaiting_payment' AND c.status <> 'cancelled' ${status ? 'AND c.status = ?' : ''} ${cursor ? 'AND c.id < ?' : ''}
      ORDER BY c.id DESC LIMIT 21`, [String(d.member_id), ...(status ? [status] : []), ...(cursor ? [cursor] : [])]);
    return c.json({ items: items.slice(0, 20), nextCursor: items.length > 20 ? String(items[19]!.id) : null });
  })
  /** My team by level (D10): an indexed lookup on the denormalized ancestor columns at any size. */
  .get('/distribution/team', requireMember, query(TeamQuery), async (c) => {
    const d = await me(c);
    const { level, cursor } = c.req.valid('query');
    const column = ({ 1: 'parent_id', 2: 'grandparent_id', 3: 'great_grandparent_id' } as const)[level];
    const items = await rows(c, `SELECT t.member_id, t.shop_name, t.approved_at, t.own_sales, t.direct_count, m.nickname, m.avatar_url
      FROM distributors t JOIN members m ON m.id = t.member_id
      WHERE t.${column} = ? ${cursor ? 'AND t.approved_at < ?' : ''} ORDER BY t.approved_at DESC LIMIT 21`,
      [String(d.member_id), ...(cursor ? [Number(cursor)] : [])]);
    return c.json({
      items: items.slice(0, 20).map((r) => ({ nickname: r.nickname, avatar: r.avatar_url, shopName: r.shop_name, joinedAt: Number(r.approved_at), sales: Number(r.own_sales), recruits: Number(r.direct_count) })),
      nextCursor: items.length > 20 ? String(items[19]!.approved_at) : null,
    });
  })
  /** Orders sold through my shop (D10): buyers' names masked, amounts and states shown. */
  .get('/distribution/orders', requireMember, query(ListQuery), async (c) => {
    const d = await me(c);
    const { cursor } = c.req.valid('query');
    const items = await rows(c, `SELECT o.id, o.order_no, o.status, o.pay_total, o.created_at, m.nickname,
        (SELECT coalesce(sum(amount - reversed), 0) FROM commissions WHERE order_id = o.id AND distributor_id = ?1 AND status <> 'cancelled') AS my_commission
      FROM orders o JOIN members m ON m.id = o.member_id WHERE o.distributor_shop_id = ?1 ${cursor ? 'AND o.created_at < ?2' : ''} ORDER BY o.created_at DESC LIMIT 21`,
      [String(d.member_id), ...(cursor ? [Number(cursor)] : [])]);
    return c.json({
      items: items.slice(0, 20).map((o) => ({ orderNo: o.order_no, status: o.status, payTotal: Number(o.pay_total), createdAt: Number(o.created_at), buyer: maskName(String(o.nickname)), commission: Number(o.my_commission) })),
      nextCursor: items.length > 20 ? String(items[19]!.created_at) : null,
    });
  })
  .get('/distribution/statements', requireMember, async (c) => {
    const d = await me(c);
    return c.json({ items: await rows(c, `SELECT period, commissions, amount, debt_paid, created_at FROM settlement_statements WHERE distributor_id = ? ORDER BY period DESC LIMIT 36`, [String(d.member_id)]) });
  })
  /** The live sales leaderboard (D10): one indexed range scan of a bucket, fast at any size. */
  .get('/distribution/leaderboard', query(LeaderboardQuery), async (c) => {
    const { period } = c.req.valid('query');
    const { timeZone } = await loadDistributionContext(db(c));
    const key = period === 'all' ? 'all' : period === 'week' ? weekKey(now(c), timeZone) : monthKey(now(c), timeZone);
    const items = await rows(c, `SELECT b.amount, d.shop_name, m.nickname, m.avatar_url FROM sales_board b JOIN distributors d ON d.member_id = b.distributor_id JOIN members m ON m.id = b.distributor_id
      WHERE b.period = ? AND b.amount > 0 ORDER BY b.amount DESC LIMIT 50`, [key]);
    return c.json({ period: key, items: items.map((r, i) => ({ rank: i + 1, shopName: r.shop_name, nickname: maskName(String(r.nickname)), avatar: r.avatar_url, sales: Number(r.amount) })) });
  })
  .post('/distribution/withdrawals', requireMember, json(v.strictObject({ amount: fen, method: v.picklist(['wechat', 'alipay', 'bank', 'offline']), account: v.optional(Account, {}) })), async (c) => {
    const d = await me(c);
    const input = c.req.valid('json');
    const { settings, timeZone } = await loadDistributionContext(db(c));
    const made = await requestWithdrawal(db(c), String(d.member_id), input, settings, dayKey(now(c), timeZone), now(c));
    return c.json({ withdrawal: made }, 201);
  })
  .get('/distribution/withdrawals', requireMember, query(ListQuery), async (c) => {
    const d = await me(c);
    const { cursor } = c.req.valid('query');
    const items = await rows(c, `SELECT id, amount, fee, net, method, status, reason, created_at, updated_at FROM withdrawals WHERE distributor_id = ? ${cursor ? 'AND id < ?' : ''} ORDER BY id DESC LIMIT 21`, [String(d.member_id), ...(cursor ? [cursor] : [])]);
    return c.json({ items: items.slice(0, 20), nextCursor: items.length > 20 ? String(items[19]!.id) : null });
  })
  /** What I would earn on a product (D11): the same rules checkout applies, for one unit of each SKU. */
  .get('/distribution/earn/:productId', requireMember, async (c) => {
    const d = await me(c);
    const skuRows = await rows(c, `SELECT id FROM skus WHERE product_id = ? AND deleted_at IS NULL`, [c.req.param('productId')]);
    if (!skuRows.length) throw new AppError('PRODUCT_NOT_FOUND');
    const skus = await loadSkus(db(c), skuRows.map((r) => String(r.id)), commissionRuleColumns);
    const chain = saleChainColumn(String(d.member_id), now(c));
    const [ctx] = await rows(c, `SELECT ${chain.sql} AS chain, (SELECT value FROM settings WHERE key = 'distribution') AS distribution`, chain.args);
    const settings = readSettings(ctx?.distribution ? JSON.parse(String(ctx.distribution)) : null);
    const sale = resolveSaleChain(ctx?.chain ?? null, ctx?.distribution ?? null, '');
    const self = sale?.earners.find((e) => e.distributorId === String(d.member_id));
    const earnings = [...skus.values()].map((sku) => {
      const lines = [{ lineId: sku.skuId, productId: sku.productId, quantity: 1, paidAmount: sku.price, productRule: storedRule(sku.extra.product_rule), categoryRule: storedRule(sku.extra.category_rule) }];
      const mine = self ? proposeCommissions(lines, [{ ...self, level: 1 }], settings)[0]?.amount ?? 0 : 0;
      return { skuId: sku.skuId, specs: sku.specs, price: sku.price, commission: mine };
    });
    return c.json({ items: earnings, active: d.status === 'active' });
  })
  /** The share QR (D3, D11): my shop, or a product through my shop, as SVG or PNG. */
  .get('/distribution/qr', requireMember, query(QrQuery), async (c) => {
    const d = await me(c);
    const { productId, format } = c.req.valid('query');
    const link = productId ? shopUrl(c, `/product/${encodeURIComponent(productId)}?ref=${String(d.invite_code)}`) : shopUrl(c, `/d/${String(d.invite_code)}`);
    c.header('cache-control', 'private, max-age=300');
    if (format === 'png') return c.body(new Uint8Array(await qrPng(link, { scale: 8 })), 200, { 'content-type': 'image/png' });
    return c.body(qrSvg(link), 200, { 'content-type': 'image/svg+xml; charset=utf-8' });
  })
  .get('/distribution/poster/:productId', requireMember, async (c) => {
    const d = await me(c);
    const [p] = await rows(c, `SELECT id, title, images, price_min, market_price FROM products WHERE id = ? AND status = 'on' AND deleted_at IS NULL`, [c.req.param('productId')]);
    if (!p) throw new AppError('PRODUCT_NOT_FOUND');
    const svg = productPosterSvg({
      locale: c.get('locale'), title: String(p.title), priceFen: Number(p.price_min), marketPriceFen: p.market_price === null ? undefined : Number(p.market_price),
      productImageHref: await inlineImage(c, (JSON.parse(String(p.images)) as string[])[0]),
      shopName: String(d.shop_name), distributorName: String(d.nickname),
      qrText: shopUrl(c, `/product/${encodeURIComponent(String(p.id))}?ref=${String(d.invite_code)}`),
    });
    return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'private, max-age=300' });
  })
  .get('/distribution/card', requireMember, async (c) => {
    const d = await me(c);
    const link = shopUrl(c, `/d/${String(d.invite_code)}`);
    const kind = c.req.query('kind') === 'shop' ? 'shop' : 'card';
    const svg = kind === 'shop'
      ? shopQrCardSvg({ locale: c.get('locale'), shopName: String(d.shop_name), qrText: link })
      : businessCardSvg({ locale: c.get('locale'), distributorName: String(d.nickname), shopName: String(d.shop_name), inviteCode: String(d.invite_code), qrText: link });
    return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'private, max-age=300' });
  })
  .get('/distribution/materials', requireMember, async (c) => {
    await me(c);
    const items = await rows(c, `SELECT id, kind, title, text, images, product_id, created_at FROM share_materials ORDER BY created_at DESC LIMIT 50`);
    return c.json({ items: items.map((m) => ({ ...m, images: JSON.parse(String(m.images)) as string[] })) });
  });

/** Shows a buyer's or a ranked distributor's name to other members without revealing it: 张** / a***. */
function maskName(name: string) {
  const chars = [...name];
  return chars.length <= 1 ? `${name}*` : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 3))}`;
}
