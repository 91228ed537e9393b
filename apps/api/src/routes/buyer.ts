import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { AppError, newId } from '@tuike/core';
import { addresses, cartItems, cartShares, orderLines, orders, orderStatuses, paymentIntents, shipments } from '@tuike/db-tenant';
import {
  loadCartSkus, loadCheckoutContext, loadSkus, normalizeLines, placeOrder, priceCheckout, receiveOrder, releaseUnpaid, type PricedCheckout, type RequestedLine,
} from '@tuike/orders';
import { commissionAttachment, commissionRuleColumns, releasedCommissionStatements, saleContextColumns } from '@tuike/distribution';
import type { AppEnv } from '../context';
import { json, query } from '../http/json-body';
import { requireMember } from '../http/member-auth';
import { notifyUrl, providerFor } from '../http/payment-providers';
import { shopUrl } from '../http/shop-url';
import { StatusList } from './catalog-fields';
import { categoryColumn, checkAddToCart, checkPlacement, offerRows, pricePlugins, withPluginPlacement, type PluginPricing } from '../plugins/checkout-plugins';
import { orderCancelledEvent } from '../plugins/order-events';
import { installsColumn } from '../plugins/shop-runtime';
import { stackingColumn } from '../plugins/stacking-settings';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Quantity = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(999));
const Line = v.strictObject({ skuId: Id, quantity: Quantity });
const Text = (min: number, max: number) => v.pipe(v.string(), v.trim(), v.minLength(min), v.maxLength(max));
const AddressInput = v.strictObject({
  name: Text(1, 20), phone: v.pipe(v.string(), v.trim(), v.regex(/^\+?[\d -]{6,20}$/)),
  province: Text(1, 20), city: Text(1, 20), district: Text(0, 20), detail: Text(1, 120),
  isDefault: v.optional(v.boolean(), false),
});
/** Either the cart or an explicit list (buy now). Prices are never accepted from the client. */
/** What the buyer chose per plugin (a coupon, points to spend); each plugin checks its own against its schema. */
const Choices = v.pipe(v.record(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{1,39}$/)), v.unknown()), v.check((r) => Object.keys(r).length <= 20 && JSON.stringify(r).length <= 4_000, 'too many choices'));
const CheckoutInput = v.strictObject({
  items: v.optional(v.pipe(v.array(Line), v.minLength(1), v.maxLength(100))),
  fromCart: v.optional(v.boolean(), false),
  addressId: v.optional(v.nullable(Id), null),
  choices: v.optional(Choices, {}),
});
const SubmitInput = v.strictObject({
  ...CheckoutInput.entries,
  addressId: Id,
  clientKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
  remark: v.optional(Text(0, 200), ''),
  /** What the buyer saw on the preview: if the server's total differs, PRICE_CHANGED. */
  expectedPayTotal: v.pipe(v.number(), v.integer(), v.minValue(0)),
  provider: v.optional(v.picklist(['sandbox', 'wechat', 'alipay']), 'sandbox'),
  returnUrl: v.optional(v.pipe(v.string(), v.maxLength(300), v.regex(/^\/(?!\/)/))),
});
const OrdersQuery = v.object({ status: v.optional(StatusList(orderStatuses)), cursor: v.optional(Id) });

const now = (c: Context<AppEnv>) => c.get('services').platform.clock.now();

/**
 * The lines to buy, priced exactly as placement will: the cart (its lines and SKUs in one read)
 * or an explicit list, plus one read for shipping, timeout and address. Two reads in all.
 */
async function price(c: Context<AppEnv>, input: { items?: RequestedLine[]; fromCart: boolean; choices?: Record<string, unknown> }, addressId: string | null) {
  const { db } = c.get('shop');
  const memberId = c.get('member').id;
  const t = now(c);
  // Distribution and plugins ride on the same two reads: commission rules and categories with
  // the SKUs; the sale chain (the buyer's distributor and upline), its settings and the shop's
  // plugin installs with the context. Plugins that price add their own state reads.
  const skuColumns = { ...commissionRuleColumns, ...categoryColumn };
  const [bought, context] = await Promise.all([
    input.fromCart
      ? loadCartSkus(db, memberId, skuColumns).then(({ lines, skus }) => ({ lines: normalizeLines(lines), skus }))
      : Promise.resolve(normalizeLines(input.items ?? [])).then(async (lines) => ({ lines, skus: await loadSkus(db, lines.map((l) => l.skuId), skuColumns) })),
    loadCheckoutContext(db, memberId, addressId, { ...saleContextColumns(memberId, t), plugins: installsColumn, stacking: stackingColumn }),
  ]);
  const base = priceCheckout(bought.lines, bought.skus, context.shipping);
  const plugins = await pricePlugins(c.get('services'), db, base, context.extra.plugins, { member: { id: memberId }, choices: input.choices ?? {}, now: t, stacking: context.extra.stacking });
  return { priced: plugins.priced, plugins, context, skus: bought.skus };
}

/**
 * Asks WeChat Pay or Alipay for the cashier (JSAPI parameters inside WeChat, else a redirect). A
 * provider that fails here leaves a valid unpaid order: the buyer retries paying, not ordering.
 */
async function startProviderPayment(c: Context<AppEnv>, id: 'wechat' | 'alipay', placed: { intentId: string; orderNo: string }, amount: number, returnUrl?: string) {
  const provider = await providerFor(c, id);
  const openid = id === 'wechat' ? await wechatOpenid(c) : undefined;
  try {
    return await provider.createPayment({
      intentId: placed.intentId, orderNo: placed.orderNo, amount, description: `订单 ${placed.orderNo}`,
      notifyUrl: notifyUrl(c, id), returnUrl: returnUrl ? shopUrl(c, returnUrl) : undefined,
      payer: { openid, clientIp: c.get('services').config.clientIp(c.req.raw, c.env ?? {}) ?? undefined },
    });
  } catch (e) {
    console.error('[tuike] payment provider refused to start a payment', id, e);
    return null;
  }
}

/** The buyer's openid for this shop's WeChat app, when they signed in through WeChat. */
async function wechatOpenid(c: Context<AppEnv>): Promise<string | undefined> {
  const rs = await c.get('shop').db.execute({
    sql: `SELECT i.subject FROM member_identities i WHERE i.member_id = ? AND i.provider = 'wechat' AND i.app_id = (SELECT json_extract(value, '$.wechat.appId') FROM settings WHERE key = 'payments') LIMIT 1`,
    args: [c.get('member').id],
  });
  return rs.rows[0] ? String(rs.rows[0].subject) : undefined;
}

/** What a buyer may see of their order: not the merchant's remark, not distribution internals. */
const publicOrder = (o: typeof orders.$inferSelect) => ({
  id: o.id, orderNo: o.orderNo, status: o.status, channel: o.channel, itemsTotal: o.itemsTotal, discountTotal: o.discountTotal,
  shippingFee: o.shippingFee, payTotal: o.payTotal, address: o.address, remark: o.remark, expiresAt: o.expiresAt,
  paidAt: o.paidAt, shippedAt: o.shippedAt, receivedAt: o.receivedAt, completedAt: o.completedAt, closedAt: o.closedAt, createdAt: o.createdAt,
});
const publicLine = (l: typeof orderLines.$inferSelect) => ({
  id: l.id, skuId: l.skuId, productId: l.productId, title: l.title, specs: l.specs, image: l.image,
  unitPrice: l.unitPrice, quantity: l.quantity, discount: l.discount, paidAmount: l.paidAmount, refundedAmount: l.refundedAmount,
});

/** The priced cart as the buyer sees it: each line's discount, and every offer line by line. */
const presentCart = (c: Context<AppEnv>, { priced, plugins }: { priced: PricedCheckout; plugins: PluginPricing }) => {
  const offers = offerRows(plugins.offers, c.get('locale'));
  return {
    lines: priced.cart.lines.map((l, i) => ({
      ...l, productId: priced.rows[i]!.productId, categoryId: typeof priced.rows[i]!.extra.category_id === 'string' ? priced.rows[i]!.extra.category_id : null,
      title: priced.rows[i]!.title, specs: priced.rows[i]!.specs, image: priced.rows[i]!.image,
      offers: offerRows(plugins.offers.filter((o) => o.lineId === l.skuId), c.get('locale')),
    })),
    totals: { itemsTotal: priced.cart.itemsTotal, discountTotal: priced.cart.discountTotal, shippingFee: priced.cart.shippingFee, payTotal: priced.cart.payTotal, pointsUsed: plugins.pointsUsed },
    adjustments: offers.length ? offers.map((o) => ({ label: o.label, amount: o.amount })) : priced.cart.adjustments,
    offers,
    gifts: plugins.gifts.map((g) => ({ pluginId: g.pluginId, skuId: g.skuId, quantity: g.quantity, available: g.available, label: c.get('locale') === 'en' ? g.label.en : g.label.zh })),
  };
};
const emptyCart = { lines: [], totals: { itemsTotal: 0, discountTotal: 0, shippingFee: 0, payTotal: 0, pointsUsed: 0 }, adjustments: [], offers: [], gifts: [] };

/** What a signed-in buyer does (C1–C5): addresses, cart, checkout, their orders. Every route needs the buyer. */
export const buyerRoutes = new Hono<AppEnv>()
  .get('/member/addresses', requireMember, async (c) => c.json({ addresses: await c.get('shop').orm.select().from(addresses).where(eq(addresses.memberId, c.get('member').id)).orderBy(desc(addresses.isDefault), addresses.createdAt) }))
  .post('/member/addresses', requireMember, json(AddressInput), async (c) => {
    const { orm } = c.get('shop');
    const memberId = c.get('member').id;
    const row = { id: newId(), memberId, ...c.req.valid('json'), createdAt: now(c), updatedAt: now(c) };
    const existing = await orm.select({ id: addresses.id }).from(addresses).where(eq(addresses.memberId, memberId));
    if (existing.length >= 20) throw new AppError('VALIDATION_FAILED', { addresses: 'at most 20' });
    row.isDefault ||= existing.length === 0;
    await orm.batch([
      ...(row.isDefault ? [orm.update(addresses).set({ isDefault: false }).where(eq(addresses.memberId, memberId))] : []),
      orm.insert(addresses).values(row),
    ] as [never]);
    return c.json({ address: row }, 201);
  })
  .patch('/member/addresses/:id', requireMember, json(v.partial(AddressInput)), async (c) => {
    const { orm } = c.get('shop');
    const memberId = c.get('member').id;
    const patch = c.req.valid('json');
    const [current] = await orm.select().from(addresses).where(and(eq(addresses.id, c.req.param('id')), eq(addresses.memberId, memberId)));
    if (!current) throw new AppError('NOT_FOUND');
    const after = { ...current, ...patch, isDefault: patch.isDefault ?? current.isDefault, updatedAt: now(c) };
    await orm.batch([
      ...(patch.isDefault ? [orm.update(addresses).set({ isDefault: false }).where(eq(addresses.memberId, memberId))] : []),
      orm.update(addresses).set(after).where(eq(addresses.id, current.id)),
    ] as [never]);
    return c.json({ address: after });
  })
  .delete('/member/addresses/:id', requireMember, async (c) => {
    const { orm } = c.get('shop');
    const removed = await orm.delete(addresses).where(and(eq(addresses.id, c.req.param('id')), eq(addresses.memberId, c.get('member').id))).returning();
    if (removed.length === 0) throw new AppError('NOT_FOUND');
    return c.json({ ok: true });
  })
  .get('/cart', requireMember, async (c) => {
    const { orm, db } = c.get('shop');
    const items = await orm.select().from(cartItems).where(eq(cartItems.memberId, c.get('member').id)).orderBy(cartItems.createdAt);
    const skus = await loadSkus(db, items.map((i) => i.skuId), categoryColumn);
    const buyable = items.filter((i) => skus.get(i.skuId)?.onShelf && (skus.get(i.skuId)?.stock ?? 0) >= i.quantity);
    const context = await loadCheckoutContext(db, c.get('member').id, null, { plugins: installsColumn, stacking: stackingColumn });
    const base = buyable.length ? priceCheckout(buyable, skus, context.shipping) : null;
    const priced = base ? await pricePlugins(c.get('services'), db, base, context.extra.plugins, { member: { id: c.get('member').id }, choices: {}, now: now(c), stacking: context.extra.stacking }) : null;
    return c.json({
      items: items.map((i) => {
        const sku = skus.get(i.skuId);
        return { id: i.id, skuId: i.skuId, quantity: i.quantity, title: sku?.title ?? null, specs: sku?.specs ?? {}, image: sku?.image ?? null,
          unitPrice: sku?.price ?? null, stock: sku?.stock ?? 0, available: buyable.includes(i) };
      }),
      ...(priced ? presentCart(c, { priced: priced.priced, plugins: priced }) : emptyCart),
      shipping: context.shipping,
    });
  })
  .post('/cart/items', requireMember, json(Line), async (c) => {
    const { skuId, quantity } = c.req.valid('json');
    const { orm, db } = c.get('shop');
    const sku = (await loadSkus(db, [skuId], categoryColumn)).get(skuId);
    if (!sku || !sku.onShelf) throw new AppError('PRODUCT_NOT_FOUND');
    const memberId = c.get('member').id;
    const [inCart] = await orm.select({ quantity: cartItems.quantity }).from(cartItems).where(and(eq(cartItems.memberId, memberId), eq(cartItems.skuId, skuId)));
    const wanted = Math.min(999, (inCart?.quantity ?? 0) + quantity);
    if (wanted > sku.stock) throw new AppError('OUT_OF_STOCK', { available: sku.stock, inCart: inCart?.quantity ?? 0 });
    const t = now(c);
    await checkAddToCart(c.get('services'), db, {
      member: { id: memberId }, quantity: wanted, now: t,
      sku: { skuId, productId: sku.productId, categoryId: typeof sku.extra.category_id === 'string' ? sku.extra.category_id : null, unitPrice: sku.price },
      cartLines: async () => {
        const cart = await loadCartSkus(db, memberId, categoryColumn);
        return cart.lines.flatMap((l) => {
          const s = cart.skus.get(l.skuId);
          return s ? [{ lineId: l.skuId, skuId: l.skuId, productId: s.productId, categoryId: typeof s.extra.category_id === 'string' ? s.extra.category_id : null, quantity: l.quantity, unitPrice: s.price }] : [];
        });
      },
    });
    const [row] = await orm.insert(cartItems).values({ id: newId(), memberId, skuId, quantity: wanted, createdAt: t, updatedAt: t })
      .onConflictDoUpdate({ target: [cartItems.memberId, cartItems.skuId], set: { quantity: wanted, updatedAt: t } }).returning();
    return c.json({ item: row }, 201);
  })
  .patch('/cart/items/:id', requireMember, json(v.strictObject({ quantity: Quantity })), async (c) => {
    const { orm, db } = c.get('shop');
    const [item] = await orm.select().from(cartItems).where(and(eq(cartItems.id, c.req.param('id')), eq(cartItems.memberId, c.get('member').id)));
    if (!item) throw new AppError('NOT_FOUND');
    const sku = (await loadSkus(db, [item.skuId])).get(item.skuId);
    if (!sku || !sku.onShelf) throw new AppError('PRODUCT_NOT_FOUND');
    if (c.req.valid('json').quantity > sku.stock) throw new AppError('OUT_OF_STOCK', { available: sku.stock });
    const [row] = await orm.update(cartItems).set({ quantity: c.req.valid('json').quantity, updatedAt: now(c) })
      .where(and(eq(cartItems.id, c.req.param('id')), eq(cartItems.memberId, c.get('member').id))).returning();
    if (!row) throw new AppError('NOT_FOUND');
    return c.json({ item: row });
  })
  .delete('/cart/items/:id', requireMember, async (c) => {
    const removed = await c.get('shop').orm.delete(cartItems).where(and(eq(cartItems.id, c.req.param('id')), eq(cartItems.memberId, c.get('member').id))).returning();
    if (removed.length === 0) throw new AppError('NOT_FOUND');
    return c.json({ ok: true });
  })
  .post('/cart/share', requireMember, async (c) => {
    const { orm } = c.get('shop');
    const items = await orm.select({ skuId: cartItems.skuId, quantity: cartItems.quantity }).from(cartItems).where(eq(cartItems.memberId, c.get('member').id));
    if (items.length === 0) throw new AppError('CART_EMPTY');
    const share = { id: newId(), memberId: c.get('member').id, items, createdAt: now(c) };
    await orm.insert(cartShares).values(share);
    return c.json({ token: share.id, items }, 201);
  })
  .post('/cart/shares/:token/accept', requireMember, async (c) => {
    const { orm, db } = c.get('shop');
    const [share] = await orm.select().from(cartShares).where(eq(cartShares.id, c.req.param('token')));
    if (!share) throw new AppError('NOT_FOUND');
    // Only what can be bought now comes across, capped at the stock; prices are today's, not the sharer's.
    const skus = await loadSkus(db, share.items.map((i) => i.skuId));
    const memberId = c.get('member').id;
    const t = now(c);
    const added = share.items.flatMap((i) => {
      const sku = skus.get(i.skuId);
      const quantity = Math.min(i.quantity, sku?.stock ?? 0, 999);
      return sku?.onShelf && quantity > 0 ? [{ skuId: i.skuId, quantity }] : [];
    });
    if (added.length) {
      await orm.batch(added.map((i) => orm.insert(cartItems).values({ id: newId(), memberId, skuId: i.skuId, quantity: i.quantity, createdAt: t, updatedAt: t })
        .onConflictDoUpdate({ target: [cartItems.memberId, cartItems.skuId], set: { quantity: i.quantity, updatedAt: t } })) as [never]);
    }
    return c.json({ added, skipped: share.items.length - added.length });
  })
  .post('/checkout/preview', requireMember, json(CheckoutInput), async (c) => {
    const input = c.req.valid('json');
    const priced = await price(c, input, input.addressId);
    return c.json({ ...presentCart(c, priced), address: priced.context.address });
  })
  .post('/checkout/submit', requireMember, json(SubmitInput), async (c) => {
    const input = c.req.valid('json');
    const member = c.get('member');
    const { db } = c.get('shop');
    const priceOrReplay = await price(c, input, input.addressId).catch(async (e: unknown) => {
      // A retry after success finds the cart emptied or the stock taken by itself: answer with the
      // order it already made. (Checked only on failure, so placement stays at two reads.)
      const [made] = await c.get('shop').orm.select({ id: orders.id, orderNo: orders.orderNo, payTotal: orders.payTotal, status: orders.status }).from(orders)
        .where(and(eq(orders.memberId, member.id), eq(orders.clientKey, input.clientKey)));
      if (!made) throw e;
      return made;
    });
    if ('orderNo' in priceOrReplay) {
      const [intent] = await c.get('shop').orm.select({ id: paymentIntents.id }).from(paymentIntents).where(eq(paymentIntents.orderId, priceOrReplay.id)).orderBy(desc(paymentIntents.createdAt)).limit(1);
      return c.json({ order: priceOrReplay, payment: { intentId: intent?.id ?? null, provider: 'sandbox' }, replayed: true }, 200);
    }
    const { priced, plugins, context, skus } = priceOrReplay;
    if (!context.address) throw new AppError('ADDRESS_REQUIRED');
    if (priced.cart.payTotal !== input.expectedPayTotal) throw new AppError('PRICE_CHANGED', { payTotal: priced.cart.payTotal });
    const t = now(c);
    checkPlacement(plugins, t);
    const attachment = withPluginPlacement(commissionAttachment(context.extra, skus, member.id, t), plugins, { memberId: member.id, payTotal: priced.cart.payTotal }, t);
    const placed = await placeOrder(db, {
      memberId: member.id, channel: member.channel, clientKey: input.clientKey, remark: input.remark, address: context.address,
      fromCart: input.fromCart, provider: input.provider,
    }, priced, t, context.orderTimeoutMs, attachment).finally(() => plugins.run?.shop.flush());
    if (plugins.run && !placed.replayed) c.set('eventsWritten', true);
    const action = input.provider === 'sandbox' ? null : await startProviderPayment(c, input.provider, placed, priced.cart.payTotal, input.returnUrl);
    return c.json({
      order: { id: placed.orderId, orderNo: placed.orderNo, status: 'pending_payment', payTotal: priced.cart.payTotal },
      payment: { intentId: placed.intentId, provider: input.provider, action },
      replayed: placed.replayed,
    }, placed.replayed ? 200 : 201);
  })
  .get('/orders', requireMember, query(OrdersQuery), async (c) => {
    const q = c.req.valid('query');
    const { orm } = c.get('shop');
    const where = [eq(orders.memberId, c.get('member').id)];
    if (q.status) where.push(inArray(orders.status, q.status));
    if (q.cursor) where.push(lt(orders.id, q.cursor));
    const rows = await orm.select().from(orders).where(and(...where)).orderBy(desc(orders.id)).limit(21);
    const page = rows.slice(0, 20);
    const lines = page.length ? await orm.select().from(orderLines).where(inArray(orderLines.orderId, page.map((o) => o.id))) : [];
    return c.json({
      items: page.map((o) => ({ ...publicOrder(o), lines: lines.filter((l) => l.orderId === o.id).map(publicLine) })),
      nextCursor: rows.length > 20 ? page.at(-1)!.id : null,
    });
  })
  .get('/orders/:id', requireMember, async (c) => {
    const { orm } = c.get('shop');
    const [order] = await orm.select().from(orders).where(and(eq(orders.id, c.req.param('id')), eq(orders.memberId, c.get('member').id)));
    if (!order) throw new AppError('ORDER_NOT_FOUND');
    const [lines, intents] = await Promise.all([
      orm.select().from(orderLines).where(eq(orderLines.orderId, order.id)),
      orm.select().from(paymentIntents).where(eq(paymentIntents.orderId, order.id)).orderBy(desc(paymentIntents.createdAt)),
    ]);
    const [shipment] = await orm.select({ carrier: shipments.carrier, trackingNo: shipments.trackingNo, logistics: shipments.logistics }).from(shipments).where(eq(shipments.orderId, order.id));
    return c.json({ order: publicOrder(order), lines: lines.map(publicLine), shipment: shipment ?? null, payment: intents[0] ? { intentId: intents[0].id, status: intents[0].status, provider: intents[0].provider } : null });
  })
  .post('/orders/:id/receive', requireMember, async (c) => {
    await receiveOrder(c.get('shop').db, c.req.param('id'), c.get('member').id, now(c));
    return c.json({ ok: true });
  })
  .post('/orders/:id/cancel', requireMember, async (c) => {
    const { db, orm } = c.get('shop');
    const [order] = await orm.select({ id: orders.id }).from(orders).where(and(eq(orders.id, c.req.param('id')), eq(orders.memberId, c.get('member').id)));
    if (!order) throw new AppError('ORDER_NOT_FOUND');
    await releaseUnpaid(db, order.id, 'cancelled', now(c), { memberId: c.get('member').id, extra: [...releasedCommissionStatements(order.id, now(c)), orderCancelledEvent(order.id, 'buyer', now(c))] });
    c.set('eventsWritten', true);
    return c.json({ ok: true });
  });

